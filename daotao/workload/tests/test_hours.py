"""The computation against the hand-computed figures of ``base.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from daotao.org.models import Lecturer
from daotao.teaching import services as teaching
from daotao.teaching.models import TeachingAssignment
from daotao.testing import make_lecturer
from daotao.workload.hours import cohort_teaching_hours, lecturer_workload
from daotao.workload.models import WorkloadRules
from daotao.workload.tests.base import NOW, D, WorkloadWorldTestCase


@time_machine.travel(NOW, tick=False)
class LecturerWorkloadTests(WorkloadWorldTestCase):
    def line(self, workload, lecturer):
        return next(line for line in workload.lines if line.lecturer_id == lecturer.pk)

    def test_a_lecturers_year_by_kind_and_activity(self):
        line = self.line(lecturer_workload(2026), self.lecturer)
        self.assertEqual(line.periods, {"lecture": 10, "seminar": 4, "field_trip": 3})
        self.assertEqual(
            line.hours,
            {
                "lecture": D("15.75"),
                "seminar": D("3.30"),
                "field_trip": D("3.96"),
                "exam_script": D("0.50"),
                "essay_grading": D("0.00"),
                "essay_supervision": D("4.00"),
            },
        )
        self.assertEqual(line.total, D("27.51"))
        self.assertEqual(line.norm, D("180"))  # the lecturer's own norm
        self.assertEqual(line.difference, D("-152.49"))
        self.assertEqual(line.ratio, D("27.51") / D("180"))
        self.assertEqual((line.scripts, line.essays_supervised, line.essays_graded), (D("2.5"), 1, 0))

    def test_shared_scripts_other_classes_and_essays_graded(self):
        line = self.line(lecturer_workload(2026), self.other_lecturer)
        self.assertEqual(line.periods, {"lecture": 10, "seminar": 0, "field_trip": 0})
        self.assertEqual(line.hours["lecture"], D("15.75"))  # 8,25 in a class of 6, 7,50 in one of 3
        self.assertEqual(line.hours["exam_script"], D("0.90"))
        self.assertEqual(line.hours["essay_grading"], D("0.50"))
        self.assertEqual(line.total, D("17.15"))
        self.assertEqual(line.norm, D("200"))  # the year's rules

    def test_the_previous_year_with_its_own_rules(self):
        workload = lecturer_workload(2025)
        line = self.line(workload, self.lecturer)
        self.assertEqual(line.periods["lecture"], 5)
        self.assertEqual(line.hours["lecture"], D("10.00"))  # ×2, no program or size coefficient
        self.assertEqual(line.hours["exam_script"], D("0.15"))  # the shipped 0,15 per script
        self.assertEqual(line.total, D("10.15"))
        self.assertEqual(line.norm, D("250"))
        self.assertEqual(workload.rules.year, 2025)
        self.assertEqual(self.line(workload, self.other_lecturer).total, D(0))

    def test_faculty_subtotals_totals_and_visiting_lecturers_apart(self):
        workload = lecturer_workload(2026)
        faculties = {faculty.name: faculty for faculty in workload.faculties}
        party = faculties["Khoa Xây dựng Đảng"]
        self.assertEqual([line.lecturer_id for line in party.lines], [self.lecturer.pk])
        self.assertEqual(party.total.total, D("27.51"))
        self.assertEqual(faculties["Khoa Nhà nước và pháp luật"].total.total, D("17.15"))
        self.assertEqual(workload.total.total, D("44.66"))
        self.assertEqual(workload.total.norm, D("380"))
        self.assertEqual(workload.total.periods, {"lecture": 20, "seminar": 4, "field_trip": 3})
        [visiting] = workload.visiting
        self.assertEqual(visiting.lecturer_id, self.visiting.pk)
        self.assertEqual(visiting.total, D("3.30"))
        self.assertIsNone(visiting.norm)
        self.assertIsNone(visiting.difference)
        self.assertEqual(workload.visiting_total.total, D("3.30"))

    def test_lessons_count_once_held(self):
        with time_machine.travel(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False):  # 19:00
            line = self.line(lecturer_workload(2026), self.lecturer)
        self.assertEqual(line.periods["lecture"], 15)  # the evening's lesson has started
        with time_machine.travel(dt.datetime(2026, 3, 19, 9, 0, tzinfo=dt.UTC), tick=False):
            line = self.line(lecturer_workload(2026), self.lecturer)
        self.assertEqual(line.periods["field_trip"], 0)  # tomorrow's field trip

    def test_an_inactive_lecturer_without_work_is_left_out(self):
        idle = make_lecturer("Đỗ Văn Nghỉ", self.faculty)
        self.assertIn(idle.pk, [line.lecturer_id for line in lecturer_workload(2026).lines])
        Lecturer.objects.filter(pk=idle.pk).update(is_active=False)
        Lecturer.objects.filter(pk=self.other_lecturer.pk).update(is_active=False)
        lines = [line.lecturer_id for line in lecturer_workload(2026).lines]
        self.assertNotIn(idle.pk, lines)
        self.assertIn(self.other_lecturer.pk, lines)  # inactive now, but taught in the year

    def test_only_the_lecturers_asked(self):
        workload = lecturer_workload(2026, Lecturer.objects.filter(pk=self.lecturer.pk))
        self.assertEqual([line.lecturer_id for line in workload.lines], [self.lecturer.pk])
        self.assertEqual(workload.total.total, D("27.51"))

    def test_a_year_before_any_rules_uses_the_first(self):
        self.assertEqual(lecturer_workload(2019).rules.year, 2025)
        self.assertEqual(WorkloadRules.objects.in_force(2019).year, 2025)
        self.assertEqual(WorkloadRules.objects.in_force(2025).year, 2025)
        self.assertEqual(WorkloadRules.objects.in_force(2031).year, 2026)
        WorkloadRules.objects.all().delete()
        workload = lecturer_workload(2026)  # the shipped defaults, not saved
        line = self.line(workload, self.lecturer)
        self.assertEqual(line.norm, D("180"))
        self.assertEqual(self.line(workload, self.other_lecturer).norm, D("270"))
        self.assertEqual(line.hours["lecture"], D("10.00"))  # 10 periods × 1: no program coefficient, classes under 60

    def test_a_fixed_number_of_queries(self):
        with self.assertNumQueries(9):
            lecturer_workload(2026)
        for index in range(3):
            lecturer = make_lecturer(f"Giảng Viên Thêm {index}", self.other_faculty)
            TeachingAssignment.objects.create(cohort=self.other_cohort, module=self.m2, lecturer=lecturer)
            teaching.lesson_schedule(
                user=self.office,
                cohort=self.other_cohort,
                module=self.m2,
                lecturer=lecturer,
                date=dt.date(2026, 3, 16 + index),
                session="morning",
                periods=5,
            )
        with self.assertNumQueries(9):
            workload = lecturer_workload(2026)
        self.assertEqual(len(workload.lines), 6)


@time_machine.travel(NOW, tick=False)
class CohortTeachingHoursTests(WorkloadWorldTestCase):
    def test_a_class_per_lecturer(self):
        self.assertEqual(
            cohort_teaching_hours(self.cohort),
            {
                self.lecturer.pk: D("20.01"),  # 8,25 + 3,30 + 3,96 + 0,50 + 4,00
                self.other_lecturer.pk: D("9.65"),  # 8,25 + 0,90 + 0,50
                self.visiting.pk: D("3.30"),
            },
        )

    def test_a_class_across_two_years_each_with_its_rules(self):
        self.assertEqual(cohort_teaching_hours(self.cross_year), {self.lecturer.pk: D("17.65")})

    def test_a_fixed_number_of_queries(self):
        with self.assertNumQueries(7):
            hours = cohort_teaching_hours(self.other_cohort)
        self.assertEqual(hours, {self.other_lecturer.pk: Decimal("7.50")})
