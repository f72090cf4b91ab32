"""Units that were reorganised: from the effective date a successor's coordinator opens the
classes of its predecessors still running on that day and sees their students; a class
closed before that day stays with the school staff only (docs/counting.md, "Units that
were reorganised"; docs/security.md)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import translation

from daotao.accounts import roles
from daotao.accounts.scope import scope_of
from daotao.admissions.models import Application
from daotao.cohorts.access import cohort_for_user, cohorts_reached, recordable_students
from daotao.cohorts.models import Cohort, Enrollment
from daotao.essays.models import LocalIssue
from daotao.lib import national_id
from daotao.org.models import Succession, SuccessionKind, UnitKind
from daotao.people.models import Student
from daotao.people.privacy import sees_personal_data
from daotao.planning.achievement import quota_achievement, quota_lines
from daotao.planning.models import AnnualPlan, Quota
from daotao.reports import engine
from daotao.testing import WorldTestCase, enroll, make_cohort, make_unit, make_user

D = dt.date
END, START = D(2025, 6, 30), D(2025, 7, 1)


class SuccessionWorld(WorldTestCase):
    """District HS (until 30/06/2025) split into communes XA and XB; province TQ merged into
    the province on 1/7/2025, its district TQ1 taken over by commune XQ; commune XU is
    unrelated. HS holds a class running across 1/7/2025 and one closed before it; TQ1 one
    with no closing date."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        province, tc = cls.province, cls.programs["TC-LLCT-HC"]
        cls.district = make_unit("HS", "Huyện Sông", UnitKind.DISTRICT, province, valid_to=END)
        cls.xa = make_unit("XA", "Xã Sông A", UnitKind.COMMUNE, province, valid_from=START)
        cls.xb = make_unit("XB", "Xã Sông B", UnitKind.COMMUNE, province, valid_from=START)
        cls.xu = make_unit("XU", "Xã Khác", UnitKind.COMMUNE, province, valid_from=START)
        for commune, part in ((cls.xa, "Thị trấn Sông và ba xã phía bắc"), (cls.xb, "Bốn xã phía nam")):
            Succession.objects.create(
                predecessor=cls.district, successor=commune, effective_date=START, kind=SuccessionKind.SPLIT,
                territory=part,
            )  # fmt: skip
        cls.old_province = make_unit("TQ", "Tỉnh Cũ", UnitKind.PROVINCE, valid_to=END)
        cls.old_district = make_unit("TQ1", "Huyện Cũ", UnitKind.DISTRICT, cls.old_province, valid_to=END)
        cls.xq = make_unit("XQ", "Xã Mới", UnitKind.COMMUNE, province, valid_from=START)
        Succession.objects.create(predecessor=cls.old_province, successor=province, effective_date=START)
        Succession.objects.create(predecessor=cls.old_district, successor=cls.xq, effective_date=START)

        cls.running = make_cohort("TC-HS-2024", tc, cls.district, D(2024, 9, 2), D(2026, 3, 27), status="open")
        cls.closed = make_cohort("TC-HS-2023", tc, cls.district, D(2023, 9, 4), D(2025, 5, 29))
        cls.old_running = make_cohort("TC-TQ1-2024", tc, cls.old_district, D(2024, 10, 7))
        cls.running_students = enroll(cls.running, 3)
        cls.closed_students = enroll(cls.closed, 2)
        enroll(cls.old_running, 4)

        def coordinator(name, unit):
            return make_user(name, roles.LOCALITY_COORDINATOR, unit)

        cls.coord_xa, cls.coord_xb = coordinator("coord.xa", cls.xa), coordinator("coord.xb", cls.xb)
        cls.coord_xu, cls.coord_xq = coordinator("coord.xu", cls.xu), coordinator("coord.xq", cls.xq)
        cls.coord_province = coordinator("coord.ba", province)

    def opens(self, user, cohort) -> int:
        self.client.force_login(user)
        return self.client.get(reverse("cohorts:detail", args=[cohort.code])).status_code

    def fresh(self, user):
        """The user as a new request loads it: its scope not yet computed."""
        return type(user).objects.get(pk=user.pk)


