"""Two runs of the daily command at once (real threads, each with its own database
connection): each crossing is recorded once and mailed once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from daotao.alerts import sending
from daotao.alerts.models import DEFAULT_THRESHOLDS, AbsenceThreshold, AbsenceWarning, WarningStatus
from daotao.alerts.tests.base import absent, build_alerts_world, schedule
from daotao.testing import TransactionalTeachingWorld, overlapping, run_at_once
from daotao.testing_smtp import SmtpTestMixin

DAY = dt.date(2026, 3, 31)


class ConcurrentRunsTests(SmtpTestMixin, TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        # The thresholds the migration installs (a flush between such tests removes them).
        for percent in DEFAULT_THRESHOLDS:
            AbsenceThreshold.objects.get_or_create(percent=percent)
        build_alerts_world(self)
        lessons = schedule(self.cohort, self.m1, self.lecturer, [5] * 10)
        absent(self.enrollments[0], lessons[:1])  # 50%
        absent(self.enrollments[1], lessons[:3])  # 150%: three thresholds at once

    def run_twice(self):
        now = timezone.now()

        def run(_batch):
            return sending.warnings_send(today=DAY, now=now)

        # Both runs meet just before inserting their warnings, so that they overlap there.
        with overlapping(sending, "_claim_new"):
            return run_at_once(run, [1, 2])

    def test_each_crossing_is_recorded_and_mailed_once(self):
        reports, errors = self.run_twice()
        self.assertEqual(errors, [])
        self.assertEqual(len(reports), 2)
        self.assertEqual(sum(report.emails for report in reports), 2)
        self.assertEqual(sum(report.crossings for report in reports), 4)
        self.assertEqual(len(self.smtp.messages), 2)
        self.assertEqual(
            sorted(AbsenceWarning.objects.values_list("enrollment_id", "threshold")),
            [(self.enrollments[0].pk, 50)] + [(self.enrollments[1].pk, t) for t in (50, 80, 100)],
        )
        self.assertEqual(set(AbsenceWarning.objects.values_list("status", flat=True)), {WarningStatus.SENT})
