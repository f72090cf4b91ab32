"""The training office keeps the school's records in the admin (its group's permissions come
from a migration); other roles do not."""

import datetime as dt

from django.urls import reverse

from daotao.testing import WorldTestCase, enroll, make_cohort, make_student

RECORDS = [
    ("org", "unit"),
    ("org", "lecturer"),
    ("people", "student"),
    ("programs", "program"),
    ("planning", "annualplan"),
    ("planning", "quota"),
    ("cohorts", "cohort"),
    ("cohorts", "enrollment"),
    ("reports", "reporttemplate"),
]


class TrainingOfficeAdminTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.student = make_student("Trần Thị Ngọc Diệp", locality=cls.h01)
        cls.cohort = make_cohort("TC-01/2020", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2020, 3, 2))
        enroll(cls.cohort, 3)
        # The demo, like a real school, lets its training office into the admin.
        cls.office.is_staff = True
        cls.office.save()

    def setUp(self):
        self.client.force_login(self.office)

    def test_lists_and_forms_of_the_records(self):
        for app_label, model in RECORDS:
            with self.subTest(model=model):
                self.assertEqual(self.client.get(reverse(f"admin:{app_label}_{model}_changelist")).status_code, 200)
                self.assertEqual(self.client.get(reverse(f"admin:{app_label}_{model}_add")).status_code, 200)
        response = self.client.get(reverse("admin:cohorts_cohort_changelist"))
        self.assertContains(response, "TC-01/2020")
        response = self.client.get(reverse("admin:people_student_changelist"))
        self.assertContains(response, "Trần Thị Ngọc Diệp")
        response = self.client.get(reverse("admin:cohorts_cohort_change", args=[self.cohort.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["has_change_permission"])

    def test_but_not_the_accounts(self):
        self.assertEqual(self.client.get(reverse("admin:accounts_user_changelist")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:auth_group_changelist")).status_code, 403)

    def test_other_roles_stay_out(self):
        self.board.is_staff = True
        self.board.save()
        self.client.force_login(self.board)
        self.assertEqual(self.client.get(reverse("admin:cohorts_cohort_changelist")).status_code, 403)