class ClassesOfPredecessorsTests(SuccessionWorld):
    def test_each_part_of_a_split_opens_the_running_class_not_the_closed_one(self):
        for coordinator in (self.coord_xa, self.coord_xb):
            with self.subTest(coordinator=coordinator.username):
                self.assertEqual(self.opens(coordinator, self.running), 200)
                self.assertEqual(self.opens(coordinator, self.closed), 404)

    def test_an_unrelated_commune_opens_neither(self):
        for cohort in (self.running, self.closed, self.old_running):
            with self.subTest(cohort=cohort.code):
                self.assertEqual(self.opens(self.coord_xu, cohort), 404)

    def test_the_school_staff_keep_every_class(self):
        for cohort in (self.running, self.closed, self.old_running):
            self.assertEqual(self.opens(self.office, cohort), 200)

    def test_a_merged_province_passes_on_to_the_province_and_its_district_to_the_commune(self):
        self.assertEqual(self.opens(self.coord_province, self.old_running), 200)
        self.assertEqual(self.opens(self.coord_xq, self.old_running), 200)
        self.assertEqual(self.opens(self.coord_xq, self.running), 404)
        self.assertEqual(self.opens(self.coord_xa, self.old_running), 404)

    def test_the_class_is_seen_whole_with_every_student(self):
        opened = cohort_for_user(self.fresh(self.coord_xa), pk=self.running.pk)
        self.assertTrue(opened.whole)
        self.assertEqual(opened.enrollments.count(), 3)

    def test_the_class_list_and_the_counted_classes(self):
        self.assertEqual(set(cohorts_reached(self.fresh(self.coord_xa))), {self.running})
        self.client.force_login(self.coord_xa)
        response = self.client.get(reverse("cohorts:list"))
        self.assertContains(response, self.running.code)
        self.assertNotContains(response, self.closed.code)

    def test_a_class_opened_the_day_of_the_succession_or_closing_on_it_passes(self):
        on_the_day = make_cohort("BD-HS", self.programs["BD-CV"], self.district, D(2025, 6, 2), START)
        day_before = make_cohort("BD-HS-2", self.programs["BD-CV"], self.district, D(2025, 6, 2), END)
        visible = set(Cohort.objects.visible_to(self.fresh(self.coord_xa)))
        self.assertIn(on_the_day, visible)
        self.assertNotIn(day_before, visible)

    def test_a_chain_of_successions_resolves_from_its_latest_day(self):
        ward = make_unit("PW", "Phường Mới", UnitKind.COMMUNE, self.province, valid_from=D(2027, 1, 1))
        Succession.objects.create(predecessor=self.xa, successor=ward, effective_date=D(2027, 1, 1))
        still = make_cohort("TC-HS-2025", self.programs["TC-LLCT-HC"], self.district, D(2025, 3, 3))
        user = make_user("coord.pw", roles.LOCALITY_COORDINATOR, ward)
        # The 2024 class closes on 27/03/2026, before the ward took over: not the ward's.
        self.assertEqual(set(Cohort.objects.visible_to(user)), {still})
        self.assertEqual(dict(scope_of(self.fresh(user)).inherited)[self.district.path], D(2027, 1, 1))

    def test_scope_costs_one_query_more_for_a_successor_only(self):
        successor, other = self.fresh(self.coord_xa), self.fresh(self.coord_xu)
        with self.assertNumQueries(3):  # the roles, the unit, the successions
            scope = scope_of(successor)
        self.assertEqual(scope.inherited, ((self.district.path, START),))
        with self.assertNumQueries(2):  # the roles, the unit (no succession leads into it)
            scope = scope_of(other)
        self.assertEqual(scope.inherited, ())
        user = self.fresh(self.coord_xa)
        scope_of(user)
        with self.assertNumQueries(0):  # once per user object, and the unit kept on it
            scope_of(user)
            self.assertEqual(user.unit, self.xa)


