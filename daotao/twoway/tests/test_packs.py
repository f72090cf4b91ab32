"""A class's results pack for one unit: content from the records, recipients, files and
query counts."""

import io
from decimal import Decimal as D

import openpyxl
from django.utils.translation import gettext as _

from daotao.grading.models import Classification, Credential, DisciplineMeasure, register_note
from daotao.org.models import contact_email
from daotao.testing import enroll
from daotao.testing_documents import pdf_layout_problems, pdf_text
from daotao.twoway import packs
from daotao.twoway.tests.base import AGENCY_EMAIL, H01_EMAIL, TwoWayWorldTestCase


class PackContentTests(TwoWayWorldTestCase):
    def test_locality_pack_holds_its_students_and_those_below_it(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.h01)
        self.assertEqual([row.full_name for row in pack.rows], [e.student.full_name for e in self.e])
        self.assertEqual([module.code for module in pack.modules], ["HP1", "HP2", "HP3"])

    def test_commune_pack_holds_only_its_students(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.x01)
        self.assertEqual(
            [row.full_name for row in pack.rows], [self.e[1].student.full_name, self.e[3].student.full_name]
        )

    def test_agency_pack_holds_only_its_staff(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.agency)
        self.assertEqual([row.full_name for row in pack.rows], [self.e[2].student.full_name])
        self.assertEqual(pack.rows[0].agency, "Sở Nội vụ")

    def test_grades_classification_attendance_conduct_and_graduation(self):
        rows = packs.pack_for(self.fresh(self.cohort), self.h01).rows
        first, warned, failed = rows[0], rows[1], rows[5]
        self.assertEqual([outcome.result for outcome in first.outcomes], [D("8.0")] * 3)
        self.assertEqual(first.average, D("8.00"))
        self.assertEqual(first.classification, Classification.GOOD.label)
        self.assertEqual((first.missed_periods, first.total_periods), (5, 25))
        self.assertEqual(first.conduct, [])
        self.assertTrue(first.graduated)
        self.assertIn("58", first.graduation)
        self.assertEqual(first.credential_number, self.credentials[self.e[0].pk].register_number)
        # A warning: noted, and the classification one step lower.
        self.assertEqual(warned.classification, Classification.FAIR.label)
        self.assertEqual(len(warned.conduct), 1)
        self.assertIn(str(DisciplineMeasure.WARNING.label), warned.conduct[0])
        self.assertIn("12/QĐ", warned.conduct[0])
        self.assertIn("Vắng họp", warned.conduct[0])
        self.assertEqual((warned.missed_periods, warned.total_periods), (0, 25))
        # Failed every exam: no classification, no diploma, the reasons given.
        self.assertEqual([outcome.result for outcome in failed.outcomes], [D("4.5")] * 3)
        self.assertFalse(failed.graduated)
        self.assertEqual(failed.classification, "")
        self.assertEqual(failed.credential_number, "")
        self.assertIn(_("%(module)s: not passed.") % {"module": self.m1.name}, failed.graduation)

    def test_unit_with_no_student_in_the_class_gets_an_empty_pack(self):
        self.assertEqual(packs.pack_for(self.fresh(self.cohort), self.h02).rows, [])

    def test_cancelled_enrollment_is_left_out(self):
        cancelled = enroll(self.cohort, 1, status="cancelled", locality=self.h01)[0]
        names = [row.full_name for row in packs.pack_for(self.fresh(self.cohort), self.h01).rows]
        self.assertNotIn(cancelled.student.full_name, names)
        self.assertEqual(len(names), 6)


class RecipientTests(TwoWayWorldTestCase):
    def test_units_named_by_the_students_with_the_nearest_address(self):
        recipients = dict(packs.recipients_for(self.cohort))
        self.assertEqual(recipients, {self.h01: H01_EMAIL, self.x01: H01_EMAIL, self.agency: AGENCY_EMAIL})

    def test_counts(self):
        counts = {unit: count for unit, _email, count in packs.recipients_with_counts(self.cohort)}
        self.assertEqual(counts, {self.h01: 6, self.x01: 2, self.agency: 1})

    def test_unit_without_any_address(self):
        self.assertEqual(packs.recipients_for(self.other_cohort), [(self.h02, "")])

    def test_unit_email_walks_up(self):
        self.assertEqual(contact_email(self.x01), H01_EMAIL)
        self.assertEqual(contact_email(self.h02), "")


class PackFileTests(TwoWayWorldTestCase):
    def test_xlsx_has_a_row_per_student(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.x01)
        sheet = openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(pack))).active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[3]
        self.assertEqual(header[:2], (_("No."), _("Full name")))
        self.assertIn("HP1", header)
        students = rows[4:]
        self.assertEqual([row[1] for row in students], [self.e[1].student.full_name, self.e[3].student.full_name])
        warned = students[0]
        self.assertEqual(warned[header.index("HP1")], 8.0)
        self.assertEqual(warned[header.index(_("Classification"))], Classification.FAIR.label)
        self.assertIn("Vắng họp", warned[header.index(_("Conduct"))])
        self.assertEqual(warned[header.index(_("Total periods"))], 25)

    def test_pdf(self):
        pack = packs.pack_for(self.fresh(self.cohort), self.agency)
        self.assertTrue(packs.pack_pdf(pack).startswith(b"%PDF"))

    def test_a_credential_of_a_merged_schools_register_is_named(self):
        """Issue 23: a number of a merged school's register is shown with its register."""
        merged = "Trường Chính trị tỉnh Bình Phước"
        Credential.objects.filter(pk=self.credentials[self.e[2].pk].pk).update(register=merged)
        pack = packs.pack_for(self.fresh(self.cohort), self.agency)
        self.assertEqual(
            (pack.rows[0].credential_number, pack.rows[0].credential_register),
            (self.credentials[self.e[2].pk].register_number, merged),
        )
        rows = list(openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(pack))).active.iter_rows(values_only=True))
        cell = rows[4][rows[3].index(_("Diploma or certificate number"))]
        self.assertEqual(cell, f"{pack.rows[0].credential_number}\n{register_note(merged)}")
        content = packs.pack_pdf(pack)
        self.assertIn(f"Sổ: {merged}", pdf_text(content))
        self.assertEqual(pdf_layout_problems(content), [])


class PackQueryTests(TwoWayWorldTestCase):
    def test_constant_queries_whatever_the_number_of_students(self):
        cohort = self.fresh(self.cohort)
        with self.assertNumQueries(11):
            small = packs.pack_for(cohort, self.x01)
        cohort = self.fresh(self.cohort)
        with self.assertNumQueries(11):
            large = packs.pack_for(cohort, self.h01)
        self.assertEqual((len(small), len(large)), (2, 6))

    def test_recipients_in_two_queries(self):
        with self.assertNumQueries(2):
            packs.recipients_for(self.cohort)
