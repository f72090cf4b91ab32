"""The grade sheet, its cells (HTMX), the class overview and the history of a cell, for
every role."""

import datetime as dt

from django.urls import reverse

from daotao.grading.models import Grade
from daotao.teaching.models import TeachingAssignment
from daotao.testing import TeachingWorldTestCase, enroll, make_module


class SheetPageTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.test, cls.exam = cls.m1.assessments.order_by("order")
        cls.url = reverse("grading:sheet", args=[cls.cohort.pk, cls.m1.pk])
        cls.cell_url = reverse("grading:cell", args=[cls.cohort.pk, cls.m1.pk])
        cls.other_module = make_module(cls.programs["BD-CV"], "CV1", 20)

    def get(self, user, url=None):
        self.client.force_login(user)
        return self.client.get(url or self.url)

    def post_cell(self, user, value, enrollment=None, assessment=None, attempt=1):
        self.client.force_login(user)
        data = {
            "enrollment": (enrollment or self.enrollments[0]).pk,
            "assessment": (assessment or self.test).pk,
            "attempt": attempt,
            "value": value,
        }
        return self.client.post(self.cell_url, data, HTTP_HX_REQUEST="true")

    def test_assigned_lecturer_edits(self):
        response = self.get(self.lecturer_user)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="grade"', count=6 * 3)
        self.assertContains(response, "sheet.js")

    def test_who_reads_and_who_cannot(self):
        for user in (self.office, self.board, self.coordinator):
            with self.subTest(user=user.username):
                response = self.get(user)
                self.assertEqual(response.status_code, 200)
                if user != self.office:
                    self.assertNotContains(response, 'class="grade"')
        # She teaches m3 in this class, not m1: m1's sheet is not hers to read.
        self.assertEqual(self.get(self.other_lecturer_user).status_code, 404)
        self.assertEqual(self.get(self.other_coordinator).status_code, 404)
        self.assertEqual(self.get(self.student_user).status_code, 403)
        self.assertEqual(self.get(self.nobody).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_cell_is_saved_and_the_row_result_comes_along(self):
        self.post_cell(self.lecturer_user, "6")
        response = self.post_cell(self.lecturer_user, "9", assessment=self.exam)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="9,0"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, "8,1")  # 0,3 x 6 + 0,7 x 9
        self.assertEqual(Grade.objects.count(), 2)

    def test_an_invalid_cell_keeps_what_was_typed_and_saves_nothing(self):
        response = self.post_cell(self.lecturer_user, "11")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-invalid="true"')
        self.assertContains(response, 'value="11"')
        self.assertContains(response, "0 đến 10")
        self.assertFalse(Grade.objects.exists())

    def test_cells_of_others_are_refused(self):
        self.assertEqual(self.post_cell(self.other_lecturer_user, "6").status_code, 404)  # not her module
        self.assertEqual(self.post_cell(self.board, "6").status_code, 403)
        self.assertEqual(self.post_cell(self.other_coordinator, "6").status_code, 404)
        other = self.other_enrollments[0]
        self.assertEqual(self.post_cell(self.lecturer_user, "6", enrollment=other).status_code, 404)
        self.assertEqual(self.post_cell(self.lecturer_user, "6", attempt=7).status_code, 400)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(self.cell_url).status_code, 405)
        self.assertFalse(Grade.objects.exists())

    def test_history_of_a_cell_for_the_office_only(self):
        self.post_cell(self.lecturer_user, "6")
        self.post_cell(self.office, "7")
        grade = Grade.objects.get()
        url = reverse("grading:cell_history", args=[grade.pk])
        self.post_cell(self.office, "v", assessment=self.exam)
        response = self.get(self.office, url)
        self.assertContains(response, "gv1")
        self.assertContains(response, '<td class="num">6,0</td><td class="num">7,0</td>', html=False)
        self.assertContains(response, '<td class="num">–</td><td class="num">6,0</td>', html=False)
        exam_grade = Grade.objects.get(assessment=self.exam)
        exam_history = self.get(self.office, reverse("grading:cell_history", args=[exam_grade.pk]))
        self.assertContains(exam_history, '<td class="num">–</td><td class="num">v</td>', html=False)
        self.assertEqual(self.get(self.lecturer_user, url).status_code, 403)
        self.assertEqual(self.get(self.board, url).status_code, 403)

    def test_a_cleared_cell_is_empty_and_keeps_its_history_link(self):
        self.post_cell(self.office, "6")
        response = self.post_cell(self.office, "")
        self.assertContains(response, 'value=""')
        self.assertContains(response, reverse("grading:cell_history", args=[Grade.objects.get().pk]))

    def test_absent_and_retake_columns(self):
        response = self.get(self.lecturer_user)
        self.assertContains(response, f'id="cell-{self.enrollments[0].pk}-{self.exam.pk}-2"')
        self.post_cell(self.lecturer_user, "6")
        self.post_cell(self.lecturer_user, "v", assessment=self.exam)
        response = self.post_cell(self.lecturer_user, "8", assessment=self.exam, attempt=2)
        self.assertContains(response, 'value="8,0"')
        self.assertContains(response, "7,4*")  # 0,3 x 6 + 0,7 x 8 after a retake
        refused = self.post_cell(self.lecturer_user, "8", enrollment=self.enrollments[1], attempt=2)
        self.assertEqual(refused.status_code, 400)  # only the exam has a retake column
        refused = self.post_cell(
            self.lecturer_user, "9", enrollment=self.enrollments[1], assessment=self.exam, attempt=2
        )
        self.assertContains(refused, 'aria-invalid="true"')
        self.assertEqual(Grade.objects.filter(enrollment=self.enrollments[1]).count(), 0)

    def test_garbage_ids_answer_404_not_500(self):
        self.client.force_login(self.lecturer_user)
        for data in ({"enrollment": "abc", "assessment": self.test.pk}, {"enrollment": "9" * 30, "assessment": "x"}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.cell_url, {**data, "value": "5"}).status_code, 404)
        url = reverse("grading:sheet", args=[self.cohort.pk, self.other_module.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_closed_class_is_read_only_except_for_the_office(self):
        self.cohort.status = "closed"
        self.cohort.closing_date = dt.date(2026, 9, 1)
        self.cohort.save()
        self.assertNotContains(self.get(self.lecturer_user), 'class="grade"')
        self.assertContains(self.get(self.office), 'class="grade"')
        self.assertEqual(self.post_cell(self.lecturer_user, "6").status_code, 403)
        self.assertFalse(Grade.objects.exists())

    def test_coordinator_of_the_students_locality_sees_only_them(self):
        [own] = enroll(self.cohort, 1, locality=self.h02)
        response = self.get(self.other_coordinator)
        self.assertEqual(response.status_code, 200)
        # Each name links to the student's training record (``{% student_link %}``).
        self.assertContains(response, f">{own.student.full_name}</a></td>")
        self.assertNotContains(response, f">{self.enrollments[0].student.full_name}<")
        self.assertNotContains(response, 'class="grade"')
        overview = self.get(self.other_coordinator, reverse("grading:cohort", args=[self.cohort.pk]))
        self.assertContains(overview, f">{own.student.full_name}</a></td>")
        self.assertNotContains(overview, f">{self.enrollments[0].student.full_name}<")

    def test_a_lecturer_reads_the_sheets_of_her_modules_only(self):
        # gv1 teaches m1 and m2 of the class, gv2 teaches m3 of it.
        for user, module, status in (
            (self.lecturer_user, self.m1, 200),
            (self.lecturer_user, self.m2, 200),
            (self.lecturer_user, self.m3, 404),
            (self.other_lecturer_user, self.m3, 200),
            (self.other_lecturer_user, self.m2, 404),
        ):
            for name in ("grading:sheet", "grading:sheet_export"):
                with self.subTest(user=user.username, module=module.code, page=name):
                    url = reverse(name, args=[self.cohort.pk, module.pk])
                    self.assertEqual(self.get(user, url).status_code, status)
        self.client.force_login(self.lecturer_user)
        imported = self.client.post(reverse("grading:sheet_import", args=[self.cohort.pk, self.m3.pk]))
        self.assertEqual(imported.status_code, 404)

    def test_no_personal_data_on_the_sheet(self):
        response = self.get(self.lecturer_user)
        student = self.enrollments[0].student
        self.assertNotContains(response, student.national_id)
        self.assertNotContains(response, student.date_of_birth.strftime("%d/%m/%Y"))


class OverviewTests(TeachingWorldTestCase):
    def test_lecturer_sees_only_assigned_classes(self):
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.cohort.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.other_cohort.pk])).status_code, 404)
        TeachingAssignment.objects.create(cohort=self.other_cohort, module=self.m2, lecturer=self.lecturer)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.other_cohort.pk])).status_code, 200)

    def test_a_lecturer_finds_links_to_the_sheets_of_her_modules_only(self):
        self.client.force_login(self.lecturer_user)
        response = self.client.get(reverse("grading:cohort", args=[self.cohort.pk]))
        for module, linked in ((self.m1, True), (self.m2, True), (self.m3, False)):
            with self.subTest(module=module.code):
                url = reverse("grading:sheet", args=[self.cohort.pk, module.pk])
                self.assertEqual(url in response.content.decode(), linked)
                self.assertEqual(f">{module.code}<" in response.content.decode(), linked)
        # Not the class's homeroom lecturer: no average nor classification, which sum up every module.
        self.assertNotContains(response, "Xếp loại")
        # Nor a link to the graduation report, which is for staff.
        self.assertNotContains(response, reverse("grading:report", args=[self.cohort.pk]))
        self.assertContains(response, "giảng viên chủ nhiệm")

    def test_the_homeroom_lecturer_sees_every_module_s_results(self):
        self.cohort.homeroom_lecturer = self.lecturer
        self.cohort.save()
        self.client.force_login(self.lecturer_user)
        response = self.client.get(reverse("grading:cohort", args=[self.cohort.pk]))
        self.assertContains(response, ">HP3<")  # shown, though its sheet is not hers to open
        self.assertNotContains(response, reverse("grading:sheet", args=[self.cohort.pk, self.m3.pk]))
        self.assertContains(response, "Xếp loại")

    def test_links_to_every_module_sheet_and_refuses_students(self):
        self.client.force_login(self.board)
        response = self.client.get(reverse("grading:cohort", args=[self.cohort.pk]))
        self.assertContains(response, reverse("grading:report", args=[self.cohort.pk]))
        for module in (self.m1, self.m2, self.m3):
            self.assertContains(response, reverse("grading:sheet", args=[self.cohort.pk, module.pk]))
        self.client.force_login(self.student_user)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.cohort.pk])).status_code, 403)