class StudentsOfPredecessorsTests(SuccessionWorld):
    def test_the_predecessors_students_are_seen_with_their_later_records_only(self):
        user = self.fresh(self.coord_xa)
        students = {e.student for e in self.running_students + self.closed_students}
        self.assertEqual(set(Student.objects.visible_to(user)) & students, students)
        self.assertEqual(set(recordable_students(user)) & students, students)
        seen = set(Enrollment.objects.visible_to(user))
        self.assertEqual(seen, set(self.running_students))  # not those of the class closed before
        self.assertFalse(Student.objects.visible_to(self.fresh(self.coord_xu)).filter(locality=self.district).exists())

    def test_a_predecessors_student_in_a_class_held_elsewhere(self):
        elsewhere = make_cohort("BD-H02", self.programs["BD-CV"], self.h02, D(2025, 3, 2), D(2025, 12, 5))
        earlier = make_cohort("BD-H02-OLD", self.programs["BD-CV"], self.h02, D(2024, 3, 4), D(2024, 6, 7))
        later = enroll(elsewhere, 1, locality=self.district)[0]
        before = enroll(earlier, 1, locality=self.district)[0]
        user = self.fresh(self.coord_xb)
        self.assertIn(elsewhere, cohorts_reached(user))
        self.assertNotIn(earlier, cohorts_reached(user))
        self.assertEqual(set(Enrollment.objects.visible_to(user).filter(cohort__in=[elsewhere, earlier])), {later})
        self.assertNotIn(before, Enrollment.objects.visible_to(user))

    def test_quotas_of_a_predecessor_from_the_year_of_the_succession(self):
        tc = self.programs["TC-LLCT-HC"]
        for year in (2024, 2025):
            Quota.objects.create(
                plan=AnnualPlan.objects.create(year=year), program=tc, locality=self.district, classes=1
            )
        years = set(Quota.objects.visible_to(self.fresh(self.coord_xa)).values_list("plan__year", flat=True))
        self.assertEqual(years, {2025})
        self.assertFalse(Quota.objects.visible_to(self.fresh(self.coord_xu)).exists())


class ReportsOfTheSuccessorTests(SuccessionWorld):
    def count(self, user, relation, year, **filters):
        spec = engine.CountSpec(engine.Period.year(year), relation, engine.CohortFilter(**filters))
        return engine.count(spec, user)

    def test_the_2026_report_of_the_successor_shows_the_carried_over_class(self):
        counts = self.count(self.fresh(self.coord_xa), engine.CARRIED_OVER, 2026, programs=("TC-LLCT-HC",))
        self.assertEqual((counts.classes, counts.students), (1, 3))
        self.assertEqual(self.count(self.fresh(self.coord_xu), engine.CARRIED_OVER, 2026).classes, 0)

    def test_the_2026_report_page_of_the_successor(self):
        self.client.force_login(self.coord_xa)
        response = self.client.get(reverse("reports:annual"), {"year": 2026})
        self.assertEqual(response.status_code, 200)
        carried = [row for row in response.context["report"].lines if row.line.relation == engine.CARRIED_OVER]
        self.assertTrue(carried)
        self.assertEqual(max(row.counts.classes for row in carried), 1)

    def test_by_todays_units_a_locality_counts_its_predecessors_history(self):
        today = self.count(self.office, engine.ACTIVE, 2024, locality="XA")
        then = self.count(self.office, engine.ACTIVE, 2024, locality="XA", units=engine.UNITS_THEN)
        district = self.count(self.office, engine.ACTIVE, 2024, locality="HS", units=engine.UNITS_THEN)
        self.assertEqual((today.classes, today.students), (2, 5))  # both classes of HS, mapped to XA
        self.assertEqual((then.classes, then.students), (0, 0))  # nothing was held in XA in 2024
        self.assertEqual(today, district)
        province = self.count(self.office, engine.ACTIVE, 2024, locality="BA")
        self.assertEqual(province.classes, 3)  # the merged province's class too

    def test_the_view_is_checked_and_said(self):
        with self.assertRaises(engine.ReportInputError) as caught:
            engine.CohortFilter(locality="XA", units="yesterday")
        self.assertEqual(caught.exception.field, "units")
        self.assertEqual(engine.CohortFilter(locality="XA").as_dict()["units"], engine.UNITS_TODAY)
        with translation.override("en"):
            self.assertIn("by today's units", engine.units_line())


class PersonalDataOfPredecessorsTests(SuccessionWorld):
    def test_a_successors_coordinator_sees_the_predecessors_students_in_full(self):
        student = Student.objects.get(pk=self.running_students[0].student_id)
        self.assertTrue(sees_personal_data(self.fresh(self.coord_xa), student))
        self.assertFalse(sees_personal_data(self.fresh(self.coord_xu), student))
        self.client.force_login(self.coord_xa)
        page = self.client.get(reverse("cohorts:detail", args=[self.running.code]))
        self.assertContains(page, student.national_id)
        self.client.force_login(self.coord_xu)
        self.assertEqual(self.client.get(reverse("cohorts:detail", args=[self.running.code])).status_code, 404)


