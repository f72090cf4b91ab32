"""Sending packs by email, through a real SMTP server, and the log of what was sent."""

import datetime as dt
import io

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError

from daotao.cohorts.models import Cohort
from daotao.org.models import Unit
from daotao.testing_smtp import SmtpTestMixin, attachments, body
from daotao.twoway.models import ResultPackDispatch, Trigger
from daotao.twoway.services import pack_send, packs_send_for_closed
from daotao.twoway.tests.base import AGENCY_EMAIL, H01_EMAIL, TwoWayWorldTestCase


class PackSendTests(SmtpTestMixin, TwoWayWorldTestCase):
    def test_mail_reaches_the_unit_with_both_files(self):
        dispatch = pack_send(cohort=self.fresh(self.cohort), unit=self.agency, user=self.office)
        [message] = self.smtp.messages
        self.assertEqual(message["To"], AGENCY_EMAIL)
        self.assertIn("TC01", message["Subject"])
        self.assertIn("Sở Nội vụ", body(message))
        files = attachments(message)
        self.assertEqual(set(files), {"ket-qua-tc01-snv.xlsx", "ket-qua-tc01-snv.pdf"})
        self.assertTrue(files["ket-qua-tc01-snv.pdf"].startswith(b"%PDF"))
        sheet = openpyxl.load_workbook(io.BytesIO(files["ket-qua-tc01-snv.xlsx"])).active
        names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
        self.assertEqual(names, [self.e[2].student.full_name])
        # The log says what went where, when and by whom.
        self.assertEqual(dispatch.recipients, AGENCY_EMAIL)
        self.assertEqual(dispatch.students, 1)
        self.assertEqual(dispatch.trigger, Trigger.MANUAL)
        self.assertEqual(dispatch.sent_by, self.office)
        self.assertEqual(dispatch.attachments, ["ket-qua-tc01-snv.xlsx", "ket-qua-tc01-snv.pdf"])
        self.assertIsNotNone(dispatch.sent_at)

    def test_a_unit_without_address_sends_to_the_unit_above(self):
        dispatch = pack_send(cohort=self.fresh(self.cohort), unit=self.x01, user=self.office)
        self.assertEqual(self.smtp.messages[0]["To"], H01_EMAIL)
        self.assertEqual(dispatch.students, 2)

    def test_no_address_anywhere_is_refused_and_not_logged(self):
        with self.assertRaises(ValidationError) as caught:
            pack_send(cohort=self.fresh(self.other_cohort), unit=self.h02, user=self.office)
        self.assertIn("Thị xã Phú Mỹ", caught.exception.messages[0])
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(ResultPackDispatch.objects.exists())

    def test_a_unit_with_no_student_in_the_class_is_refused(self):
        with self.assertRaises(ValidationError):
            pack_send(cohort=self.fresh(self.other_cohort), unit=self.agency, user=self.office)
        self.assertEqual(self.smtp.messages, [])

    def test_only_the_training_office_sends(self):
        for user in (self.board, self.coordinator):
            with self.assertRaises(PermissionDenied):
                pack_send(cohort=self.fresh(self.cohort), unit=self.h01, user=user)
        self.assertEqual(self.smtp.messages, [])


class ClosedClassTests(SmtpTestMixin, TwoWayWorldTestCase):
    def test_open_class_sends_nothing(self):
        self.assertEqual(packs_send_for_closed(), [])
        self.assertEqual(self.smtp.messages, [])

    def test_closed_class_sends_each_unit_once(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(status="closed", closing_date=dt.date(2026, 6, 30))
        Cohort.objects.filter(pk=self.other_cohort.pk).update(status="closed")
        skipped = []
        sent = packs_send_for_closed(skipped=skipped)
        self.assertEqual({d.unit for d in sent}, {self.h01, self.x01, self.agency})
        self.assertTrue(all(d.trigger == Trigger.CLOSED and d.sent_by is None for d in sent))
        self.assertEqual(sorted(m["To"] for m in self.smtp.messages), [H01_EMAIL, H01_EMAIL, AGENCY_EMAIL])
        # TC02 closed too but H02 has no address: reported, not logged.
        self.assertEqual([(c, u) for c, u, _reason in skipped], [(self.other_cohort, self.h02)])
        # Again: nothing more.
        self.smtp.clear()
        self.assertEqual(packs_send_for_closed(), [])
        self.assertEqual(self.smtp.messages, [])
        self.assertEqual(ResultPackDispatch.objects.filter(trigger=Trigger.CLOSED).count(), 3)

    def test_manual_sending_does_not_stop_the_automatic_one(self):
        pack_send(cohort=self.fresh(self.cohort), unit=self.agency, user=self.office)
        Cohort.objects.filter(pk=self.cohort.pk).update(status="closed")
        sent = packs_send_for_closed()
        self.assertEqual(len(sent), 3)

    def test_a_class_past_its_closing_date_waits_until_the_office_closes_it(self):
        # TC02's closing date has passed, but its results are not final until it is closed.
        Unit.objects.filter(pk=self.h02.pk).update(email="h02@binhan.test")
        self.assertEqual(packs_send_for_closed(), [])
        Cohort.objects.filter(pk=self.other_cohort.pk).update(status="closed")
        [dispatch] = packs_send_for_closed()
        self.assertEqual((dispatch.cohort, dispatch.unit, dispatch.students), (self.other_cohort, self.h02, 3))

    def test_since_leaves_older_classes_alone(self):
        Unit.objects.filter(pk=self.h02.pk).update(email="h02@binhan.test")
        Cohort.objects.filter(pk=self.other_cohort.pk).update(status="closed")
        self.assertEqual(packs_send_for_closed(since=dt.date(2026, 7, 1)), [])

    def test_cancelled_class_never_sends(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(status="cancelled", closing_date=dt.date(2026, 6, 30))
        self.assertEqual(packs_send_for_closed(), [])
