"""A class's hub: what each role sees of it, the same header on every page of the class, a
fixed number of queries; the menu each role sees and the breadcrumbs; a home for every role."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from daotao.accounts import roles
from daotao.cohorts.models import Enrollment
from daotao.dashboards.cohort_hub import class_tabs
from daotao.dashboards.menu import build_menu
from daotao.org.models import UnitKind
from daotao.teaching.models import ClassOfficer, Lesson, SteeringCommitteeMember
from daotao.testing import TeachingWorldTestCase, enroll, make_unit, make_user

# The office's tabs of a class, in their order (the browser test checks the same).
EVERY_TAB = [
    "summary",
    "students",
    "timetable",
    "organisation",
    "results",
    "absences",
    "exams",
    "essays",
    "graduation",
    "evaluation",
    "packs",
    "finance",
]


class HubTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = Lesson.objects.create(
            cohort=cls.cohort, module=cls.m1, lecturer=cls.lecturer, date=dt.date(2026, 3, 3), session="morning"
        )
        SteeringCommitteeMember.objects.create(
            cohort=cls.cohort, full_name="Trần Văn <b>Trưởng</b>", side="school", role="head"
        )
        ClassOfficer.objects.create(enrollment=cls.enrollments[0], role="monitor")
        cls.hub = reverse("cohorts:detail", args=[cls.cohort.code])

    def get(self, user, url=None):
        client = Client()
        client.force_login(user)
        return client.get(url or self.hub)

    def tabs(self, response) -> list[str]:
        return [tab.key for tab in response.context["tabs"]] if "tabs" in response.context else []

    def test_the_office_sees_every_part(self):
        response = self.get(self.office)
        self.assertEqual(response.status_code, 200)
        keys = [tab.key for tab in class_tabs(self.office, self.cohort, True)]
        self.assertEqual(keys, EVERY_TAB)
        html = response.content.decode()
        for address in [
            reverse("teaching:cohort", args=[self.cohort.pk]),
            reverse("teaching:organisation", args=[self.cohort.pk]),
            reverse("grading:cohort", args=[self.cohort.pk]),
            reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk]),
            reverse("grading:report", args=[self.cohort.pk]),
            reverse("essays:cohort", args=[self.cohort.pk]),
            reverse("twoway:cohort", args=[self.cohort.pk]),
            reverse("teaching:attendance", args=[self.lesson.pk]),
            reverse("teaching:log", args=[self.lesson.pk]),
        ]:
            self.assertIn(f'href="{address}', html)
        # Typed text is escaped, never markup.
        self.assertIn("Trần Văn &lt;b&gt;Trưởng&lt;/b&gt;", html)
        self.assertContains(response, self.enrollments[0].student.full_name)

    def test_a_lecturer_sees_the_teaching_parts_of_her_class_only(self):
        response = self.get(self.lecturer_user)
        self.assertEqual(response.status_code, 200)
        keys = [tab.key for tab in class_tabs(self.lecturer_user, self.cohort, True)]
        self.assertEqual(
            keys, ["summary", "students", "timetable", "organisation", "results", "absences", "exams", "essays"]
        )
        html = response.content.decode()
        self.assertNotIn(reverse("grading:report", args=[self.cohort.pk]), html)
        self.assertNotIn(reverse("twoway:cohort", args=[self.cohort.pk]), html)
        # Her own modules' sheets, not her colleague's.
        self.assertIn(reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk]), html)
        self.assertNotIn(reverse("grading:sheet", args=[self.cohort.pk, self.m3.pk]), html)
        # She takes the attendance of her own lesson from here.
        self.assertIn(reverse("teaching:attendance", args=[self.lesson.pk]), html)
        self.assertEqual(self.get(self.other_lecturer_user, reverse("cohorts:detail", args=["TC02"])).status_code, 200)

    def test_who_may_not_open_the_class(self):
        self.assertEqual(self.get(self.other_coordinator).status_code, 404)
        self.assertEqual(self.get(self.student_user).status_code, 403)
        self.assertEqual(self.get(self.nobody).status_code, 403)
        unknown = reverse("cohorts:detail", args=["KHONG-CO"])
        self.assertEqual(self.get(self.office, unknown).status_code, 404)

    def test_an_agency_sees_only_its_own_staff_in_a_class_held_elsewhere(self):
        agency_unit = make_unit("CQ-SNV", "Sở Nội vụ", UnitKind.AGENCY, self.province)
        agency = make_user("snv", roles.SENDING_AGENCY, agency_unit)
        staff = enroll(self.cohort, 2)
        for enrollment in staff:
            enrollment.student.agency = agency_unit
            enrollment.student.save()
        response = self.get(agency)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["whole"])
        shown = {enrollment.pk for enrollment in response.context["enrollments"]}
        self.assertEqual(shown, {enrollment.pk for enrollment in staff})
        self.assertNotContains(response, self.enrollments[1].student.full_name)
        keys = [tab.key for tab in class_tabs(agency, self.cohort, False)]
        self.assertEqual(keys, ["summary", "students", "results", "absences", "packs"])
        self.assertNotContains(response, reverse("teaching:cohort", args=[self.cohort.pk]))

    def test_the_hub_asks_as_many_queries_for_a_bigger_class(self):
        client = Client()
        client.force_login(self.office)
        client.get(self.hub)  # the session and the user's scope

        def queries():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(client.get(self.hub).status_code, 200)
            return len(captured)

        before = queries()
        enroll(self.cohort, 25)
        for day in range(4, 12):
            Lesson.objects.create(
                cohort=self.cohort,
                module=self.m2,
                lecturer=self.lecturer,
                date=dt.date(2026, 3, day),
                session="afternoon",
            )
        ClassOfficer.objects.create(
            enrollment=Enrollment.objects.filter(cohort=self.cohort).last(), role="deputy_monitor"
        )
        self.assertEqual(queries(), before)

    def test_every_page_of_the_class_shows_its_header_with_its_tab_marked(self):
        pages = {
            "timetable": reverse("teaching:cohort", args=[self.cohort.pk]),
            "organisation": reverse("teaching:organisation", args=[self.cohort.pk]),
            "results": reverse("grading:cohort", args=[self.cohort.pk]),
            "absences": f"{reverse('alerts:list')}?cohort={self.cohort.pk}",
            "essays": reverse("essays:cohort", args=[self.cohort.pk]),
            "graduation": reverse("grading:report", args=[self.cohort.pk]),
            "packs": reverse("twoway:cohort", args=[self.cohort.pk]),
        }
        for key, address in pages.items():
            with self.subTest(key):
                response = self.get(self.office, address)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'href="{self.hub}"')
                self.assertContains(response, f'aria-current="page" data-tab="{key}"')
        attendance = self.get(self.lecturer_user, reverse("teaching:attendance", args=[self.lesson.pk]))
        self.assertContains(attendance, 'aria-current="page" data-tab="timetable"')


class MenuTests(TeachingWorldTestCase):
    def labels(self, user, url_name=None):
        menu = build_menu(user, url_name)
        return {str(group.label): [str(link.label) for link in group.links] for group in menu.groups}

    def test_each_role_sees_only_what_it_may_open(self):
        office = self.labels(self.office)
        self.assertEqual(
            list(office), ["Đào tạo", "Tuyển sinh", "Giảng dạy", "Đánh giá", "Báo cáo", "Cổng thông tin", "Quản trị"]
        )
        self.assertIn("Xếp lớp", office["Tuyển sinh"])
        board = self.labels(self.board)
        self.assertNotIn("Xếp lớp", board["Tuyển sinh"])
        self.assertNotIn("Nhập hồ sơ cử đi học", board["Tuyển sinh"])
        lecturer = self.labels(self.lecturer_user)
        self.assertEqual(list(lecturer), ["Giảng dạy", "Đánh giá", "Cổng thông tin", "Quản trị"])
        self.assertEqual(lecturer["Quản trị"], ["Tài khoản của tôi"])
        student = self.labels(self.student_user)
        self.assertEqual(
            student["Đào tạo"],
            ["Thời khóa biểu của tôi", "Kết quả học tập của tôi", "Tiểu luận của tôi", "Văn bằng, chứng chỉ của tôi"],
        )
        self.assertEqual(self.labels(self.nobody), {"Quản trị": ["Tài khoản của tôi"]})

    def test_a_page_marks_the_item_it_belongs_to_and_its_breadcrumbs(self):
        menu = build_menu(self.office, "grading:sheet")
        current = [link for group in menu.groups for link in group.links if link.current]
        self.assertEqual([str(link.label) for link in current], ["Lớp học"])
        self.assertEqual([str(crumb.label) for crumb in menu.breadcrumbs], ["Trang chủ", "Đào tạo", "Lớp học"])
        self.assertFalse(menu.breadcrumbs[-1].current)  # the sheet is below the class list
        on_list = build_menu(self.office, "cohorts:list")
        self.assertTrue(on_list.breadcrumbs[-1].current)
        lecturer = build_menu(self.lecturer_user, "grading:sheet")
        self.assertEqual(
            [str(crumb.label) for crumb in lecturer.breadcrumbs], ["Trang chủ", "Giảng dạy", "Lịch giảng của tôi"]
        )


class HomeTests(TeachingWorldTestCase):
    def home(self, user):
        client = Client()
        client.force_login(user)
        return client.get(reverse("home"))

    def test_no_role_lands_on_a_refusal(self):
        editor = make_user("editor1", roles.EDITOR)
        for user, template in [
            (self.office, None),
            (self.board, None),
            (self.coordinator, "dashboards/unit_home.html"),
            (self.lecturer_user, "dashboards/lecturer_home.html"),
            (self.student_user, "dashboards/student_home.html"),
            (editor, "dashboards/editor_home.html"),
            (self.nobody, "dashboards/no_role.html"),
        ]:
            with self.subTest(user=user.username):
                response = self.home(user)
                self.assertEqual(response.status_code, 200)
                if template:
                    self.assertTemplateUsed(response, template)

    def test_a_lecturer_finds_todays_lesson_with_its_attendance(self):
        from django.utils import timezone

        today = timezone.localdate()
        lesson = Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=today, session="morning"
        )
        response = self.home(self.lecturer_user)
        self.assertEqual([item.pk for item in response.context["today_lessons"]], [lesson.pk])
        self.assertContains(response, reverse("teaching:attendance", args=[lesson.pk]))
        self.assertContains(response, reverse("teaching:log", args=[lesson.pk]))

    def test_a_coordinator_sees_her_classes_and_nothing_of_another_locality(self):
        response = self.home(self.coordinator)
        codes = [cohort.code for cohort in response.context["recent"]]
        self.assertEqual(codes, ["TC01"])
        self.assertNotContains(response, "TC02")

    def test_anonymous_is_sent_to_sign_in(self):
        response = Client().get(reverse("home"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response.headers["Location"])
