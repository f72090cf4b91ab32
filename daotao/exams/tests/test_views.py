from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.exams import services
from daotao.exams.models import ExamSession, ExamStatus, Script
from daotao.exams.tests.base import EnglishMessages, make_exam, make_rooms, sealed_exam
from daotao.grading.models import Grade
from daotao.testing import TeachingWorldTestCase, make_user


class ExamPagesTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)
        cls.student_names = [e.student.full_name for e in cls.enrollments]

    def setUp(self):
        super().setUp()
        self.exam = sealed_exam(self)
        self.detail = reverse("exams:detail", args=[self.exam.pk])
        self.marking = reverse("exams:marking", args=[self.exam.pk])
        self.listing = reverse("exams:cohort", args=[self.cohort.pk])
        self.pdfs = [reverse(f"exams:{kind}", args=[self.exam.pk]) for kind in ("candidates_pdf", "slips_pdf")]

    def get(self, user, url):
        self.client.force_login(user)
        return self.client.get(url)

    def assert_no_names(self, response):
        text = response.content.decode()
        for name in self.student_names:
            self.assertNotIn(name, text)

    def test_who_opens_what(self):
        expected = [
            (self.office, [200, 200, 200, 200, 200]),
            (self.board, [200, 200, 403, 200, 200]),
            (self.lecturer_user, [200, 200, 200, 403, 403]),
            # Teaches m3 in the class, not m1: the class's list, but not m1's session.
            (self.other_lecturer_user, [200, 404, 404, 403, 403]),
            (self.coordinator, [403, 403, 403, 403, 403]),
            (self.student_user, [403, 403, 403, 403, 403]),
            (self.nobody, [403, 403, 403, 403, 403]),
        ]
        for user, statuses in expected:
            for url, status in zip([self.listing, self.detail, self.marking, *self.pdfs], statuses, strict=True):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.get(user, url).status_code, status)

    def test_a_lecturer_of_another_class_gets_404(self):
        outsider = make_user("gv3", "lecturer")
        from daotao.org.models import Lecturer

        Lecturer.objects.create(full_name="Giảng Viên Ngoài", faculty=self.faculty, user=outsider)
        for url in (self.listing, self.detail, self.marking):
            self.assertEqual(self.get(outsider, url).status_code, 404)

    def test_the_other_lecturer_does_not_see_the_session_in_the_list(self):
        response = self.get(self.other_lecturer_user, self.listing)
        self.assertNotContains(response, self.detail)
        self.assertContains(self.get(self.lecturer_user, self.listing), self.detail)

    def test_graders_see_codes_and_never_names_before_decoding(self):
        codes = list(Script.objects.filter(exam=self.exam).values_list("code", flat=True))
        for user in (self.lecturer_user, self.office):
            response = self.get(user, self.marking)
            for code in codes:
                self.assertContains(response, code)
            self.assert_no_names(response)
        for url in (self.detail, self.listing):
            self.assert_no_names(self.get(self.lecturer_user, url))
        # The office's own session page shows the candidates, but no code next to them.
        office_page = self.get(self.office, self.detail).content.decode()
        self.assertIn(self.student_names[0], office_page)
        for code in codes:
            self.assertNotIn(code, office_page)
        # A refused mark's message names the code and the value, nobody else.
        self.client.force_login(self.lecturer_user)
        response = self.client.post(self.marking, {f"mark-{codes[0]}": "12"})
        self.assertEqual(response.status_code, 400)
        self.assert_no_names(response)

    def test_marking_by_code_in_the_page(self):
        codes = sorted(Script.objects.filter(exam=self.exam).values_list("code", flat=True))
        self.client.force_login(self.lecturer_user)
        # One refused mark: nothing is saved, the typed values come back with the reason.
        response = self.client.post(self.marking, {f"mark-{codes[0]}": "7,5", f"mark-{codes[1]}": "bảy"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "bảy", status_code=400)
        self.assertContains(response, "is not a score", status_code=400)
        self.assertFalse(Script.objects.filter(exam=self.exam, score__isnull=False).exists())
        response = self.client.post(self.marking, {f"mark-{codes[0]}": "7,5", f"mark-{codes[1]}": "8"})
        self.assertRedirects(response, self.marking)
        self.assertEqual(Script.objects.get(exam=self.exam, code=codes[0]).score, Decimal("7.5"))
        self.assertEqual(Script.objects.get(exam=self.exam, code=codes[1]).score, Decimal("8.0"))

    def test_the_office_decodes_and_then_sees_who_had_which_code(self):
        for script in Script.objects.filter(exam=self.exam):
            services.mark_record(user=self.lecturer_user, exam=self.exam, code=script.code, value="6,5")
        self.client.force_login(self.office)
        response = self.client.post(self.detail, {"action": "decode"})
        self.assertRedirects(response, self.detail)
        self.assertEqual(Grade.objects.filter(assessment__module=self.m1, assessment__is_exam=True).count(), 6)
        page = self.get(self.office, self.detail)
        for script in Script.objects.filter(exam=self.exam):
            self.assertContains(page, script.code)
        self.assert_no_names(self.get(self.lecturer_user, self.detail))
        marking = self.get(self.lecturer_user, self.marking)
        self.assertContains(marking, "locked")
        self.assertNotContains(marking, '<input type="text"')
        # Posting a mark to a decoded session changes nothing.
        code = Script.objects.filter(exam=self.exam).first().code
        self.client.force_login(self.lecturer_user)
        response = self.client.post(self.marking, {f"mark-{code}": "9"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Script.objects.get(exam=self.exam, code=code).score, Decimal("6.5"))

    def test_the_office_creates_a_session_and_errors_come_back_in_the_form(self):
        self.client.force_login(self.office)
        exam_of_m2 = self.m2.assessments.get(is_exam=True)
        body = {"assessment": exam_of_m2.pk, "attempt": 1, "date": "31/02/2026", "session": "morning"}
        response = self.client.post(self.listing, body)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "dd/mm/yyyy", status_code=400)
        self.assertFalse(ExamSession.objects.filter(assessment=exam_of_m2).exists())
        response = self.client.post(self.listing, {**body, "date": "13/06/2026", "anonymised": "on"})
        exam = ExamSession.objects.get(assessment=exam_of_m2)
        self.assertRedirects(response, reverse("exams:detail", args=[exam.pk]))
        self.assertTrue(exam.anonymised)
        # The room form: a room taken that half day by m1's exam comes back with the reason.
        services.exam_change(user=self.office, exam=exam, date=self.exam.date, session="morning", anonymised=True)
        url = reverse("exams:detail", args=[exam.pk])
        response = self.client.post(url, {"action": "room_add", "room": self.room_a.pk})
        self.assertContains(response, "taken by the exam of TC01", status_code=400)
        self.assertFalse(exam.rooms.exists())
        response = self.client.post(url, {"action": "room_add", "room": self.small_room.pk})
        self.assertRedirects(response, url)
        response = self.client.post(url, {"action": "seat"}, follow=True)
        self.assertContains(response, "the session has 6")

    def test_a_sealed_session_refuses_changes_with_a_message(self):
        self.client.force_login(self.office)
        body = {"action": "change", "date": "13/06/2026", "session": "afternoon", "anonymised": "on"}
        response = self.client.post(self.detail, body, follow=True)
        self.assertContains(response, "can no longer be changed")
        self.assertEqual(ExamSession.objects.get(pk=self.exam.pk).session, "morning")
        response = self.client.post(self.detail, {"action": "seal", "absent": "x"}, follow=True)
        self.assertContains(response, "Only the session&#x27;s candidates")
        self.assertEqual(self.client.post(self.detail, {"action": "drop"}).status_code, 400)

    def test_only_the_office_posts(self):
        for user in (self.board, self.lecturer_user):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.detail, {"action": "decode"}).status_code, 403)
        self.assertEqual(ExamSession.objects.get(pk=self.exam.pk).status, ExamStatus.SEALED)
        self.client.force_login(self.board)
        self.assertEqual(self.client.post(self.marking, {}).status_code, 403)

    def test_the_list_reads_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        self.client.get(self.listing)  # the session's and caches' first reads
        with CaptureQueriesContext(connection) as one:
            self.client.get(self.listing)
        make_exam(self, module=self.m2)
        make_exam(self, module=self.m3, session="afternoon")
        with self.assertNumQueries(len(one)):
            response = self.client.get(self.listing)
        self.assertEqual(len(response.context["sessions"]), 3)

    def test_the_marking_page_reads_a_fixed_number_of_queries(self):
        self.client.force_login(self.lecturer_user)
        self.client.get(self.marking)
        with CaptureQueriesContext(connection) as six:
            self.client.get(self.marking)
        self.exam.delete()
        fewer = sealed_exam(self, absent=self.enrollments[:4])
        with self.assertNumQueries(len(six)):
            response = self.client.get(reverse("exams:marking", args=[fewer.pk]))
        self.assertEqual(len(response.context["rows"]), 2)

    def test_the_class_tabs_lead_here(self):
        hub = reverse("cohorts:detail", args=[self.cohort.code])
        for user, shown in ((self.office, True), (self.lecturer_user, True), (self.coordinator, False)):
            with self.subTest(user=user.username):
                response = self.get(user, hub)
                if shown:
                    self.assertContains(response, self.listing)
                else:
                    self.assertNotContains(response, self.listing)


class LecturerHomeTests(EnglishMessages, TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_rooms(cls)

    def test_sealed_scripts_wait_on_the_assigned_lecturers_home(self):
        exam = sealed_exam(self)
        marking = reverse("exams:marking", args=[exam.pk])
        self.client.force_login(self.lecturer_user)
        self.assertContains(self.client.get(reverse("home")), marking)
        self.client.force_login(self.other_lecturer_user)
        self.assertNotContains(self.client.get(reverse("home")), marking)
