"""The outcome report: graduates of a year per program and the share appointed, promoted or
rewarded within 12 and 24 months, on known data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from daotao.accounts.scope import scope_of
from daotao.grading.models import Credential, GraduationDecision, GraduationEntry
from daotao.lib.vietnamese import format_percent
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcomes import graduates_of_year, outcome_report, outcome_total
from daotao.surveys.tests import test_outcome_services as base
from daotao.testing import enroll, make_cohort

GRADUATED = dt.date(2024, 6, 15)


def graduate(cohort, enrollments, day, number="01/QĐ-TCT"):
    decision = GraduationDecision.objects.create(cohort=cohort, number=number, date=day)
    for enrollment in enrollments:
        GraduationEntry.objects.create(decision=decision, enrollment=enrollment)
    return decision


def event(student, kind, day, number):
    return CareerEvent.objects.create(student=student, kind=kind, date=day, decision_number=number)


class OutcomeReportWorld(base.OutcomeWorld):
    """Four Trung cấp graduates of 15/06/2024 (class TC24, H01): one appointed at 11
    months, one rewarded at 20 months, one disciplined only, one rotated (and rewarded
    before graduating); two graduates of H02 (class TC24B), one promoted at 2 months."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tc = cls.programs["TC-LLCT-HC"]
        cls.cohort = make_cohort("TC24", cls.tc, cls.h01, dt.date(2023, 9, 4), GRADUATED)
        enrollments = enroll(cls.cohort, 4)
        graduate(cls.cohort, enrollments, GRADUATED)
        cls.appointed, cls.rewarded, cls.disciplined, cls.rotated = [e.student for e in enrollments]
        event(cls.appointed, CareerEventKind.APPOINTMENT, dt.date(2025, 5, 15), "1/QĐ")
        event(cls.rewarded, CareerEventKind.REWARD, dt.date(2026, 2, 15), "2/QĐ")
        event(cls.disciplined, CareerEventKind.DISCIPLINE, dt.date(2024, 9, 15), "3/QĐ")
        event(cls.rotated, CareerEventKind.ROTATION, dt.date(2024, 11, 15), "4/QĐ")
        event(cls.rotated, CareerEventKind.REWARD, dt.date(2024, 1, 10), "5/QĐ")  # before graduating
        cls.other_cohort = make_cohort("TC24B", cls.tc, cls.h02, dt.date(2023, 9, 4), dt.date(2024, 7, 1))
        others = enroll(cls.other_cohort, 2)
        graduate(cls.other_cohort, others, dt.date(2024, 7, 1), "02/QĐ-TCT")
        event(others[0].student, CareerEventKind.PROMOTION, dt.date(2024, 9, 1), "6/QĐ")


