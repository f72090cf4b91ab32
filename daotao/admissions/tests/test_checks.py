"""The eligibility rules at their boundaries, missing data, exceptions, the dossier and the
flags, through ``checks`` (each test re-checks the stored outcome as the pages read it)."""

from __future__ import annotations

import datetime as dt

from daotao.admissions import checks
from daotao.admissions.models import (
    Application,
    EducationLevel,
    EligibilityRule,
    PartyStatus,
    Rating,
    RuleException,
    RuleKind,
    Status,
)
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.cohorts.models import Enrollment
from daotao.testing import make_cohort, make_student


class ChecksTestCase(AdmissionsTestCase):
    def outcome(self, application: Application, kind: str) -> checks.RuleResult:
        """The result of the program's rule of ``kind``, re-evaluated from the database."""
        application = Application.objects.get(pk=application.pk)
        checks.refresh([application])
        (result,) = [r for r in checks.Context.load([application]).results(application) if r.rule.kind == kind]
        stored = {c["rule"]: c["outcome"] for c in application.checks}
        self.assertEqual(stored[result.rule.pk], result.outcome)
        return result

    def status(self, application: Application) -> str:
        return Application.objects.get(pk=application.pk).status

    def tc_rule(self, kind: str) -> EligibilityRule:
        return EligibilityRule.objects.get(program=self.tc, kind=kind)


class AgeTests(ChecksTestCase):
    """TC, non-concentrated: women at least 28, men at least 30 on 1 January 2026."""

    def age(self, gender: str, born: dt.date, **fields) -> checks.RuleResult:
        return self.outcome(make_application(self.tc, self.h01, gender=gender, date_of_birth=born, **fields), "age")

    def test_woman_reaching_28_on_the_reference_date(self):
        on = self.age("female", dt.date(1998, 1, 1))
        self.assertEqual(on.outcome, checks.PASSED)
        self.assertIn("28", on.reason)
        self.assertIn("01/01/2026", on.reason)
        after = self.age("female", dt.date(1997, 12, 31))
        self.assertEqual(after.outcome, checks.PASSED)

    def test_woman_a_day_short_of_28_fails(self):
        application = make_application(self.tc, self.h01, gender="female", date_of_birth=dt.date(1998, 1, 2))
        result = self.outcome(application, "age")
        self.assertEqual(result.outcome, checks.FAILED)
        self.assertIn("27", result.reason)
        self.assertIn("28", result.reason)
        self.assertIn("01/01/2026", result.reason)
        self.assertEqual(self.status(application), Status.INELIGIBLE)

    def test_man_boundary_is_30(self):
        self.assertEqual(self.age("male", dt.date(1996, 1, 1)).outcome, checks.PASSED)
        self.assertEqual(self.age("male", dt.date(1995, 12, 31)).outcome, checks.PASSED)
        short = self.age("male", dt.date(1996, 1, 2))
        self.assertEqual(short.outcome, checks.FAILED)
        self.assertIn("29", short.reason)
        self.assertIn("30", short.reason)

    def test_the_limit_depends_on_gender(self):
        born = dt.date(1997, 6, 1)  # 28 on 1/1/2026
        self.assertEqual(self.age("female", born).outcome, checks.PASSED)
        self.assertEqual(self.age("male", born).outcome, checks.FAILED)

    def test_concentrated_study_has_no_age_limit(self):
        application = make_application(
            self.tc, self.h01, gender="female", date_of_birth=dt.date(2000, 5, 5), mode="concentrated"
        )
        self.assertEqual(self.outcome(application, "age").outcome, checks.NOT_APPLICABLE)
        self.assertEqual(self.status(application), Status.ELIGIBLE)

    def test_explicit_reference_date(self):
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.AGE).update(reference_date=dt.date(2026, 6, 30))
        on = self.age("female", dt.date(1998, 6, 30))
        self.assertEqual(on.outcome, checks.PASSED)
        self.assertIn("30/06/2026", on.reason)
        before = self.age("female", dt.date(1998, 7, 1))
        self.assertEqual(before.outcome, checks.FAILED)
        self.assertIn("27", before.reason)
        self.assertIn("30/06/2026", before.reason)

    def test_maximum_age(self):
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.AGE).update(max_age_male=45)
        self.assertEqual(self.age("male", dt.date(1980, 1, 2)).outcome, checks.PASSED)
        result = self.age("male", dt.date(1980, 1, 1))
        self.assertEqual(result.outcome, checks.FAILED)
        self.assertIn("46", result.reason)
        self.assertIn("45", result.reason)


