"""The one search for people (``people.search``): folded words, or the start of a national
ID under the privacy rule, through any relation to the person."""

import datetime as dt

from django.test import SimpleTestCase

from daotao.cohorts.models import Enrollment
from daotao.people.models import Student
from daotao.people.search import folded_words_q, national_id_query, national_id_search_refused, person_search_q
from daotao.testing import WorldTestCase, make_cohort, make_student


class NationalIdQueryTests(SimpleTestCase):
    def test_one_word_of_digits_0_to_9(self):
        self.assertTrue(national_id_query(" 052087 "))
        self.assertFalse(national_id_query("052 087"))
        self.assertFalse(national_id_query("Diệp"))
        self.assertFalse(national_id_query(""))

    def test_other_digits_are_not_a_national_id(self):
        """The students page took any Unicode digit (``str.isdigit``: "²", "٣") for a national
        ID, the career events only 0-9 (``is_whole_number``): 0-9 only, everywhere."""
        for query in ("٠٥٢٠٨٧", "²³", "０５２"):
            with self.subTest(query=query):
                self.assertFalse(national_id_query(query))


class PersonSearchTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.diep = make_student("Trần Thị Ngọc Diệp", locality=cls.h01)
        cls.tam = make_student("Lê Văn Tám", locality=cls.h02)
        cohort = make_cohort("L01", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2026, 3, 2))
        cls.enrollments = {s: Enrollment.objects.create(cohort=cohort, student=s) for s in (cls.diep, cls.tam)}

    def test_every_word_in_one_of_the_fields(self):
        self.assertEqual(list(Student.objects.filter(folded_words_q("tran DIEP", "search_key"))), [self.diep])
        self.assertEqual(list(Student.objects.filter(folded_words_q("tran tam", "search_key"))), [])
        self.assertEqual(Student.objects.filter(folded_words_q("  ", "search_key")).count(), 2)

    def test_through_a_relation_with_the_privacy_rule(self):
        enrollments = Enrollment.objects.filter(cohort__code="L01")
        by_name = enrollments.filter(person_search_q("van tam", self.coordinator, prefix="student__"))
        self.assertEqual(list(by_name), [self.enrollments[self.tam]])
        for user, found in ((self.office, [self.tam]), (self.other_coordinator, [self.tam]), (self.board, [])):
            with self.subTest(user=user.username):
                condition = person_search_q(self.tam.national_id, user, prefix="student__")
                self.assertEqual([e.student for e in enrollments.filter(condition)], found)

    def test_the_page_says_when_a_national_id_search_is_refused(self):
        self.assertTrue(national_id_search_refused("052", self.board))
        self.assertFalse(national_id_search_refused("052", self.office))
        self.assertFalse(national_id_search_refused("tam", self.board))