class ReportFigureTests(OutcomeReportWorld):
    def test_figures_of_one_program_and_class(self):
        rows = outcome_report(year=2024, user=self.coordinator)  # H01: the class TC24 only
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row.program, self.tc)
        self.assertEqual((row.graduates, row.within_12, row.within_24), (4, 1, 2))
        self.assertEqual((row.share_12, row.share_24), (Decimal("0.25"), Decimal("0.5")))
        self.assertEqual((format_percent(row.share_12), format_percent(row.share_24)), ("25,00%", "50,00%"))

    def test_the_school_sees_every_graduate_in_constant_queries(self):
        scope_of(self.office)
        with self.assertNumQueries(4):
            rows = outcome_report(year=2024, user=self.office)
        self.assertEqual([(r.graduates, r.within_12, r.within_24) for r in rows], [(6, 2, 3)])
        self.assertEqual(format_percent(rows[0].share_12), "33,33%")
        # More graduates and events cost no more queries.
        more = enroll(make_cohort("TC24C", self.tc, self.h03, dt.date(2023, 9, 4)), 5)
        graduate(more[0].cohort, more, dt.date(2024, 12, 20), "03/QĐ-TCT")
        for index, enrollment in enumerate(more):
            event(enrollment.student, CareerEventKind.REWARD, dt.date(2025, 1, 5), f"9{index}/QĐ")
        with self.assertNumQueries(4):
            rows = outcome_report(year=2024, user=self.office)
        self.assertEqual([(r.graduates, r.within_12, r.within_24) for r in rows], [(11, 7, 8)])

    def test_scope_of_each_role(self):
        self.assertEqual(outcome_report(year=2024, user=self.other_coordinator)[0].graduates, 2)
        self.assertEqual(outcome_report(year=2024, user=self.agency_user), [])
        self.assertEqual(outcome_report(year=2024, user=self.board)[0].graduates, 6)
        for user in (self.lecturer_user, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                outcome_report(year=2024, user=user)

    def test_other_years_and_programs(self):
        self.assertEqual(outcome_report(year=2023, user=self.office), [])
        self.assertEqual(outcome_report(year=2025, user=self.office), [])
        self.assertEqual(outcome_report(year=2024, program=self.programs["BD-CV"], user=self.office), [])
        self.assertEqual(outcome_report(year=2024, program=self.tc, user=self.office)[0].graduates, 6)


class BoundaryTests(base.OutcomeWorld):
    def test_exactly_twelve_months_counts_the_next_day_does_not(self):
        tc = self.programs["TC-LLCT-HC"]
        cohort = make_cohort("TC-B", tc, self.h01, dt.date(2023, 4, 3), dt.date(2024, 3, 31))
        first, second, third = enroll(cohort, 3)
        graduate(cohort, [first, second, third], dt.date(2024, 3, 31))
        event(first.student, CareerEventKind.APPOINTMENT, dt.date(2025, 3, 31), "1/QĐ")  # 12 months to the day
        event(second.student, CareerEventKind.APPOINTMENT, dt.date(2025, 4, 1), "2/QĐ")  # one day later
        event(third.student, CareerEventKind.REWARD, dt.date(2024, 3, 31), "3/QĐ")  # on graduation day
        event(second.student, CareerEventKind.REWARD, dt.date(2026, 4, 1), "4/QĐ")  # 24 months and a day
        [row] = outcome_report(year=2024, user=self.office)
        self.assertEqual((row.graduates, row.within_12, row.within_24), (3, 2, 3))

    def test_end_of_month_uses_the_last_day(self):
        tc = self.programs["TC-LLCT-HC"]
        cohort = make_cohort("TC-F", tc, self.h01, dt.date(2023, 4, 3), dt.date(2024, 2, 29))
        [only] = enroll(cohort, 1)
        graduate(cohort, [only], dt.date(2024, 2, 29))
        event(only.student, CareerEventKind.PROMOTION, dt.date(2025, 2, 28), "1/QĐ")
        [row] = outcome_report(year=2024, user=self.office)
        self.assertEqual(row.within_12, 1)


class FosteringTests(base.OutcomeWorld):
    """A fostering course completes with a certificate: its first issue date is the
    graduation date unless a completion decision lists the student."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bd = cls.programs["BD-CV"]
        cls.cohort = make_cohort("BD24", cls.bd, cls.h01, dt.date(2024, 6, 3), dt.date(2024, 8, 30))
        cls.certified, cls.decided, cls.voided, cls.late = enroll(cls.cohort, 4)
        for sequence, (enrollment, day, status) in enumerate(
            [
                (cls.certified, dt.date(2024, 9, 1), "valid"),
                (cls.voided, dt.date(2024, 9, 1), "voided"),
                (cls.late, dt.date(2025, 1, 10), "valid"),
            ],
            start=1,
        ):
            Credential.objects.create(
                kind="certificate", enrollment=enrollment, year=day.year, sequence=sequence,
                register_number=f"{sequence}/CCBD", serial_number=f"BD{sequence:06}", issued_on=day, status=status,
            )  # fmt: skip
        graduate(cls.cohort, [cls.decided], dt.date(2024, 8, 30))

    def test_graduates_and_their_dates(self):
        graduates = graduates_of_year(year=2024, user=self.office)
        self.assertEqual(
            graduates,
            {
                (self.bd.pk, self.certified.student_id): dt.date(2024, 9, 1),
                (self.bd.pk, self.decided.student_id): dt.date(2024, 8, 30),
            },
        )
        self.assertEqual(list(graduates_of_year(year=2025)), [(self.bd.pk, self.late.student_id)])

    def test_a_certificate_holder_promoted_counts(self):
        event(self.certified.student, CareerEventKind.PROMOTION, dt.date(2025, 1, 1), "1/QĐ")
        event(self.decided.student, CareerEventKind.REWARD, dt.date(2024, 8, 1), "2/QĐ")  # before
        [row] = outcome_report(year=2024, user=self.office)
        self.assertEqual((row.program, row.graduates, row.within_12, row.within_24), (self.bd, 2, 1, 1))

    def test_total_of_several_programs(self):
        tc = self.programs["TC-LLCT-HC"]
        cohort = make_cohort("TC-T", tc, self.h02, dt.date(2023, 4, 3), dt.date(2024, 5, 5))
        graduates = enroll(cohort, 2)
        graduate(cohort, graduates, dt.date(2024, 5, 5))
        event(graduates[0].student, CareerEventKind.APPOINTMENT, dt.date(2025, 1, 1), "1/QĐ")
        rows = outcome_report(year=2024, user=self.office)
        self.assertEqual([r.program.code for r in rows], ["BD-CV", "TC-LLCT-HC"])
        total = outcome_total(rows)
        self.assertEqual(
            (total.program, total.graduates, total.within_12, total.share_12), (None, 4, 1, Decimal("0.25"))
        )
