"""The training office keeps the thresholds in the admin; the warnings are read-only there."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from daotao.alerts.models import DEFAULT_THRESHOLDS, AbsenceThreshold, AbsenceWarning
from daotao.alerts.sending import warnings_send
from daotao.alerts.tests.base import AlertsWorldTestCase, absent, schedule
from daotao.testing import make_user


class ThresholdAdminTests(AlertsWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The office's admin flag, as the accounts give it (``is_staff``).
        cls.office.is_staff = True
        cls.office.save(update_fields=["is_staff"])

    def setUp(self):
        self.client.force_login(self.office)

    def test_the_defaults_are_installed(self):
        self.assertEqual(AbsenceThreshold.objects.percents(), list(DEFAULT_THRESHOLDS))

    def test_the_office_adds_changes_and_removes_a_threshold(self):
        response = self.client.post(reverse("admin:alerts_absencethreshold_add"), {"percent": "60", "is_active": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AbsenceThreshold.objects.percents(), [50, 60, 80, 100])
        fifty = AbsenceThreshold.objects.get(percent=50)
        self.client.post(reverse("admin:alerts_absencethreshold_change", args=[fifty.pk]), {"percent": "50"})
        self.assertEqual(AbsenceThreshold.objects.percents(), [60, 80, 100])
        self.client.post(reverse("admin:alerts_absencethreshold_delete", args=[fifty.pk]), {"post": "yes"})
        self.assertFalse(AbsenceThreshold.objects.filter(percent=50).exists())

    def test_bad_thresholds_are_refused(self):
        for value in ("0", "101", "50", "-5", "abc", "12,5"):
            response = self.client.post(reverse("admin:alerts_absencethreshold_add"), {"percent": value})
            self.assertEqual(response.status_code, 200, value)
            self.assertTrue(response.context["adminform"].form.errors, value)
        self.assertEqual(AbsenceThreshold.objects.percents(), list(DEFAULT_THRESHOLDS))

    def test_the_warnings_are_shown_not_edited(self):
        lessons = schedule(self.cohort, self.m1, self.lecturer, [5] * 10)
        absent(self.enrollments[0], lessons[:1])
        warnings_send(today=dt.date(2026, 3, 31))
        warning = AbsenceWarning.objects.get()
        self.assertContains(self.client.get(reverse("admin:alerts_absencewarning_changelist")), "hv0@binhan.test")
        self.assertEqual(self.client.get(reverse("admin:alerts_absencewarning_add")).status_code, 403)
        change = reverse("admin:alerts_absencewarning_change", args=[warning.pk])
        self.assertEqual(self.client.get(change).status_code, 200)
        self.client.post(change, {"threshold": "80"})
        self.assertEqual(AbsenceWarning.objects.get().threshold, 50)
        delete = reverse("admin:alerts_absencewarning_delete", args=[warning.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(AbsenceWarning.objects.exists())
        # The search finds a student by a name typed without accents.
        search = self.client.get(reverse("admin:alerts_absencewarning_changelist"), {"q": "hoc vien"})
        self.assertEqual(search.context["cl"].result_count, 1)

    def test_nobody_else_has_the_admin(self):
        for user in (self.coordinator, self.board, make_user("editor2", "editor", is_staff=True)):
            self.client.force_login(user)
            response = self.client.get(reverse("admin:alerts_absencethreshold_changelist"))
            self.assertIn(response.status_code, (302, 403), user.username)