class ReviewedEdgesTests(SuccessionWorld):
    """What the review of the reorganisation found: each figure the same whoever reads it,
    and as units were then nothing the successor only inherited."""

    def count(self, user, relation, year, **filters):
        spec = engine.CountSpec(engine.Period.year(year), relation, engine.CohortFilter(**filters))
        return engine.count(spec, user)

    def test_a_predecessors_quota_line_counts_whole_for_its_successor_as_for_the_office(self):
        tc = self.programs["TC-LLCT-HC"]
        plan = AnnualPlan.objects.create(year=2025)
        Quota.objects.create(plan=plan, program=tc, locality=self.district, funding="supported", classes=2, students=5)
        early = make_cohort("TC-HS-2025A", tc, self.district, D(2025, 1, 6), D(2025, 6, 20))
        late = make_cohort("TC-HS-2025B", tc, self.district, D(2025, 2, 3), D(2026, 1, 30))
        Cohort.objects.filter(pk__in=[early.pk, late.pk]).update(plan_year=2025)
        enroll(early, 2)
        enroll(late, 3)
        office = [
            (line.actual_classes, line.actual_students) for line in quota_lines(quota_achievement(2025, self.office))
        ]
        successor = quota_lines(quota_achievement(2025, self.fresh(self.coord_xa)))
        self.assertEqual(office, [(2, 5)])
        self.assertEqual([(line.actual_classes, line.actual_students, line.met) for line in successor], [(2, 5, True)])

    def test_as_units_were_then_the_successor_counts_only_its_own(self):
        elsewhere = make_cohort("BD-XU-2026", self.programs["BD-CV"], self.xu, D(2026, 2, 2))
        enroll(elsewhere, 2, locality=self.district)  # the predecessor's students, held elsewhere
        own = make_cohort("BD-XA-2026", self.programs["BD-CV"], self.xa, D(2026, 3, 2))
        enroll(own, 4)
        user = self.fresh(self.coord_xa)
        today = self.count(user, engine.ACTIVE, 2026)
        then = self.count(user, engine.ACTIVE, 2026, units=engine.UNITS_THEN)
        self.assertEqual((today.classes, today.students), (3, 3 + 2 + 4))  # the running class, elsewhere, own
        self.assertEqual((then.classes, then.students), (1, 4))
        # The same user object answers both views, and its own scope is left as it was.
        self.assertEqual(scope_of(user).inherited, ((self.district.path, START),))

    def test_as_units_were_then_a_successor_below_its_predecessor_keeps_its_own_classes(self):
        commune = make_unit("HN1", "Xã Trong", UnitKind.COMMUNE, self.district, valid_from=START)
        Succession.objects.create(predecessor=self.district, successor=commune, effective_date=START)
        enroll(make_cohort("BD-HN1-2026", self.programs["BD-CV"], commune, D(2026, 4, 6)), 6)
        user = make_user("coord.hn1", roles.LOCALITY_COORDINATOR, commune)
        then = self.count(self.fresh(user), engine.OPENED, 2026, units=engine.UNITS_THEN)
        self.assertEqual((then.classes, then.students), (1, 6))

    def test_nominations_and_topics_of_a_predecessor_from_the_year_of_the_succession(self):
        tc = self.programs["TC-LLCT-HC"]
        for year in (2024, 2025):
            plan = AnnualPlan.objects.create(year=year)
            Application.objects.create(
                plan=plan, program=tc, locality=self.district, full_name=f"Ứng Viên {year}",
                national_id=national_id.make("052", "male", D(1985, 1, 1), 900 + year - 2000),
                date_of_birth=D(1985, 1, 1), gender="male",
            )  # fmt: skip
            LocalIssue.objects.create(locality=self.district, year=year, title=f"Vấn đề {year}")
        user = self.fresh(self.coord_xa)
        self.assertEqual(set(Application.objects.visible_to(user).values_list("plan__year", flat=True)), {2025})
        self.assertEqual(
            set(LocalIssue.objects.visible_to(user).filter(locality=self.district).values_list("year", flat=True)),
            {2025},
        )
