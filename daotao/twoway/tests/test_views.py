"""The two-way pages: a class's recipients and sending (office), the list of classes and
the log (every staff role, scoped), one pack online and as files; and the admin log."""

import io

import openpyxl
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.testing import enroll, make_cohort
from daotao.testing_smtp import SmtpTestMixin
from daotao.twoway.models import ResultPackDispatch, Trigger
from daotao.twoway.services import pack_send
from daotao.twoway.tests.base import AGENCY_EMAIL, H01_EMAIL, TwoWayWorldTestCase


def pack_url(cohort, unit, name="twoway:pack"):
    return reverse(name, args=[cohort.pk, unit.pk])


class CohortPageTests(SmtpTestMixin, TwoWayWorldTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("twoway:cohort", args=[self.cohort.pk])

    def test_recipients_with_address_and_count(self):
        for user in (self.office, self.board):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertContains(response, H01_EMAIL)
            self.assertContains(response, AGENCY_EMAIL)
            self.assertContains(response, "Phường Nam Sơn")
            self.assertContains(response, pack_url(self.cohort, self.x01, "twoway:pack_pdf"))
        self.assertNotContains(response, 'name="unit"')  # the board reads, does not send
        self.client.force_login(self.office)
        self.assertContains(self.client.get(self.url), 'name="unit"')

    def test_unit_without_address_is_shown_and_cannot_be_sent(self):
        self.client.force_login(self.office)
        url = reverse("twoway:cohort", args=[self.other_cohort.pk])
        response = self.client.get(url)
        self.assertContains(response, "Thị xã Phú Mỹ")
        self.assertNotContains(response, 'name="unit"')
        response = self.client.post(url, {"unit": self.h02.pk}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(ResultPackDispatch.objects.exists())

    def test_send_one(self):
        self.client.force_login(self.office)
        response = self.client.post(self.url, {"unit": self.agency.pk}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertEqual([m["To"] for m in self.smtp.messages], [AGENCY_EMAIL])
        dispatch = ResultPackDispatch.objects.get()
        self.assertEqual(
            (dispatch.unit, dispatch.sent_by, dispatch.trigger), (self.agency, self.office, Trigger.MANUAL)
        )
        self.assertContains(response, AGENCY_EMAIL)  # in the log
        self.assertContains(response, "ket-qua-tc01-snv.pdf")

    def test_send_all(self):
        self.client.force_login(self.office)
        self.client.post(self.url, {"unit": "all"})
        self.assertEqual(sorted(m["To"] for m in self.smtp.messages), [H01_EMAIL, H01_EMAIL, AGENCY_EMAIL])
        self.assertEqual(ResultPackDispatch.objects.filter(cohort=self.cohort).count(), 3)

    def test_bad_unit_is_refused_with_a_message(self):
        self.client.force_login(self.office)
        for value in ("", "abc", str(self.h02.pk), "999999"):
            response = self.client.post(self.url, {"unit": value}, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(list(response.context["messages"])), 1)
        self.assertEqual(self.smtp.messages, [])

    def test_access(self):
        self.client.force_login(self.board)
        self.assertEqual(self.client.post(self.url, {"unit": self.agency.pk}).status_code, 403)
        for user in (self.coordinator, self.agency_user, self.lecturer_user, self.student_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, {"unit": "all"}).status_code, 403)
        self.assertEqual(self.smtp.messages, [])
        self.client.force_login(self.office)
        self.assertEqual(self.client.put(self.url).status_code, 405)
        self.assertEqual(self.client.get(reverse("twoway:cohort", args=[999999])).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)


class PackPageTests(TwoWayWorldTestCase):
    def test_coordinator_reads_own_locality_and_units_below(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(pack_url(self.cohort, self.h01))
        for enrollment in self.e:
            self.assertContains(response, enrollment.student.full_name)
        self.assertContains(response, "Vắng họp")
        self.assertContains(response, "5/25")
        response = self.client.get(pack_url(self.cohort, self.x01))
        self.assertContains(response, self.e[1].student.full_name)
        self.assertNotContains(response, self.e[0].student.full_name)

    def test_coordinator_gets_404_outside_scope(self):
        self.client.force_login(self.coordinator)
        for cohort, unit in (
            (self.cohort, self.agency),  # not a unit of theirs
            (self.cohort, self.h02),
            (self.other_cohort, self.h01),  # no student of theirs in that class
            (self.other_cohort, self.h02),
        ):
            self.assertEqual(self.client.get(pack_url(cohort, unit)).status_code, 404, (cohort, unit))
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(pack_url(self.cohort, self.h01)).status_code, 404)
        self.assertEqual(self.client.get(pack_url(self.other_cohort, self.h02)).status_code, 200)

    def test_agency_sees_only_its_staff(self):
        self.client.force_login(self.agency_user)
        response = self.client.get(pack_url(self.cohort, self.agency))
        self.assertContains(response, self.e[2].student.full_name)
        for other in (self.e[0], self.e[1], self.e[3]):
            self.assertNotContains(response, other.student.full_name)
        self.assertEqual(self.client.get(pack_url(self.cohort, self.h01)).status_code, 404)
        self.client.force_login(self.other_agency_user)
        self.assertEqual(self.client.get(pack_url(self.cohort, self.agency)).status_code, 404)

    def test_lecturers_and_students_are_refused(self):
        for user in (self.lecturer_user, self.student_user):
            self.client.force_login(user)
            for name in ("twoway:pack", "twoway:pack_xlsx", "twoway:pack_pdf"):
                self.assertEqual(self.client.get(pack_url(self.cohort, self.h01, name)).status_code, 403)
            self.assertEqual(self.client.get(reverse("twoway:list")).status_code, 403)

    def test_downloads(self):
        self.client.force_login(self.agency_user)
        response = self.client.get(pack_url(self.cohort, self.agency, "twoway:pack_xlsx"))
        self.assertIn("ket-qua-tc01-snv.xlsx", response["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(
            [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)], [self.e[2].student.full_name]
        )
        response = self.client.get(pack_url(self.cohort, self.agency, "twoway:pack_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_queries_do_not_grow_with_the_class(self):
        self.client.force_login(self.coordinator)
        url = pack_url(self.cohort, self.h01)
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        enroll(self.cohort, 15, locality=self.x01)
        with self.assertNumQueries(len(few)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["pack"].rows), 21)


class ListPageTests(SmtpTestMixin, TwoWayWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A class hosted in H02 with one student from H01: its pack is H01's to read.
        cls.visiting = make_cohort("TC03", cls.tc, cls.h02, cls.cohort.opening_date)
        enroll(cls.visiting, 2, locality=cls.h01)

    def test_scoped_classes_and_log(self):
        pack_send(cohort=self.cohort, unit=self.agency, user=self.office)
        pack_send(cohort=self.cohort, unit=self.x01, user=self.office)
        url = reverse("twoway:list")
        self.client.force_login(self.coordinator)
        response = self.client.get(url)
        self.assertEqual({c.code for c in response.context["page"]}, {"TC01", "TC03"})
        self.assertEqual([d.unit for d in response.context["log"]], [self.x01])
        self.assertContains(response, pack_url(self.visiting, self.h01))
        self.client.force_login(self.agency_user)
        response = self.client.get(url)
        self.assertEqual({c.code for c in response.context["page"]}, {"TC01"})
        self.assertEqual([d.unit for d in response.context["log"]], [self.agency])
        self.client.force_login(self.other_agency_user)
        response = self.client.get(url)
        self.assertEqual(list(response.context["page"]), [])
        self.assertEqual(list(response.context["log"]), [])
        for user in (self.office, self.board):
            self.client.force_login(user)
            response = self.client.get(url)
            self.assertEqual({c.code for c in response.context["page"]}, {"TC01", "TC02", "TC03"})
            self.assertEqual(len(response.context["log"]), 2)
            self.assertContains(response, reverse("twoway:cohort", args=[self.cohort.pk]))
        response = self.client.get(url, {"q": "tc03", "page": "x"})
        self.assertEqual([c.code for c in response.context["page"]], ["TC03"])

    def test_queries_do_not_grow_with_the_list(self):
        self.client.force_login(self.coordinator)
        url = reverse("twoway:list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for number in range(5):
            cohort = make_cohort(f"TC1{number}", self.tc, self.h01, self.cohort.opening_date)
            enroll(cohort, 2)
            pack_send(cohort=cohort, unit=self.h01, user=self.office)
        with self.assertNumQueries(len(few)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["log"]), 5)


class AdminTests(SmtpTestMixin, TwoWayWorldTestCase):
    def test_log_is_read_only_and_scoped(self):
        pack_send(cohort=self.cohort, unit=self.agency, user=self.office)
        pack_send(cohort=self.cohort, unit=self.h01, user=self.office)
        dispatch = ResultPackDispatch.objects.get(unit=self.agency)
        self.client.force_login(self.superuser)
        changelist = reverse("admin:twoway_resultpackdispatch_changelist")
        response = self.client.get(changelist)
        self.assertContains(response, AGENCY_EMAIL)
        self.assertContains(response, H01_EMAIL)
        self.assertEqual(
            self.client.get(reverse("admin:twoway_resultpackdispatch_change", args=[dispatch.pk])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("admin:twoway_resultpackdispatch_add")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("admin:twoway_resultpackdispatch_changelist"), {"q": "TC01"}).status_code, 200
        )
        self.agency_user.is_staff = True
        self.agency_user.save()
        self.agency_user.user_permissions.add(Permission.objects.get(codename="view_resultpackdispatch"))
        self.client.force_login(self.agency_user)
        response = self.client.get(changelist)
        self.assertContains(response, AGENCY_EMAIL)
        self.assertNotContains(response, H01_EMAIL)