class MissingDataTests(ChecksTestCase):
    def test_no_education_level_is_missing_and_incomplete(self):
        application = make_application(self.tc, self.h01, education_level=None)
        self.assertEqual(self.outcome(application, "education").outcome, checks.MISSING)
        self.assertEqual(self.status(application), Status.INCOMPLETE)
        self.assertEqual(Application.objects.get(pk=application.pk).missing_documents, [])

    def test_no_ratings_is_missing_and_names_the_years(self):
        application = make_application(self.tc, self.h01, rating_last_year=None, rating_year_before=None)
        result = self.outcome(application, "performance")
        self.assertEqual(result.outcome, checks.MISSING)
        self.assertIn("2025", result.reason)
        self.assertIn("2024", result.reason)
        self.assertEqual(self.status(application), Status.INCOMPLETE)

    def test_no_position_at_all_is_missing(self):
        application = make_application(self.tc, self.h01, position_category=None)
        self.assertEqual(self.outcome(application, "position").outcome, checks.MISSING)
        self.assertEqual(self.status(application), Status.INCOMPLETE)

    def test_a_failed_rule_outweighs_missing_data(self):
        application = make_application(self.tc, self.h01, education_level=None, party_status=PartyStatus.NONE,
                                        party_joined_on=None)  # fmt: skip
        self.assertEqual(self.status(application), Status.INELIGIBLE)


class PartyTests(ChecksTestCase):
    def test_not_a_member_fails(self):
        application = make_application(self.tc, self.h01, party_status=PartyStatus.NONE, party_joined_on=None)
        self.assertEqual(self.outcome(application, "party").outcome, checks.FAILED)
        self.assertEqual(self.status(application), Status.INELIGIBLE)

    def test_probationary_passes_probationary_or_full(self):
        application = make_application(
            self.tc, self.h01, party_status=PartyStatus.PROBATIONARY, party_joined_on=dt.date(2025, 3, 2)
        )
        result = self.outcome(application, "party")
        self.assertEqual(result.outcome, checks.PASSED)
        self.assertIn("02/03/2025", result.reason)
        self.assertEqual(self.outcome(make_application(self.tc, self.h01), "party").outcome, checks.PASSED)

    def test_a_rule_requiring_full_membership_rejects_probationary(self):
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.PARTY).update(party_status=PartyStatus.FULL)
        probationary = make_application(self.tc, self.h01, party_status=PartyStatus.PROBATIONARY)
        self.assertEqual(self.outcome(probationary, "party").outcome, checks.FAILED)
        self.assertEqual(self.outcome(make_application(self.tc, self.h01), "party").outcome, checks.PASSED)


class EducationTests(ChecksTestCase):
    def education(self, level, ethnicity="Kinh") -> str:
        application = make_application(self.tc, self.h01, education_level=level, ethnicity=ethnicity)
        return self.outcome(application, "education").outcome

    def test_college_passes_vocational_fails(self):
        self.assertEqual(self.education(EducationLevel.COLLEGE), checks.PASSED)
        self.assertEqual(self.education(EducationLevel.VOCATIONAL), checks.FAILED)

    def test_ethnic_minority_minimum(self):
        self.assertEqual(self.education(EducationLevel.UPPER_SECONDARY, "Tày"), checks.PASSED)
        self.assertEqual(self.education(EducationLevel.UPPER_SECONDARY, "Kinh"), checks.FAILED)
        self.assertEqual(self.education(EducationLevel.UPPER_SECONDARY, " kinh "), checks.FAILED)
        self.assertEqual(self.education(EducationLevel.LOWER_SECONDARY, "Ê Đê"), checks.FAILED)

    def test_without_a_minority_minimum_everyone_needs_college(self):
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.EDUCATION).update(minority_education_min=None)
        self.assertEqual(self.education(EducationLevel.UPPER_SECONDARY, "Tày"), checks.FAILED)


