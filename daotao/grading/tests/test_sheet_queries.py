"""The class overview (every module × every student) and a module's grade sheet render in
a number of queries that does not grow with the students or the modules."""

import datetime as dt
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.grading.models import Grade
from daotao.teaching.models import TeachingAssignment
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_module


class SheetQueryCountTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        small_program = cls.programs["BD-LDP"]
        cls.small_module = make_module(small_program, "L1", 10)
        cls.small = make_cohort("S01", small_program, cls.h01, dt.date(2026, 4, 1))
        for enrollment in enroll(cls.small, 2):
            Grade.objects.create(enrollment=enrollment, assessment=cls.small_module.assessments.first(), score=D("7"))

        big_program = cls.programs["BD-CVC"]
        cls.modules = [make_module(big_program, f"M{i:02d}", 10 + i) for i in range(12)]
        cls.big = make_cohort("B01", big_program, cls.h01, dt.date(2026, 4, 1))
        Grade.objects.bulk_create(
            [
                Grade(enrollment=enrollment, assessment=assessment, score=D("7.5"))
                for enrollment in enroll(cls.big, 100)
                for module in cls.modules
                for assessment in module.assessments.all()
            ]
        )

    def queries(self, url) -> int:
        """Queries of one page view for the training office (signed in beforehand)."""
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def test_overview_of_2x1_and_100x12_in_the_same_queries(self):
        self.client.force_login(self.office)
        few = self.queries(reverse("grading:cohort", args=[self.small.pk]))
        with self.assertNumQueries(few):
            response = self.client.get(reverse("grading:cohort", args=[self.big.pk]))
        self.assertContains(response, "7,5", count=100 * 12)
        self.assertContains(response, "<tr>", count=1 + 100)

    def test_module_sheet_of_2_and_100_students_in_the_same_queries(self):
        self.client.force_login(self.office)
        few = self.queries(reverse("grading:sheet", args=[self.small.pk, self.small_module.pk]))
        with self.assertNumQueries(few):
            response = self.client.get(reverse("grading:sheet", args=[self.big.pk, self.modules[-1].pk]))
        self.assertContains(response, 'class="grade"', count=100 * 3)
        self.assertContains(response, 'value="7,5"', count=100 * 2)

    def test_the_lecturer_sheet_too(self):
        TeachingAssignment.objects.create(cohort=self.small, module=self.small_module, lecturer=self.lecturer)
        TeachingAssignment.objects.create(cohort=self.big, module=self.modules[-1], lecturer=self.lecturer)
        self.client.force_login(self.lecturer_user)
        few = self.queries(reverse("grading:sheet", args=[self.small.pk, self.small_module.pk]))
        with self.assertNumQueries(few):
            self.client.get(reverse("grading:sheet", args=[self.big.pk, self.modules[-1].pk]))
