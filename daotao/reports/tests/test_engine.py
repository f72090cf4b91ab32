"""The counting contract (DESIGN.md section 4) against the shared vectors and its edges."""

import datetime as dt
from unittest import mock

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from daotao.accounts import roles
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.org.models import UnitKind
from daotao.reports import engine
from daotao.reports.engine import (
    CohortFilter,
    Counts,
    CountSpec,
    Period,
    ReportInputError,
    count,
    count_many,
    parse_program_codes,
)
from daotao.testing import WorldTestCase, enroll, load_testdata, make_cohort, make_student, make_unit, make_user

D = dt.date.fromisoformat


class CountingCasesTests(WorldTestCase):
    """The small world of counting-cases.json, every query's independently computed answer."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cases = load_testdata("counting-cases.json")
        hosts = {"SCH": cls.school, "H01": cls.h01, "H02": cls.h02, "H03": cls.h03}
        for case in cls.cases["cohorts"]:
            cohort = make_cohort(
                case["code"],
                cls.programs[case["program"]],
                hosts[case["locality"]],
                D(case["opening"]),
                D(case["closing"]) if case["closing"] else None,
                mode=case["mode"],
                funding=case["funding"],
                status=case["status"],
            )
            for status, number in case["enrollments"].items():
                enroll(cohort, number, status)

    def spec(self, query) -> CountSpec:
        return CountSpec(
            Period(D(query["from"]), D(query["to"])),
            query["relation"],
            CohortFilter(
                programs=tuple(query.get("programs", ())),
                mode=query.get("mode", ""),
                funding=query.get("funding", ""),
                locality=query.get("locality", ""),
            ),
        )

    def test_every_query_one_by_one(self):
        for query in self.cases["queries"]:
            with self.subTest(query=query):
                self.assertEqual(count(self.spec(query), self.office).as_dict(), query["expect"])

    def test_all_queries_at_once_in_constant_queries(self):
        specs = [self.spec(query) for query in self.cases["queries"]]
        scope_of(self.office)  # the user's roles: one query per request, not per count
        # program check, locality paths, the count
        with self.assertNumQueries(3):
            results = count_many(specs, self.office)
        self.assertEqual([r.as_dict() for r in results], [q["expect"] for q in self.cases["queries"]])

    def test_query_count_does_not_grow_with_data(self):
        specs = [self.spec(query) for query in self.cases["queries"]]
        scope_of(self.office)
        with CaptureQueriesContext(connection) as before:
            count_many(specs, self.office)
        extra = make_cohort("EXTRA", self.programs["BD-CV"], self.h03, D("2020-05-05"), D("2020-06-05"))
        enroll(extra, 30)
        with CaptureQueriesContext(connection) as after:
            count_many(specs, self.office)
        self.assertEqual(len(before), len(after))

    def test_more_figures_than_one_column_of_flags_holds(self):
        """Each class's flags are bits of 62 to a column: 130 figures take three columns."""
        queries = self.cases["queries"] * (130 // len(self.cases["queries"]) + 1)
        specs = [self.spec(query) for query in queries][:130]
        scope_of(self.office)
        with self.assertNumQueries(3):
            results = count_many(specs, self.office)
        self.assertEqual([r.as_dict() for r in results], [query["expect"] for query in queries][:130])

    def test_the_counting_statement_is_compiled_once_for_the_staff(self):
        specs = [self.spec(query) for query in self.cases["queries"]]
        for user in (self.office, self.coordinator):
            scope_of(user)
        engine._STATEMENTS.clear()
        built = mock.Mock(wraps=engine._counting_query)
        with mock.patch.object(engine, "_counting_query", built):
            first = count_many(specs, self.office)
            with self.assertNumQueries(3):  # the same queries, the statement not built again
                self.assertEqual(count_many(specs, self.office), first)
            self.assertEqual(built.call_count, 1)
            # The statement is kept, not the figures: a new class is counted.
            enroll(make_cohort("LATER", self.programs["BD-CV"], self.h03, D("2020-05-05"), D("2020-06-05")), 30)
            spec = CountSpec(Period(D("2020-01-01"), D("2020-12-31")), "opened", CohortFilter(programs=("BD-CV",)))
            before = count(spec, self.office)
            self.assertEqual(built.call_count, 2)
            engine._STATEMENTS.clear()
            self.assertEqual(count(spec, self.office), before)  # the same figure, compiled again
            self.assertEqual(built.call_count, 3)
            # A user who sees only some classes has a statement of their own each time.
            count_many(specs, self.coordinator)
            count_many(specs, self.coordinator)
            self.assertEqual(built.call_count, 5)


class EdgeTests(WorldTestCase):
    """Each relation at its edges, in a world built for them."""

    Y2020 = Period(D("2020-01-01"), D("2020-12-31"))

    def counts(self, relation, period=None, user=None, **filters) -> Counts:
        return count(CountSpec(period or self.Y2020, relation, CohortFilter(**filters)), user or self.office)

    def cohort(self, code, opening, closing=None, **extra):
        cohort = make_cohort(
            code, self.programs["TC-LLCT-HC"], self.h01, D(opening), D(closing) if closing else None, **extra
        )
        enroll(cohort, 10)
        return cohort

    def test_opened_on_first_and_last_day(self):
        self.cohort("FIRST", "2020-01-01", "2020-06-30")
        self.cohort("LAST", "2020-12-31")
        self.cohort("BEFORE", "2019-12-31", "2020-03-01")
        self.cohort("AFTER", "2021-01-01")
        self.assertEqual(self.counts("opened"), Counts(2, 20))

    def test_closed_the_day_before_start_is_not_carried_over_nor_active(self):
        self.cohort("EVE", "2019-01-07", "2019-12-31")
        self.assertEqual(self.counts("carried_over"), Counts(0, 0))
        self.assertEqual(self.counts("active"), Counts(0, 0))
        self.assertEqual(self.counts("closed"), Counts(0, 0))

    def test_closed_on_the_first_day_is_carried_over_active_and_closed(self):
        self.cohort("NEWYEAR", "2019-01-07", "2020-01-01")
        self.assertEqual(self.counts("carried_over"), Counts(1, 10))
        self.assertEqual(self.counts("active"), Counts(1, 10))
        self.assertEqual(self.counts("closed"), Counts(1, 10))

    def test_multi_year_cohort_is_carried_over_every_year_it_runs(self):
        self.cohort("LONG", "2018-09-01", "2021-03-31")
        for year, relation_counts in [
            (2018, {"opened": 1, "carried_over": 0, "active": 1, "closed": 0}),
            (2019, {"opened": 0, "carried_over": 1, "active": 1, "closed": 0}),
            (2020, {"opened": 0, "carried_over": 1, "active": 1, "closed": 0}),
            (2021, {"opened": 0, "carried_over": 1, "active": 1, "closed": 1}),
            (2022, {"opened": 0, "carried_over": 0, "active": 0, "closed": 0}),
        ]:
            for relation, classes in relation_counts.items():
                with self.subTest(year=year, relation=relation):
                    self.assertEqual(self.counts(relation, Period.year(year)).classes, classes)

    def test_still_open_cohort_is_carried_over(self):
        self.cohort("OPEN", "2019-05-01")
        self.assertEqual(self.counts("carried_over"), Counts(1, 10))
        self.assertEqual(self.counts("closed"), Counts(0, 0))

    def test_cancelled_cohorts_count_nowhere(self):
        self.cohort("GONE", "2020-03-01", "2020-09-01", status="cancelled")
        self.cohort("GONE2", "2019-03-01", "2020-09-01", status="cancelled")
        for relation in ("opened", "carried_over", "active", "closed"):
            with self.subTest(relation=relation):
                self.assertEqual(self.counts(relation), Counts(0, 0))

    def test_cancelled_enrollments_are_not_students_withdrawn_and_deferred_are(self):
        cohort = self.cohort("MIXED", "2020-03-01")
        enroll(cohort, 3, "cancelled")
        enroll(cohort, 2, "withdrawn")
        enroll(cohort, 1, "deferred")
        enroll(cohort, 4, "transferred")
        self.assertEqual(self.counts("opened"), Counts(1, 17))

    def test_cohort_without_students_is_still_a_class(self):
        make_cohort("EMPTY", self.programs["BD-CV"], self.school, D("2020-04-01"), mode="concentrated")
        self.assertEqual(self.counts("opened"), Counts(1, 0))

    def test_locality_filter_includes_units_below(self):
        make_cohort("COMMUNE", self.programs["BD-BTX"], self.x01, D("2020-04-01"))
        make_cohort("OTHER", self.programs["BD-BTX"], self.h02, D("2020-04-01"))
        self.assertEqual(self.counts("opened", locality="H01").classes, 1)
        self.assertEqual(self.counts("opened", locality="X0101").classes, 1)
        self.assertEqual(self.counts("opened", locality="BA").classes, 2)

    def test_category_filter(self):
        make_cohort("CV", self.programs["BD-CV"], self.school, D("2020-04-01"))
        make_cohort("CVC", self.programs["BD-CVC"], self.school, D("2020-04-01"))
        make_cohort("LDP", self.programs["BD-LDP"], self.school, D("2020-04-01"))
        self.assertEqual(self.counts("opened", category="civil_service_grade").classes, 2)
        self.assertEqual(self.counts("opened", category="leadership").classes, 1)

    def test_single_day_period(self):
        self.cohort("DAY", "2020-06-15", "2020-06-15")
        day = Period(D("2020-06-15"), D("2020-06-15"))
        self.assertEqual(self.counts("opened", day), Counts(1, 10))
        self.assertEqual(self.counts("closed", day), Counts(1, 10))
        self.assertEqual(self.counts("active", day), Counts(1, 10))
        self.assertEqual(self.counts("carried_over", day), Counts(0, 0))


class ScopeTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        enroll(make_cohort("A", cls.programs["TC-LLCT-HC"], cls.h01, D("2020-02-01")), 5)
        enroll(make_cohort("B", cls.programs["BD-BTX"], cls.x01, D("2020-03-01")), 7)
        enroll(make_cohort("C", cls.programs["TC-LLCT-HC"], cls.h02, D("2020-02-01")), 11)

    def opened(self, user, **filters):
        return count(CountSpec(Period.year(2020), "opened", CohortFilter(**filters)), user)

    def test_school_staff_count_everything(self):
        for user in (self.office, self.board, self.superuser):
            with self.subTest(user=user.username):
                self.assertEqual(self.opened(user), Counts(3, 23))

    def test_coordinator_counts_own_locality_and_below(self):
        self.assertEqual(self.opened(self.coordinator), Counts(2, 12))
        self.assertEqual(self.opened(self.other_coordinator), Counts(1, 11))

    def test_a_class_held_elsewhere_counts_with_only_ones_own_students(self):
        """A coordinator's or agency's figures are those of the classes they reach, as the
        overview and the class list count them (``cohorts.access``)."""
        agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, self.province)
        elsewhere = make_cohort("D", self.programs["TC-LLCT-HC"], self.h02, D("2020-05-04"))
        enroll(elsewhere, 2, locality=self.h01)
        staff = make_student("Lê Văn Cường", locality=self.h03, agency=agency)
        Enrollment.objects.create(cohort=elsewhere, student=staff)
        self.assertEqual(self.opened(self.coordinator), Counts(3, 14))  # A and B whole, D's 2
        self.assertEqual(self.opened(self.other_coordinator), Counts(2, 14))  # C and D whole
        self.assertEqual(self.opened(make_user("snv", roles.SENDING_AGENCY, agency)), Counts(1, 1))
        self.assertEqual(self.opened(self.office), Counts(4, 26))

    def test_coordinator_filtering_another_locality_gets_nothing(self):
        self.assertEqual(self.opened(self.coordinator, locality="H02"), Counts(0, 0))

    def test_no_scope_no_figures(self):
        from django.contrib.auth.models import AnonymousUser

        for user in (AnonymousUser(), self.nobody, self.unscoped):
            with self.subTest(user=str(user)):
                self.assertEqual(self.opened(user), Counts(0, 0))


