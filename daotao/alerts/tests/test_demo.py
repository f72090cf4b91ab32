"""The demo's warnings: the Trung cấp class's student with forced absences was warned while
the class was taught, and the list shows it to the office and to the agency that sent them."""

from __future__ import annotations

from django.urls import reverse

from daotao.accounts.models import User
from daotao.alerts.models import AbsenceThreshold, AbsenceWarning, WarningStatus
from daotao.demo import data
from daotao.demo import teaching_data as td
from daotao.demo.surveys import AGENCY_USERNAME
from daotao.demo.teaching import BARRED_MODULE
from daotao.testing import DemoTestCase


class DemoWarningsTests(DemoTestCase):
    def test_the_barred_student_was_warned_during_the_course(self):
        self.assertEqual(AbsenceThreshold.objects.percents(), [50, 80, 100])
        warnings = AbsenceWarning.objects.filter(
            enrollment__cohort__code=td.TC_CODE, module__code=BARRED_MODULE
        ).select_related("enrollment__cohort", "enrollment__student")
        self.assertEqual(sorted(w.threshold for w in warnings), [50, 80, 100])
        for warning in warnings:
            self.assertEqual(warning.status, WarningStatus.SENT)
            self.assertTrue(warning.enrollment.cohort.covers(warning.sent_at.date()))
            self.assertIn(warning.enrollment.student.email, warning.recipient_list)
            self.assertEqual(len(warning.recipient_list), 3)  # the student, the ward, Sở Nội vụ
        over = max(warnings, key=lambda w: w.threshold)
        self.assertGreater(over.absences, over.limit)

    def test_the_class_tab_shows_them(self):
        cohort_id = AbsenceWarning.objects.filter(enrollment__cohort__code=td.TC_CODE).first().enrollment.cohort_id
        for username in (data.USERS[0][0], AGENCY_USERNAME):
            self.client.force_login(User.objects.get(username=username))
            response = self.client.get(reverse("alerts:list") + f"?cohort={cohort_id}")
            self.assertContains(response, BARRED_MODULE)
            self.assertContains(response, "cq.snv@")