class PerformanceTests(ChecksTestCase):
    def performance(self, last, before) -> checks.RuleResult:
        application = make_application(self.tc, self.h01, rating_last_year=last, rating_year_before=before)
        return self.outcome(application, "performance")

    def test_two_years_at_least_good(self):
        self.assertEqual(self.performance(Rating.GOOD, Rating.GOOD).outcome, checks.PASSED)
        self.assertEqual(self.performance(Rating.EXCELLENT, Rating.GOOD).outcome, checks.PASSED)

    def test_one_completed_year_fails(self):
        failed = self.performance(Rating.GOOD, Rating.COMPLETED)
        self.assertEqual(failed.outcome, checks.FAILED)
        self.assertIn("2024", failed.reason)
        self.assertEqual(self.performance(Rating.COMPLETED, Rating.EXCELLENT).outcome, checks.FAILED)

    def test_one_rated_year_looks_only_at_last_year(self):
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.PERFORMANCE).update(rating_years=1)
        self.assertEqual(self.performance(Rating.GOOD, Rating.COMPLETED).outcome, checks.PASSED)
        self.assertEqual(self.performance(Rating.GOOD, None).outcome, checks.PASSED)
        self.assertEqual(self.performance(Rating.COMPLETED, Rating.EXCELLENT).outcome, checks.FAILED)


class PositionTests(ChecksTestCase):
    def position(self, category, **fields) -> str:
        application = make_application(self.tc, self.h01, position_category=self.positions[category], **fields)
        return self.outcome(application, "position").outcome

    def test_listed_position_passes_other_fails(self):
        self.assertEqual(self.position("CAP-UY"), checks.PASSED)
        self.assertEqual(self.position("KHAC"), checks.FAILED)
        self.assertEqual(self.position("CONG-CHUC-XA"), checks.FAILED)

    def test_planning_pool_for_a_listed_position(self):
        pooled = {"in_planning_pool": True, "planned_position": self.positions["PHO-PHONG"]}
        self.assertEqual(self.position("CONG-CHUC-XA", **pooled), checks.PASSED)
        unlisted = {"in_planning_pool": True, "planned_position": self.positions["KHAC"]}
        self.assertEqual(self.position("CONG-CHUC-XA", **unlisted), checks.FAILED)
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.POSITION).update(accept_planning_pool=False)
        self.assertEqual(self.position("CONG-CHUC-XA", **pooled), checks.FAILED)
        self.assertEqual(self.position("PHO-PHONG"), checks.PASSED)


class PlanningPoolAndGradeTests(ChecksTestCase):
    def test_planning_pool_rule(self):
        EligibilityRule.objects.create(program=self.tc, kind=RuleKind.PLANNING_POOL, order=9)
        pooled = make_application(
            self.tc, self.h01, in_planning_pool=True, planned_position=self.positions["PHO-PHONG"]
        )
        self.assertEqual(self.outcome(pooled, "planning_pool").outcome, checks.PASSED)
        self.assertEqual(self.status(pooled), Status.ELIGIBLE)
        outside = make_application(self.tc, self.h01, in_planning_pool=False)
        self.assertEqual(self.outcome(outside, "planning_pool").outcome, checks.FAILED)
        self.assertEqual(self.status(outside), Status.INELIGIBLE)

    def test_grade_rule_of_bd_cvc(self):
        for grade, expected in (("specialist", checks.PASSED), ("rank_iii", checks.PASSED),
                                ("officer", checks.FAILED), ("", checks.FAILED)):  # fmt: skip
            with self.subTest(grade=grade):
                application = make_application(self.cvc, self.h01, grade=grade)
                self.assertEqual(self.outcome(application, "grade").outcome, expected)
                self.assertEqual(
                    self.status(application), Status.ELIGIBLE if expected == checks.PASSED else Status.INELIGIBLE
                )


class ExceptionTests(ChecksTestCase):
    def test_a_waived_rule_makes_the_candidate_eligible_and_names_who_decided(self):
        application = make_application(self.tc, self.h01, education_level=EducationLevel.VOCATIONAL)
        self.assertEqual(self.status(application), Status.INELIGIBLE)
        RuleException.objects.create(
            application=application,
            rule=self.tc_rule(RuleKind.EDUCATION),
            decided_by="Ban Thường vụ Tỉnh ủy",
            decision_number="12-QĐ/TU",
            decided_on=dt.date(2026, 2, 3),
        )
        result = self.outcome(application, "education")
        self.assertEqual(result.outcome, checks.WAIVED)
        self.assertIn("Ban Thường vụ Tỉnh ủy", result.reason)
        self.assertIn("12-QĐ/TU", result.reason)
        self.assertIn("03/02/2026", result.reason)
        self.assertEqual(self.status(application), Status.ELIGIBLE)

    def test_an_exception_to_a_passed_rule_changes_nothing(self):
        application = make_application(self.tc, self.h01)
        RuleException.objects.create(
            application=application, rule=self.tc_rule(RuleKind.AGE), decided_by="X", decided_on=dt.date(2026, 1, 5)
        )
        self.assertEqual(self.outcome(application, "age").outcome, checks.PASSED)