class InputTests(WorldTestCase):
    def test_unknown_codes_and_values_are_named(self):
        period = Period.year(2020)
        with self.assertRaisesMessage(ReportInputError, "XX-1"):
            count(CountSpec(period, "opened", CohortFilter(programs=("XX-1",))), self.office)
        with self.assertRaisesMessage(ReportInputError, "H99"):
            count(CountSpec(period, "opened", CohortFilter(locality="H99")), self.office)
        for field, kwargs in [
            ("mode", {"mode": "online"}),
            ("funding", {"funding": "free"}),
            ("category", {"category": "x"}),
        ]:
            with self.subTest(field=field), self.assertRaises(ReportInputError) as caught:
                CohortFilter(**kwargs)
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(ReportInputError) as caught:
            CountSpec(period, "started")
        self.assertEqual(caught.exception.field, "relation")
        with self.assertRaises(ReportInputError) as caught:
            Period(D("2020-12-31"), D("2020-01-01"))
        self.assertEqual(caught.exception.field, "to")


class ProgramCodesTests(SimpleTestCase):
    """The one reading of program codes: the API, ``cohort_stats`` and report lines."""

    def test_commas_case_spaces_and_repeats(self):
        self.assertEqual(
            parse_program_codes([" bd-cv , BD-CVC,", "tc-llct-hc", "BD-CV"]), ("BD-CV", "BD-CVC", "TC-LLCT-HC")
        )
        self.assertEqual(parse_program_codes(["", " , "]), ())

    def test_a_code_longer_than_any_program_code_is_named(self):
        self.assertEqual(parse_program_codes(["X" * 32]), ("X" * 32,))
        with self.assertRaises(ReportInputError) as caught:
            parse_program_codes(["BD-CV," + "Y" * 5000], field="program_codes")
        self.assertEqual(caught.exception.field, "program_codes")
        self.assertIn("Y" * 32, caught.exception.message)
        self.assertLess(len(caught.exception.message), 200)


class UnitMoveTests(WorldTestCase):
    def test_moving_a_unit_moves_its_subtree_in_counts(self):
        make_cohort("M", self.programs["BD-BTX"], self.x01, D("2020-03-01"))
        deep = make_unit("X010101", "Thôn Một", UnitKind.OTHER, self.x01)
        make_cohort("N", self.programs["BD-BTX"], deep, D("2020-03-01"))
        self.x01.parent = self.h02
        self.x01.save()

        def opened(code):
            return count(CountSpec(Period.year(2020), "opened", CohortFilter(locality=code)), self.office)

        self.assertEqual(opened("H01").classes, 0)
        self.assertEqual(opened("H02").classes, 2)
