"""Periods taught per lecturer and faculty by program and place, and the share of lessons
taught with active methods, on known data; one query whatever the number of lessons."""

import datetime as dt

from daotao.teaching import services
from daotao.teaching.models import Lesson
from daotao.teaching.reports import active_methods_share, periods_taught
from daotao.teaching.tests.base import DAY, TeachingTestCase
from daotao.testing import make_cohort, make_module

NEXT = DAY + dt.timedelta(days=1)


class ReportTestCase(TeachingTestCase):
    """Class TC01 (in a locality): gv1 teaches 5 periods with active methods and 4 without;
    gv2 teaches 3 periods without a log. Class CV01 (at the school, BD-CV): gv2 teaches
    5 periods with active methods and 5 without. A lesson of gv1 outside the range."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cv = make_cohort("CV01", cls.programs["BD-CV"], cls.school, dt.date(2026, 3, 2), mode="concentrated")
        cls.cv1 = make_module(cls.programs["BD-CV"], "CV1", 40)
        services.assignment_add(user=cls.office, cohort=cls.cv, module=cls.cv1, lecturer=cls.other_lecturer)
        log = services.lecture_log_record
        office = cls.office
        log(user=office, lesson=cls.schedule(), methods=["practice", "less_theory"])
        log(user=office, lesson=cls.schedule(session="afternoon", periods=4), methods=["less_dictation"])
        cls.schedule(date=NEXT, module=cls.m3, lecturer=cls.other_lecturer, periods=3)
        cv = {"cohort": cls.cv, "module": cls.cv1, "lecturer": cls.other_lecturer}
        log(user=office, lesson=cls.schedule(**cv), methods=["case_handling"])
        log(user=office, lesson=cls.schedule(session="afternoon", **cv), methods=[])
        cls.schedule(date=dt.date(2026, 6, 1), periods=2)
        cls.in_range = Lesson.objects.between(DAY, NEXT)


class ActiveMethodsShareTests(ReportTestCase):
    def test_share_on_known_data(self):
        self.assertEqual(active_methods_share(self.in_range), (2, 5))
        self.assertEqual(active_methods_share(self.in_range.filter(lecturer=self.lecturer)), (1, 2))
        self.assertEqual(active_methods_share(self.in_range.filter(cohort=self.cv)), (1, 2))
        self.assertEqual(active_methods_share(Lesson.objects.none()), (0, 0))

    def test_one_query(self):
        with self.assertNumQueries(1):
            active_methods_share(Lesson.objects.all())


class PeriodsTaughtTests(ReportTestCase):
    def test_per_lecturer(self):
        figures = periods_taught(self.in_range)
        self.assertEqual(figures.programs, ["BD-CV", "TC-LLCT-HC"])
        self.assertEqual([line.label for line in figures.lecturers], ["Lê Thị Dạy", "Trần Văn Giảng"])  # by given name
        day, giang = figures.lecturers
        self.assertEqual((giang.periods, giang.by_program, giang.by_place), (9, {"TC-LLCT-HC": 9}, {"locality": 9}))
        self.assertEqual((giang.lessons, giang.active, giang.active_share), (2, 1, 0.5))
        self.assertEqual(day.by_program, {"TC-LLCT-HC": 3, "BD-CV": 10})
        self.assertEqual(day.by_place, {"locality": 3, "school": 10})
        self.assertEqual((day.periods, day.lessons, day.active, day.faculty), (13, 3, 1, "Khoa Nhà nước và pháp luật"))

    def test_per_faculty_and_total(self):
        figures = periods_taught(self.in_range)
        self.assertEqual(
            [line.label for line in figures.faculties], ["Khoa Nhà nước và pháp luật", "Khoa Xây dựng Đảng"]
        )
        self.assertEqual([line.periods for line in figures.faculties], [13, 9])
        total = figures.total
        self.assertEqual((total.periods, total.lessons, total.active, total.active_share), (22, 5, 2, 0.4))
        self.assertEqual(total.by_place, {"locality": 12, "school": 10})
        self.assertEqual(total.by_program, {"TC-LLCT-HC": 12, "BD-CV": 10})

    def test_one_query_whatever_the_rows(self):
        with self.assertNumQueries(1):
            periods_taught(self.in_range)
        for day in range(11, 31):
            self.schedule(date=dt.date(2026, 4, day % 30 + 1), session="evening")
        with self.assertNumQueries(1):
            figures = periods_taught(Lesson.objects.all())
        self.assertEqual(figures.total.lessons, 26)

    def test_nothing_taught(self):
        figures = periods_taught(Lesson.objects.none())
        self.assertEqual((figures.lecturers, figures.faculties, figures.total.periods), ([], [], 0))
        self.assertIsNone(figures.total.active_share)
