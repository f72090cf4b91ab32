"""``send_result_packs``: the cron job that sends the packs of closed classes."""

import datetime as dt
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
        Cohort.objects.filter(pk=self.cohort.pk).update(status="closed", closing_date=dt.date(2026, 6, 30))
        out, err = run("--today", "01/07/2026")
        self.assertEqual(len(self.smtp.messages), 3)
        self.assertIn("TC01", out)
        self.assertIn("Sở Nội vụ", out)
        self.assertIn(_("%(sent)s results packs sent, %(skipped)s not sent.") % {"sent": 3, "skipped": 1}, out)
        self.assertIn("TC02", err)  # H02 has no address
        self.assertIn("Thị xã Phú Mỹ", err)
        self.smtp.clear()
        out, _err = run("--today", "01/07/2026")
        self.assertEqual(self.smtp.messages, [])
        self.assertIn(_("%(sent)s results packs sent, %(skipped)s not sent.") % {"sent": 0, "skipped": 1}, out)
        self.assertEqual(ResultPackDispatch.objects.count(), 3)

    def test_bad_date(self):
        with self.assertRaises(CommandError):
            run("--today", "2026-07-01")
        with self.assertRaises(CommandError):
            run("--since", "31/02/2026")
        self.assertEqual(self.smtp.messages, [])
