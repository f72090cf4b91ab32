"""The grading admin: every list and form opens; rules are edited per program with the
bands checked; grades, decisions, graduates, the register and its counters are read-only;
lists cost the same number of queries whatever their length and are scoped."""

import datetime as dt
from decimal import Decimal as D

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.grading import graduation, register
from daotao.grading.models import Credential, Discipline, Grade, GradingRules, GraduationDecision, GraduationEntry
from daotao.grading.rules import BANDS_WITH_FAIR_AVERAGE, rules_for
from daotao.grading.tests.test_graduation_base import (
    DECIDED,
    ISSUED,
    GraduationWorldTestCase,
    grade_all,
    pass_everything,
)
from daotao.testing import enroll

DEFAULT_LINES = "excellent | Xuất sắc | 9,0\ngood | Giỏi | 8,0\nfair | Khá | 7,0\naverage | Trung bình | 5,0"
READ_ONLY = ["grade", "graduationdecision", "graduationentry", "credential", "registercounter"]


class GradingAdminTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.credentials = register.credentials_issue_for_decision(
            user=cls.office, decision=cls.decision, issued_on=ISSUED
        )
        cls.rules = GradingRules.objects.create(program=cls.tc)
        Discipline.objects.create(enrollment=cls.enrollments[0], measure="reminder", date=DECIDED, reason="Đi muộn")

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_every_list_and_record_opens(self):
        objects = {
            "grade": Grade.objects.first(),
            "graduationdecision": self.decision,
            "graduationentry": GraduationEntry.objects.first(),
            "credential": self.credentials[0],
            "gradingrules": self.rules,
            "discipline": Discipline.objects.get(),
        }
        for model, obj in objects.items():
            with self.subTest(model):
                self.assertEqual(self.client.get(reverse(f"admin:grading_{model}_changelist")).status_code, 200)
                self.assertEqual(
                    self.client.get(reverse(f"admin:grading_{model}_change", args=[obj.pk])).status_code, 200
                )
        self.assertEqual(self.client.get(reverse("admin:grading_registercounter_changelist")).status_code, 200)
        response = self.client.get(reverse("admin:grading_credential_changelist"), {"q": "0003/2026"})
        self.assertEqual(list(response.context["cl"].result_list), [self.credentials[2]])

    def test_the_register_cannot_be_edited_here(self):
        for model in READ_ONLY:
            with self.subTest(model):
                self.assertEqual(self.client.get(reverse(f"admin:grading_{model}_add")).status_code, 403)
        credential = self.credentials[0]
        url = reverse("admin:grading_credential_change", args=[credential.pk])
        self.client.post(url, {"register_number": "9999/2026/BTC"})
        credential.refresh_from_db()
        self.assertEqual(credential.register_number, "0001/2026/BTC")
        self.assertEqual(
            self.client.post(reverse("admin:grading_credential_delete", args=[credential.pk])).status_code, 403
        )
        self.assertTrue(Credential.objects.filter(pk=credential.pk).exists())

    def rules_data(self, **changes):
        data = {
            "program": self.tc.pk,
            "pass_mark": "5.0",
            "score_decimals": 1,
            "average_decimals": 2,
            "max_retakes": 1,
            "retake_cap": "",
            "max_absence_percent": 20,
            "bands": DEFAULT_LINES,
            "downgrade_after_retake": "on",
            "downgrade_for_discipline": "on",
            "essay_max_gap": "1.0",
            "certificate_min_score": "5.0",
        }
        data.update(changes)
        return data

    def test_rules_are_edited_per_program_with_the_bands_checked(self):
        url = reverse("admin:grading_gradingrules_change", args=[self.rules.pk])
        page = self.client.get(url).content.decode()
        self.assertIn("excellent | Xuất sắc | 9,0\ngood | Giỏi | 8,0", page)  # the bands, one a line
        refused = {
            "good above excellent": DEFAULT_LINES.replace("good | Giỏi | 8,0", "good | Giỏi | 9,5"),
            "two names alike": DEFAULT_LINES.replace("Giỏi", "Khá"),
            "two codes alike": DEFAULT_LINES.replace("good |", "fair |"),
            "above the scale": DEFAULT_LINES.replace("9,0", "10,5"),
            "two decimals": DEFAULT_LINES.replace("9,0", "9,25"),
            "not a mark": DEFAULT_LINES.replace("9,0", "chín"),
            "a part missing": DEFAULT_LINES.replace("good | Giỏi | 8,0", "good | 8,0"),
            "a code with spaces": DEFAULT_LINES.replace("excellent", "xuat sac"),
            "no band": "",
            "lowest above the pass mark": DEFAULT_LINES.replace("Trung bình | 5,0", "Trung bình | 5,5"),
        }
        for case, lines in refused.items():
            with self.subTest(case):
                response = self.client.post(url, self.rules_data(bands=lines, max_absence_percent=10))
                self.assertEqual(response.status_code, 200)
                self.assertIn("bands", response.context["adminform"].form.errors)
                self.rules.refresh_from_db()
                self.assertEqual(self.rules.max_absence_percent, 20)  # nothing changed
        with_fair_average = DEFAULT_LINES.replace("average |", "fair_average | Trung bình khá | 6,5\naverage |")
        response = self.client.post(url, self.rules_data(max_absence_percent=10, bands=with_fair_average))
        self.assertRedirects(response, reverse("admin:grading_gradingrules_changelist"))
        self.rules.refresh_from_db()
        self.assertEqual(self.rules.max_absence_percent, 10)
        self.assertEqual(rules_for(self.tc).bands, BANDS_WITH_FAIR_AVERAGE)
        changelist = self.client.get(reverse("admin:grading_gradingrules_changelist"))
        self.assertContains(changelist, "Khá ≥ 7,0; Trung bình khá ≥ 6,5; Trung bình ≥ 5,0")

    def test_lists_do_not_grow_in_queries(self):
        urls = [reverse(f"admin:grading_{model}_changelist") for model in ["grade", "credential", "graduationentry"]]
        urls.append(reverse("admin:grading_graduationdecision_change", args=[self.decision.pk]))
        counts = {}
        for url in urls:
            self.client.get(url)
            with CaptureQueriesContext(connection) as captured:
                self.client.get(url)
            counts[url] = len(captured)
        late = enroll(self.cohort, 8)
        for enrollment in late:
            enrollment.cohort = self.cohort
            grade_all(enrollment, D("8.0"))
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="72", date=DECIDED)
        register.credentials_issue_for_decision(
            user=self.office, decision=GraduationDecision.objects.get(number="72"), issued_on=dt.date(2026, 8, 1)
        )
        self.assertEqual(GraduationEntry.objects.count(), 6 + len(late))
        for url in urls:
            with self.subTest(url), self.assertNumQueries(counts[url]):
                self.client.get(url)

    def test_the_register_is_scoped_for_a_coordinator(self):
        self.coordinator.is_staff = True
        self.coordinator.save()
        self.coordinator.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
        pass_everything(self.other_cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=self.other_cohort, number="9", date=DECIDED)
        register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:grading_credential_changelist"))
        self.assertEqual({c.pk for c in response.context["cl"].result_list}, {c.pk for c in self.credentials})
