"""``send_result_packs``: the cron job that sends the packs of closed classes."""

import io

from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from daotao.cohorts.models import Cohort
from daotao.testing_smtp import SmtpTestMixin
from daotao.twoway.models import ResultPackDispatch
from daotao.twoway.tests.base import TwoWayWorldTestCase


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_result_packs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class SendResultPacksTests(SmtpTestMixin, TwoWayWorldTestCase):
    def test_sends_once_and_says_what_was_sent(self):
        Cohort.objects.filter(pk__in=[self.cohort.pk, self.other_cohort.pk]).update(status="closed")
        out, err = run()
        self.assertEqual(len(self.smtp.messages), 3)
        self.assertIn("TC01", out)
        self.assertIn("Sở Nội vụ", out)
        self.assertIn(_("%(sent)s results packs sent, %(skipped)s not sent.") % {"sent": 3, "skipped": 1}, out)
        self.assertIn("TC02", err)  # H02 has no address
        self.assertIn("Thị xã Phú Mỹ", err)
        self.smtp.clear()
        out, _err = run()
        self.assertEqual(self.smtp.messages, [])
        self.assertIn(_("%(sent)s results packs sent, %(skipped)s not sent.") % {"sent": 0, "skipped": 1}, out)
        self.assertEqual(ResultPackDispatch.objects.count(), 3)

    def test_one_run_at_a_time(self):
        from django.core.cache import cache

        from daotao.twoway.services import RUN_LOCK

        Cohort.objects.filter(pk=self.cohort.pk).update(status="closed")
        cache.add(RUN_LOCK, "running", 60)
        self.addCleanup(cache.delete, RUN_LOCK)
        with self.assertRaises(CommandError):
            run()
        self.assertEqual(self.smtp.messages, [])

    def test_bad_date(self):
        with self.assertRaises(CommandError):
            run("--since", "2026-07-01")
        with self.assertRaises(CommandError):
            run("--since", "31/02/2026")
        self.assertEqual(self.smtp.messages, [])
