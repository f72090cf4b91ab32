"""Students: derived name columns, validation, search and order in the database."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from daotao.lib import national_id
from daotao.people.models import Student
from daotao.testing import WorldTestCase, load_testdata, make_cohort, make_student


class StudentModelTests(WorldTestCase):
    def test_name_columns_are_derived_on_save(self):
        student = make_student("  TRẦN   THỊ NGỌC DIỆP ")
        student.refresh_from_db()
        self.assertEqual(student.full_name, "Trần Thị Ngọc Diệp")
        self.assertEqual(student.given_name, "Diệp")
        self.assertEqual(student.search_key, "tran thi ngoc diep")
        self.assertTrue(student.sort_key.isdigit())

    def test_national_id_is_unique(self):
        student = make_student("Lê Văn Tám")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_student("Lê Văn Chín", national_id=student.national_id)

    def test_database_refuses_a_national_id_that_is_not_12_long(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Student.objects.create(national_id="12345", full_name="Lê Văn Tám")

    def test_clean_names_the_problem_in_vietnamese(self):
        born = dt.date(1980, 2, 2)
        student = Student(national_id=national_id.make("052", "male", born, 9), full_name="Lê Văn Tám")
        student.date_of_birth = dt.date(1981, 2, 2)
        with self.assertRaises(ValidationError) as caught:
            student.full_clean()
        self.assertIn("năm sinh", caught.exception.message_dict["national_id"][0])
        student.national_id = "99918000000"
        with self.assertRaises(ValidationError) as caught:
            student.full_clean()
        self.assertIn("12 chữ số", caught.exception.message_dict["national_id"][0])


class StudentOrderAndSearchTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.names = load_testdata("names-order.json")
        for name in cls.names["input"]:
            make_student(name, locality=cls.h01)
        make_student("Trần Thị Ngọc Diệp", locality=cls.h02)

    def test_database_order_is_vietnamese_class_list_order(self):
        names = list(Student.objects.filter(locality=self.h01).order_by("sort_key").values_list("full_name", flat=True))
        self.assertEqual(names, self.names["expected"])

    def test_search_ignores_case_and_diacritics(self):
        for query in ("tran thi ngoc diep", "TRẦN THỊ NGỌC DIỆP", "Tran Thi Ngoc Diep", "ngoc diep", "  DIEP "):
            with self.subTest(query=query):
                self.assertEqual(
                    list(Student.objects.search(query).values_list("full_name", flat=True)), ["Trần Thị Ngọc Diệp"]
                )

    def test_search_every_word_must_match(self):
        self.assertEqual(Student.objects.search("tran anh").count(), 4)  # Trần Ánh Đức/Cúc/Toàn, Trần Đình Ảnh
        self.assertEqual(Student.objects.search("dang").count(), 3)  # Đặng ×3
        self.assertEqual(Student.objects.search("xyz").count(), 0)

    def test_search_with_many_words_uses_the_first_ten_distinct_ones(self):
        diep = ["Trần Thị Ngọc Diệp"]
        self.assertEqual(
            list(Student.objects.search("tran thi ngoc diep " * 300).values_list("full_name", flat=True)), diep
        )
        self.assertEqual(Student.objects.search("diep " + " ".join(f"x{i}" for i in range(1000))).count(), 0)
        # Ten words that start words of "tran thi ngoc diep", then one that does not: it is not read.
        found = Student.objects.search("t tr tra tran th thi n ng ngo ngoc zzz").values_list("full_name", flat=True)
        self.assertIn(diep[0], found)

    def test_search_by_national_id_prefix(self):
        student = Student.objects.get(full_name="Trần Thị Ngọc Diệp")
        self.assertEqual(list(Student.objects.search(student.national_id)), [student])


class StudentScopeTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = make_student("Lê Văn Một", locality=cls.h01)
        cls.commune = make_student("Lê Văn Hai", locality=cls.x01)
        cls.other = make_student("Lê Văn Ba", locality=cls.h02)
        cls.visitor = make_student("Lê Văn Bốn", locality=cls.h03)
        # A student of H03 studying in a class held in H01 is visible to H01's coordinator.
        cohort = make_cohort("K1", cls.programs["BD-BTX"], cls.h01, dt.date(2020, 1, 6))
        cohort.enrollments.create(student=cls.visitor)

    def visible(self, user):
        return set(Student.objects.visible_to(user).values_list("full_name", flat=True))

    def test_school_staff_see_everyone(self):
        everyone = {"Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba", "Lê Văn Bốn"}
        for user in (self.office, self.board, self.superuser):
            self.assertEqual(self.visible(user), everyone)

    def test_coordinator_sees_own_locality_below_and_own_classes(self):
        self.assertEqual(self.visible(self.coordinator), {"Lê Văn Một", "Lê Văn Hai", "Lê Văn Bốn"})
        self.assertEqual(self.visible(self.other_coordinator), {"Lê Văn Ba"})

    def test_others_see_no_one(self):
        from django.contrib.auth.models import AnonymousUser

        for user in (AnonymousUser(), self.nobody, self.unscoped):
            self.assertEqual(self.visible(user), set())
