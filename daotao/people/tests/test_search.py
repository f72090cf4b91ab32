"""The one search for people (``people.search``): folded words, each the start of a word of
the name, or the start of a national ID under the privacy rule, through any relation to the
person; the people found ranked best first."""

import datetime as dt

from django.test import SimpleTestCase
from django.urls import reverse

from daotao.cohorts.models import Enrollment
from daotao.people import search
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


def names(people) -> list[str]:
    return [person.full_name for person in people]


class WordStartTests(WorldTestCase):
    """Each word typed must start a word of the name: "hai" is Hải, Hài or Hai, never the
    end of Thái, Khải or Hoài."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in (
            "Nguyễn Văn Hải", "Lê Thị Hài", "Phạm Hai", "Trần Hải Nam", "Phạm Văn Thái", "Đỗ Minh Khải",
            "Bùi Thị Hoài", "Trần Thị Ngọc Diệp",
        ):  # fmt: skip
            make_student(name, locality=cls.h01)

    def found(self, query, user=None) -> set[str]:
        return set(names(Student.objects.search(query, user)))

    def test_a_word_typed_starts_a_word_of_the_name(self):
        hai = {"Nguyễn Văn Hải", "Lê Thị Hài", "Phạm Hai", "Trần Hải Nam"}
        for query in ("hai", "HẢI", "  Hài "):
            with self.subTest(query=query):
                self.assertEqual(self.found(query), hai)
        self.assertEqual(self.found("thai"), {"Phạm Văn Thái"})
        self.assertEqual(self.found("ai"), set())  # inside Hải, Thái, Khải and Hoài only
        self.assertEqual(self.found("h"), hai | {"Bùi Thị Hoài"})

    def test_every_word_typed_must_start_a_word(self):
        self.assertEqual(self.found("tran diep"), {"Trần Thị Ngọc Diệp"})
        self.assertEqual(self.found("diep tran"), {"Trần Thị Ngọc Diệp"})
        self.assertEqual(self.found("tr ng d"), {"Trần Thị Ngọc Diệp"})
        self.assertEqual(self.found("tran hai"), {"Trần Hải Nam"})
        self.assertEqual(self.found("tran iep"), set())

    def test_through_a_relation(self):
        cohort = make_cohort("L02", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        for student in Student.objects.all():
            Enrollment.objects.create(cohort=cohort, student=student)
        found = Enrollment.objects.filter(person_search_q("hai", self.office, prefix="student__"))
        self.assertEqual(len(found), 4)
        self.assertNotIn("Phạm Văn Thái", names(e.student for e in found))

    def test_a_whole_national_id_finds_its_person_for_who_sees_it_in_full(self):
        diep = Student.objects.get(full_name="Trần Thị Ngọc Diệp")
        number = diep.national_id
        self.assertEqual(len(number), 12)
        for user in (self.office, self.coordinator):  # the coordinator of her locality
            with self.subTest(user=user.username):
                self.assertEqual(list(Student.objects.search(number, user)), [diep])
        # Kept: the start of a national ID finds it too (the API's search relies on it).
        self.assertIn(diep, Student.objects.search(number[:9], self.office))
        # A viewer who sees national IDs masked finds nobody by one, whole or not.
        self.assertEqual(list(Student.objects.search(number, self.board)), [])
        self.assertEqual(list(Student.objects.search(number[:9], self.board)), [])
        self.assertEqual(list(Student.objects.search(number, self.other_coordinator)), [])


class RankingTests(WorldTestCase):
    """The people a search found, best first: the whole name typed, then those whose given
    name was typed, then the others; each group in Vietnamese name order."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Plain name order (given name first) would be: Trần Văn Hải An, Trần Văn Hai, Trần Bá
        # Văn Hải, Trần Văn Hải, Trần Văn Hải Yến.
        for name in ("Trần Văn Hải Yến", "Trần Văn Hải", "Trần Bá Văn Hải", "Trần Văn Hải An", "Trần Văn Hai"):
            make_student(name, locality=cls.h01)
        make_student("Trần Văn Hoài", locality=cls.h01)  # not found: no word starts with "hai"

    def ranked_names(self, query) -> list[str]:
        return names(Student.objects.search(query, self.office).ranked(query))

    def test_whole_name_then_given_name_then_the_others(self):
        self.assertEqual(
            self.ranked_names("tran van hai"),
            ["Trần Văn Hai", "Trần Văn Hải", "Trần Bá Văn Hải", "Trần Văn Hải An", "Trần Văn Hải Yến"],
        )
        ranks = dict(Student.objects.search("Trần Văn Hải", self.office).ranked("Trần Văn Hải").values_list(
            "full_name", "search_rank"
        ))  # fmt: skip
        self.assertEqual(ranks["Trần Văn Hải"], search.WHOLE_NAME)
        self.assertEqual(ranks["Trần Bá Văn Hải"], search.GIVEN_NAME)
        self.assertEqual(ranks["Trần Văn Hải Yến"], search.OTHER)

    def test_the_whole_name_in_another_order(self):
        self.assertEqual(self.ranked_names("hai tran van")[:2], ["Trần Văn Hai", "Trần Văn Hải"])
        # A name longer than the query is not whole, even with every word typed in it.
        self.assertEqual(self.ranked_names("hai tran van")[2], "Trần Bá Văn Hải")

    def test_a_given_name_still_being_typed(self):
        self.assertEqual(
            self.ranked_names("tran h"),
            ["Trần Văn Hai", "Trần Bá Văn Hải", "Trần Văn Hải", "Trần Văn Hoài", "Trần Văn Hải An", "Trần Văn Hải Yến"],
        )

    def test_no_query_or_a_national_id_is_name_order(self):
        plain = ["Trần Văn Hải An", "Trần Văn Hai", "Trần Bá Văn Hải", "Trần Văn Hải", "Trần Văn Hoài"]
        self.assertEqual(self.ranked_names("")[:5], plain)
        self.assertEqual(self.ranked_names("   ")[:5], plain)
        self.assertEqual(self.ranked_names("052")[:5], plain)

    def test_a_search_through_a_relation(self):
        cohort = make_cohort("L03", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 3, 2))
        for student in Student.objects.all():
            Enrollment.objects.create(cohort=cohort, student=student)
        enrollments = Enrollment.objects.filter(person_search_q("van hai", self.office, prefix="student__"))
        ranked = search.ranked(enrollments, "van hai", prefix="student__")
        self.assertEqual(
            [e.student.full_name for e in ranked.select_related("student")],
            ["Trần Văn Hai", "Trần Bá Văn Hải", "Trần Văn Hải", "Trần Văn Hải An", "Trần Văn Hải Yến"],
        )

    def test_what_a_pattern_would_read_as_special_is_plain_text(self):
        """The given-name group uses the database's regular expressions: the words typed
        are escaped, on SQLite and PostgreSQL alike."""
        everyone = Student.objects.all()
        ranks = dict(search.ranked(everyone, "h.i").values_list("full_name", "search_rank"))
        self.assertEqual(ranks["Trần Văn Hải"], search.OTHER)  # "." is no wildcard
        for query in ("(tran", "a[b", "\\", "*", "$", "^h", "ha|", "?", "+", "{2}", "%", "_", "'"):
            with self.subTest(query=query):
                self.assertEqual(len(search.ranked(everyone, query)), 6)
                self.assertEqual(self.ranked_names(query), [])

    def test_the_students_page_lists_the_best_first(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("people:students"), {"q": "tran van hai"})
        self.assertEqual(
            names(response.context["page"]),
            ["Trần Văn Hai", "Trần Văn Hải", "Trần Bá Văn Hải", "Trần Văn Hải An", "Trần Văn Hải Yến"],
        )