class DossierTests(ChecksTestCase):
    def test_all_required_received(self):
        application = make_application(self.tc, self.h01)
        self.assertEqual(application.status, Status.ELIGIBLE)
        self.assertEqual(application.missing_documents, [])
        self.assertEqual([c["outcome"] for c in application.checks], [checks.PASSED] * 5)

    def test_optional_document_missing_is_fine(self):
        required = ["QD-CU", "SYLL", "BANG", "SUC-KHOE", "DANG-VIEN", "DANH-GIA"]  # QUY-HOACH is optional
        application = make_application(self.tc, self.h01, received=required)
        self.assertEqual(application.status, Status.ELIGIBLE)

    def test_one_required_missing_is_incomplete_and_named(self):
        application = make_application(self.tc, self.h01, received=["QD-CU", "SYLL", "BANG", "SUC-KHOE", "DANG-VIEN"])
        self.assertEqual(application.status, Status.INCOMPLETE)
        self.assertEqual(application.missing_documents, ["DANH-GIA"])


class FlagTests(ChecksTestCase):
    def setUp(self):
        self.application = make_application(self.tc, self.h01)
        self.student = make_student("Nguyễn Văn Bình", national_id=self.application.national_id)

    def flags(self) -> list[dict]:
        application = Application.objects.get(pk=self.application.pk)
        checks.refresh([application])
        return Application.objects.get(pk=application.pk).flags

    def enroll(self, code, program, status="studying", cohort_status="open"):
        cohort = make_cohort(code, program, self.h01, dt.date(2025, 3, 1), status=cohort_status)
        return Enrollment.objects.create(cohort=cohort, student=self.student, status=status)

    def test_studying_the_same_program_is_flagged(self):
        self.enroll("TC01-2025", self.tc)
        self.assertEqual(self.flags(), [{"status": "studying", "cohort": "TC01-2025"}])
        self.assertEqual(Application.objects.get(pk=self.application.pk).status, Status.ELIGIBLE)

    def test_completed_the_same_program_is_flagged(self):
        self.enroll("TC02-2020", self.tc, status="completed", cohort_status="closed")
        self.assertEqual(self.flags(), [{"status": "completed", "cohort": "TC02-2020"}])

    def test_not_flagged(self):
        self.enroll("CVC01-2025", self.cvc)
        self.enroll("TC03-2025", self.tc, status="cancelled")
        self.enroll("TC04-2025", self.tc, status="withdrawn")
        self.enroll("TC05-2025", self.tc, cohort_status="cancelled")
        self.assertEqual(self.flags(), [])

    def test_the_placement_from_this_application_is_not_a_flag(self):
        enrollment = self.enroll("TC06-2026", self.tc)
        Application.objects.filter(pk=self.application.pk).update(enrollment=enrollment)
        self.assertEqual(self.flags(), [])


class QueryCountTests(ChecksTestCase):
    def test_refresh_runs_a_fixed_number_of_queries(self):
        pooled = {"in_planning_pool": True, "planned_position": self.positions["CAP-UY"]}
        made = [make_application(self.tc if i % 3 else self.cvc, self.h01, **(pooled if i % 2 else {}))
                for i in range(30)]  # fmt: skip
        RuleException.objects.create(application=made[0], rule=self.tc_rule(RuleKind.AGE), decided_by="X",
                                     decided_on=dt.date(2026, 1, 5))  # fmt: skip
        pks = [a.pk for a in made]
        one = list(Application.objects.filter(pk=pks[1]))
        with self.assertNumQueries(10) as one_run:
            checks.refresh(one)
        many = list(Application.objects.filter(pk__in=pks))
        with self.assertNumQueries(len(one_run.captured_queries)):
            checks.refresh(many)
        self.assertEqual(Application.objects.filter(pk__in=pks, status=Status.ELIGIBLE).count(), 30)


class RefreshProgramTests(ChecksTestCase):
    def test_a_changed_rule_rechecks_the_pending_applications_only(self):
        pending = make_application(self.tc, self.h01)  # a man aged 37 on 1/1/2026
        decided = make_application(self.tc, self.h01)
        Application.objects.filter(pk=decided.pk).update(decision="rejected", status=Status.REJECTED)
        EligibilityRule.objects.filter(program=self.tc, kind=RuleKind.AGE).update(max_age_male=35)
        checks.refresh_program(self.tc.pk)
        self.assertEqual(self.status(pending), Status.INELIGIBLE)
        self.assertEqual(Application.objects.get(pk=decided.pk).checks, decided.checks)
