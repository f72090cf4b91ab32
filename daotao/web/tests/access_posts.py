"""The POSTs of the access matrix, by address (``CASES``): for every address that takes a
form (``POSTS`` in ``access_matrix.py``), the body its page's own form sends, with the demo's
records, and what a post that worked changed (the functions are in ``access_bodies.py``).

A ``Post`` says what a post that worked answers (``answer``), which tables it may write
(``writes``, by model), which records it audits (``audited``) and how to see that the record
addressed is the one that changed (``effect``). ``prepare`` puts a record in the state the
action needs (a lesson not held yet, a graduate not yet in a decision); it runs in the
savepoint the post is rolled back with, so the world of the next post is the demo's again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daotao.accounts.models import ApiToken
from daotao.admissions.models import Decision
from daotao.essays.models import LocalIssueStatus
from daotao.finance.models import Budget, Fee, Payment
from daotao.grading.models import Credential, Grade, GraduationEntry
from daotao.planning.models import AnnualPlan
from daotao.school.models import School
from daotao.surveys.models import CareerEvent
from daotao.teaching.models import (
    CalendarFeed,
    ClassOfficer,
    LectureLog,
    Lesson,
    SteeringCommitteeMember,
    TeachingAssignment,
)
from daotao.testing import PASSWORD
from daotao.web.tests import access_bodies as bodies
from daotao.web.tests.access_bodies import today


@dataclass(frozen=True)
class Post:
    body: Callable[[Any, str], dict] = lambda t, persona: {}
    answer: str = "302"  # what a post that worked answers: a redirect, or 200 (a page, an HTMX cell)
    writes: frozenset[str] = frozenset()  # models whose tables it may write
    audited: Callable[[Any], list] | None = None  # records it adds audit entries about (read first)
    effect: Callable[[Any, str, Any], None] | None = None  # (t, persona, response): the change is the one asked
    prepare: Callable[[Any], dict] | None = None  # URL arguments of a record in the state the action needs
    query: str = ""  # the query string the form's page carries


def writes(*labels: str) -> frozenset[str]:
    return frozenset(labels)


# --- the table --------------------------------------------------------------------------------

CASES: dict[str, Post] = {
    "login": Post(
        body=lambda t, persona: {"username": bodies.login_user(t, persona).username, "password": PASSWORD},
        writes=writes("accounts.User"),
        effect=bodies.signed_in_as(bodies.login_user),
    ),
    "logout": Post(answer="login", effect=bodies.signed_in_as(lambda t, persona: None)),
    "set_language": Post(body=lambda t, persona: {"language": "en", "next": "/"}, effect=bodies.language_chosen),
    "api_token_create": Post(
        body=lambda t, persona: {"name": "ma trận"},
        answer="200",
        writes=writes("accounts.ApiToken"),
        effect=bodies.token_created,
    ),
    "api_token_revoke": Post(
        writes=writes("accounts.ApiToken"),
        effect=lambda t, persona, response: t.assertFalse(ApiToken.objects.filter(pk=t.kwargs["token_id"]).exists()),
    ),
    "password_change": Post(
        body=bodies.password_change_body, writes=writes("accounts.User"), effect=bodies.password_changed
    ),
    # Nothing written: the link is sent (the office's account is given the address first).
    "password_reset": Post(body=bodies.password_reset_body, effect=bodies.reset_link_sent),
    "admissions:new": Post(
        body=bodies.application_body,
        writes=writes("admissions.Application", "admissions.ApplicationDocument"),
        effect=bodies.nominated,
    ),
    "admissions:edit": Post(
        body=lambda t, persona: bodies.application_body(t, persona, t.application),
        writes=writes("admissions.Application", "admissions.ApplicationDocument"),
        effect=bodies.application_changed("notes", "Hồ sơ do ma trận gửi."),
    ),
    "admissions:documents": Post(
        body=bodies.documents_body,
        writes=writes("admissions.Application", "admissions.ApplicationDocument"),
        effect=bodies.document_received,
    ),
    "admissions:decision": Post(
        body=lambda t, persona: {
            "decision": Decision.REJECTED,
            "number": "",
            "date": "",
            "reason": "Chưa đủ tuổi Đảng",
        },
        writes=writes("admissions.Application", "audit.AuditEntry"),
        audited=lambda t: [t.application],
        effect=bodies.application_changed("decision", Decision.REJECTED),
    ),
    "admissions:exception": Post(
        body=lambda t, persona: {
            "rule": str(t.rule.pk),
            "decided_by": "Ban Thường vụ Tỉnh ủy",
            "decision_number": "12-QĐ/TU",
            "decided_on": today(),
            "note": "",
        },
        writes=writes("admissions.Application", "admissions.RuleException", "audit.AuditEntry"),
        audited=lambda t: [t.application],
        effect=bodies.exception_recorded,
    ),
    "admissions:placement": Post(
        body=lambda t, persona: {
            "action": "place",
            "applications": [str(t.admitted.pk)],
            "cohort": str(t.open_cohort.pk),
        },
        query="?year=2026&program=TC-LLCT-HC",
        writes=writes("admissions.Application", "cohorts.Enrollment", "people.Student", "audit.AuditEntry"),
        audited=lambda t: [t.admitted],
        effect=bodies.placed,
    ),
    "planning:create": Post(
        body=lambda t, persona: {"year": "2027", "title": "Kế hoạch năm 2027"},
        writes=writes("planning.AnnualPlan"),
        effect=lambda t, persona, response: t.assertTrue(AnnualPlan.objects.filter(year=2027).exists()),
    ),
    "planning:edit": Post(
        body=lambda t, persona: {"title": "Kế hoạch đã sửa", "notes": ""},
        writes=writes("planning.AnnualPlan", "audit.AuditEntry"),
        audited=lambda t: [bodies.plan(t.kwargs["year"])],
        effect=lambda t, persona, response: t.assertEqual(bodies.plan(t.kwargs["year"]).title, "Kế hoạch đã sửa"),
    ),
    "planning:approve": Post(
        body=lambda t, persona: {"decision_number": "06-QĐ/TU", "decision_date": "15/01/2026"},
        writes=writes("planning.AnnualPlan", "audit.AuditEntry"),
        audited=lambda t: [bodies.plan(t.kwargs["year"])],
        effect=lambda t, persona, response: t.assertEqual(bodies.plan(t.kwargs["year"]).decision_number, "06-QĐ/TU"),
    ),
    "finance:budget_edit": Post(
        body=bodies.budget_body,
        prepare=bodies.budget_unsettled,
        writes=writes("finance.Budget", "finance.BudgetLine", "audit.AuditEntry"),
        audited=lambda t: [Budget.objects.get(cohort=t.cohort)],
        effect=lambda t, persona, response: t.assertEqual(Budget.objects.get(cohort=t.cohort).pay_rate, 160_000),
    ),
    "finance:budget_settle": Post(
        body=lambda t, persona: {"settled_on": bodies.today()},
        prepare=bodies.budget_unsettled,
        writes=writes("finance.Budget", "finance.BudgetLine", "audit.AuditEntry"),
        audited=lambda t: [Budget.objects.get(cohort=t.cohort)],
        effect=lambda t, persona, response: t.assertTrue(Budget.objects.get(cohort=t.cohort).is_settled),
    ),
    "finance:fee_edit": Post(
        body=lambda t, persona: {"amount": "3.000.000", "bars_exam": "on"},
        prepare=bodies.fostering_class,
        writes=writes("finance.Fee", "audit.AuditEntry"),
        audited=lambda t: [Fee.objects.get(cohort_id=bodies.fostering_class(t)["cohort_id"])],
        effect=lambda t, persona, response: t.assertEqual(
            Fee.objects.get(cohort_id=bodies.fostering_class(t)["cohort_id"]).amount, 3_000_000
        ),
    ),
    "finance:payment_add": Post(
        body=bodies.payment_body,
        prepare=bodies.fostering_class,
        writes=writes("finance.Payment", "finance.ReceiptCounter", "audit.AuditEntry"),
        effect=lambda t, persona, response: t.assertTrue(
            Payment.objects.filter(
                enrollment__cohort_id=bodies.fostering_class(t)["cohort_id"], amount=100_000
            ).exists()
        ),
    ),
    "finance:payment_void": Post(
        body=lambda t, persona: {"reason": "Ma trận: ghi nhầm."},
        writes=writes("finance.Payment", "audit.AuditEntry"),
        audited=lambda t: [Payment.objects.get(pk=t.kwargs["payment_id"])],
        effect=lambda t, persona, response: t.assertTrue(Payment.objects.get(pk=t.kwargs["payment_id"]).is_voided),
    ),
    "teaching:cohort": Post(body=bodies.lesson_body, writes=writes("teaching.Lesson"), effect=bodies.lesson_added),
    # The preview: nothing written, the lessons laid out on the page.
    "teaching:generate": Post(body=bodies.timetable_body, answer="200", effect=bodies.timetable_previewed),
    "teaching:feed_issue": Post(
        answer="200",
        writes=writes("teaching.CalendarFeed"),
        effect=lambda t, persona, response: t.assertTrue(CalendarFeed.objects.filter(user=t.users[persona]).exists()),
    ),
    "teaching:feed_revoke": Post(
        writes=writes("teaching.CalendarFeed"),
        effect=lambda t, persona, response: t.assertFalse(CalendarFeed.objects.filter(user=t.users[persona]).exists()),
    ),
    "teaching:lesson_edit": Post(
        body=bodies.lesson_edit_body,
        writes=writes("teaching.Lesson"),
        effect=lambda t, persona, response: t.assertEqual(Lesson.objects.get(pk=t.lesson.pk).topic, "Chủ đề đã sửa"),
    ),
    "teaching:lesson_cancel": Post(
        prepare=bodies.unheld_lesson, writes=writes("teaching.Lesson"), effect=bodies.gone(Lesson)
    ),
    "teaching:attendance": Post(
        body=bodies.attendance_body,
        writes=writes("teaching.Attendance", "teaching.Lesson"),
        effect=bodies.attendance_taken,
    ),
    "teaching:log": Post(
        body=lambda t, persona: {"methods": ["practice", "dialogue"], "content": "Nội dung ma trận"},
        writes=writes("teaching.LectureLog"),
        effect=lambda t, persona, response: t.assertEqual(
            LectureLog.objects.get(lesson=t.lesson).content, "Nội dung ma trận"
        ),
    ),
    "teaching:observe": Post(
        body=bodies.observation_body, writes=writes("teaching.PeerObservation"), effect=bodies.observed
    ),
    "teaching:homeroom_set": Post(
        body=lambda t, persona: {"lecturer": str(t.third_lecturer.pk)},
        writes=writes("cohorts.Cohort", "audit.AuditEntry"),
        audited=lambda t: [t.cohort],
        effect=lambda t, persona, response: t.assertEqual(
            type(t.cohort).objects.get(pk=t.cohort.pk).homeroom_lecturer, t.third_lecturer
        ),
    ),
    "teaching:assignment_add": Post(
        body=lambda t, persona: {"module": str(t.module.pk), "lecturer": str(t.third_lecturer.pk)},
        writes=writes("teaching.TeachingAssignment"),
        effect=lambda t, persona, response: t.assertTrue(
            TeachingAssignment.objects.filter(cohort=t.cohort, module=t.module, lecturer=t.third_lecturer).exists()
        ),
    ),
    "teaching:assignment_remove": Post(
        prepare=bodies.assignment_for_removal,
        writes=writes("teaching.TeachingAssignment"),
        effect=bodies.gone(TeachingAssignment),
    ),
    "teaching:officer_add": Post(
        body=lambda t, persona: {"enrollment": str(t.enrollment.pk), "role": "group_leader"},
        writes=writes("teaching.ClassOfficer"),
        effect=lambda t, persona, response: t.assertTrue(
            ClassOfficer.objects.filter(enrollment=t.enrollment, role="group_leader").exists()
        ),
    ),
    "teaching:officer_remove": Post(
        prepare=lambda t: {"record_id": t.remember(ClassOfficer.objects.filter(enrollment__cohort=t.cohort).first())},
        writes=writes("teaching.ClassOfficer"),
        effect=bodies.gone(ClassOfficer),
    ),
    "teaching:committee_add": Post(
        body=lambda t, persona: {
            "side": "locality",
            "full_name": "Thành Viên Ma Trận",
            "position": "",
            "role": "member",
        },
        writes=writes("teaching.SteeringCommitteeMember"),
        effect=lambda t, persona, response: t.assertTrue(
            t.cohort.committee.filter(full_name="Thành Viên Ma Trận").exists()
        ),
    ),
    "teaching:committee_remove": Post(
        prepare=lambda t: {"record_id": t.remember(t.cohort.committee.first())},
        writes=writes("teaching.SteeringCommitteeMember"),
        effect=bodies.gone(SteeringCommitteeMember),
    ),
    "teaching:field_trip_add": Post(
        body=bodies.field_trip_body,
        writes=writes("teaching.FieldTrip", "teaching.FieldTrip_topics"),
        effect=bodies.trip_recorded,
    ),
    "teaching:field_trip_edit": Post(
        body=bodies.field_trip_edit_body,
        writes=writes("teaching.FieldTrip", "teaching.FieldTrip_topics"),
        effect=bodies.trip_recorded,
    ),
    "grading:cell": Post(
        body=bodies.cell_body,
        answer="200",
        writes=writes("grading.Grade", "audit.AuditEntry"),
        audited=lambda t: [Grade.objects.get(enrollment=t.enrollment, assessment=t.assessment, attempt=1)],
        effect=bodies.graded,
    ),
    "grading:decide": Post(
        body=lambda t, persona: {"number": "99-QĐ/MT", "date": today(), "signed_by": "Hiệu trưởng"},
        prepare=bodies.graduate_again,
        writes=writes(
            "grading.GraduationDecision", "grading.GraduationEntry", "cohorts.Enrollment", "audit.AuditEntry"
        ),
        effect=bodies.decided,
    ),
    "grading:decisions": Post(
        body=lambda t, persona: {"decision": str(t.decision.pk), "issued_on": today()},
        prepare=bodies.credential_to_issue,
        writes=writes("grading.Credential", "grading.RegisterCounter", "grading.BlankForm", "audit.AuditEntry"),
        effect=bodies.issued,
    ),
    "grading:entry": Post(
        body=lambda t, persona: {"classification": t.other_classification, "reason": "Phúc khảo"},
        writes=writes("grading.GraduationEntry", "audit.AuditEntry"),
        audited=lambda t: [GraduationEntry.objects.get(pk=t.kwargs["entry_id"])],
        effect=bodies.corrected,
    ),
    "grading:credential": Post(
        body=lambda t, persona: {"action": "reissue", "reason": "Sai ngày sinh", "issued_on": today()},
        writes=writes("grading.Credential", "grading.RegisterCounter", "grading.BlankForm", "audit.AuditEntry"),
        effect=bodies.reissued,
    ),
    "grading:credential_reprint": Post(
        body=lambda t, persona: {"reason": "In lệch dòng họ tên"},
        writes=writes("grading.Credential", "grading.BlankForm", "audit.AuditEntry"),
        audited=lambda t: [Credential.objects.get(pk=t.kwargs["credential_id"])],
        effect=bodies.reprinted,
    ),
    "grading:blank_form_batches": Post(
        body=bodies.blank_form_batch_body,
        writes=writes("grading.BlankFormBatch", "audit.AuditEntry"),
        effect=bodies.blank_forms_received,
    ),
    "grading:blank_form_mark": Post(
        body=bodies.blank_form_mark_body,
        writes=writes("grading.BlankForm", "audit.AuditEntry"),
        effect=bodies.blank_form_voided,
    ),
    "exams:cohort": Post(
        body=bodies.exam_body,
        writes=writes("exams.ExamSession", "audit.AuditEntry"),
        effect=bodies.exam_added,
    ),
    "exams:detail": Post(
        prepare=bodies.exam_in_state("draft"),
        body=lambda t, persona: {"action": "change", "date": "13/09/2025", "session": "afternoon", "anonymised": "on"},
        writes=writes("exams.ExamSession", "exams.ExamRoom", "audit.AuditEntry"),
        audited=lambda t: [bodies.exam(t)],
        effect=lambda t, persona, response: t.assertEqual(bodies.exam(t).session, "afternoon"),
    ),
    "exams:marking": Post(
        prepare=bodies.exam_in_state("sealed"),
        body=lambda t, persona: {f"mark-{bodies.script(t).code}": "9,5"},
        writes=writes("exams.Script", "audit.AuditEntry"),
        audited=lambda t: [bodies.script(t)],
        effect=bodies.script_marked,
    ),
    "essays:issues": Post(body=bodies.issue_body, writes=writes("essays.LocalIssue"), effect=bodies.issue_proposed),
    "essays:issue_approve": Post(
        prepare=bodies.issue_proposed_state,
        writes=writes("essays.LocalIssue", "audit.AuditEntry"),
        audited=lambda t: [t.issue],
        effect=bodies.issue_status(LocalIssueStatus.APPROVED),
    ),
    "essays:issue_retire": Post(
        writes=writes("essays.LocalIssue", "audit.AuditEntry"),
        audited=lambda t: [t.issue],
        effect=bodies.issue_status(LocalIssueStatus.RETIRED),
    ),
    "essays:detail": Post(
        body=bodies.assign_body,
        writes=writes("essays.Essay", "audit.AuditEntry"),
        audited=lambda t: [t.essay],
        effect=bodies.assigned,
    ),
    "essays:my": Post(
        body=lambda t, persona: {"action": "register", "local_issue": str(t.issue.pk), "title": ""},
        writes=writes("essays.Essay", "audit.AuditEntry"),
        effect=bodies.topic_registered,
    ),
    "twoway:cohort": Post(
        body=lambda t, persona: {"unit": str(t.locality.pk)},
        writes=writes("twoway.ResultPackDispatch"),
        effect=bodies.pack_sent,
    ),
    "surveys:outcome_add": Post(
        body=bodies.outcome_body, writes=writes("surveys.CareerEvent", "audit.AuditEntry"), effect=bodies.event_recorded
    ),
    "surveys:outcome_delete": Post(
        writes=writes("surveys.CareerEvent", "audit.AuditEntry"),
        audited=lambda t: [CareerEvent.objects.get(pk=t.kwargs["event_id"])],
        effect=lambda t, persona, response: t.assertFalse(CareerEvent.objects.filter(pk=t.kwargs["event_id"]).exists()),
    ),
    "surveys:answer": Post(
        body=bodies.answer_body,
        prepare=bodies.survey_still_open,
        writes=writes("surveys.Invitation", "surveys.Response", "surveys.Answer", "surveys.SealedResponse"),
        effect=bodies.answered,
    ),
    "onboarding:checklist": Post(  # the shipped catalogue again, after one program lost its rules
        prepare=bodies.catalogue_incomplete,
        effect=bodies.catalogue_complete,
        writes=writes(
            "programs.Program",
            "programs.Module",
            "programs.Assessment",
            "grading.GradingRules",
            "surveys.EvaluationRules",
            "admissions.PositionCategory",
            "admissions.DocumentType",
        ),
    ),
    "onboarding:identity": Post(
        body=bodies.identity_body,
        writes=writes("school.School", "school.DocumentSigner", "audit.AuditEntry"),
        audited=lambda t: [School.objects.get()],
        effect=bodies.identity_saved,
    ),
    "onboarding:units-import": Post(
        body=bodies.units_workbook,
        writes=writes("audit.ImportRecord", "org.Unit", "audit.AuditEntry"),
        effect=bodies.imported(bodies.units_imported),
    ),
    "onboarding:people-import": Post(
        body=bodies.people_workbook,
        writes=writes(
            "audit.ImportRecord", "accounts.User", "accounts.User_groups", "org.Lecturer", "audit.AuditEntry"
        ),
        effect=bodies.imported(bodies.people_imported),
    ),
    "onboarding:history-import": Post(
        body=bodies.history_workbook,
        writes=writes(
            "audit.ImportRecord",
            "grading.GraduationDecision",
            "grading.GraduationEntry",
            "cohorts.Enrollment",
            "audit.AuditEntry",
        ),
        effect=bodies.imported(bodies.history_imported),
    ),
    "cohorts:import": Post(
        body=bodies.cohorts_workbook,
        writes=writes("audit.ImportRecord", "cohorts.Cohort", "cohorts.Enrollment", "people.Student"),
        effect=bodies.imported(
            lambda t, persona: t.assertTrue(type(t.cohort).objects.filter(code="MA-TRAN-01").exists())
        ),
    ),
    "admissions:import": Post(
        body=bodies.nominations_workbook,
        writes=writes("audit.ImportRecord", "admissions.Application", "admissions.ApplicationDocument"),
        effect=bodies.imported(bodies.nominations_imported),
    ),
    "surveys:outcome_import": Post(
        body=bodies.events_workbook,
        writes=writes("audit.ImportRecord", "surveys.CareerEvent", "audit.AuditEntry"),
        effect=bodies.imported(bodies.events_imported),
    ),
    "planning:import": Post(
        body=bodies.quotas_workbook,
        writes=writes("audit.ImportRecord", "planning.Quota", "planning.AnnualPlan", "audit.AuditEntry"),
        effect=bodies.imported(),
    ),
    "grading:sheet_import": Post(
        body=bodies.sheet_body,
        writes=writes("audit.ImportRecord", "grading.Grade", "audit.AuditEntry"),
        audited=lambda t: [Grade.objects.get(enrollment=t.enrollment, assessment=t.assessment, attempt=1)],
        effect=bodies.imported(lambda t, persona: bodies.graded(t, persona, None)),
    ),
    "portal:draft_from_report": Post(
        body=lambda t, persona: {"year": "2020", "template": "coordination-yearly"},
        writes=writes("portal.Article", "portal.Article_images", "portal.ArticleImage"),
        effect=bodies.draft_made,
    ),
}
