"""``send_absence_warnings``: the daily job, its --date and --dry-run, and what it says."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from daotao.alerts.models import AbsenceWarning
from daotao.alerts.tests.base import SmtpAlertsTestCase, absent
from daotao.people.models import Student


def run(*args, streams=None):
    out, err = streams or (io.StringIO(), io.StringIO())
    call_command("send_absence_warnings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class CommandTests(SmtpAlertsTestCase):
    def setUp(self):
        super().setUp()
        absent(self.enrollments[0], self.lessons[:2])  # 2/3/2026 and 3/3/2026
        absent(self.enrollments[1], self.lessons[6:7])  # 8/3/2026

    def test_dry_run_then_run_on_a_day(self):
        out, _err = run("--date", "05/03/2026", "--dry-run")
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(AbsenceWarning.objects.exists())
        self.assertIn("TC01", out)
        self.assertIn("hv0@binhan.test", out)
        self.assertNotIn("hv1@binhan.test", out)  # that lesson comes after the day
        out, _err = run("--date", "2026-03-05")
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(AbsenceWarning.objects.count(), 3)
        self.smtp.clear()
        run()  # today: the later absence too
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(AbsenceWarning.objects.count(), 4)

    def test_counts_at_the_end_and_a_failure_is_an_error(self):
        Student.objects.filter(pk=self.enrollments[1].student_id).update(email="refuse@binhan.test")
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaises(CommandError):
            run(streams=(out, err))
        self.assertIn("refuse@binhan.test", err.getvalue())
        summary = _(
            "%(classes)s classes, %(crossings)s new crossings, %(emails)s emails sent, %(unreachable)s with "
            "nobody to email, %(failed)s failed, %(withdrawn)s warnings withdrawn."
        ) % {"classes": 2, "crossings": 4, "emails": 1, "unreachable": 0, "failed": 1, "withdrawn": 0}
        self.assertIn(summary, out.getvalue())
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(AbsenceWarning.objects.filter(sent_at__isnull=False).count(), 3)

    def test_a_bad_date_is_refused(self):
        for value in ("31/02/2026", "3/5/26", "hôm nay"):
            with self.assertRaises(CommandError):
                run("--date", value)
        self.assertFalse(AbsenceWarning.objects.exists())
