"""What changes the topic bank and the graduation essays. Marks and scores are audited;
near-duplicate titles and texts are flagged against the essays of every class and year."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import scope_of
from daotao.audit.models import record, snapshot
from daotao.essays.models import Essay, EssayStatus, LocalIssue, LocalIssueStatus
from daotao.grading import rules as grading_rules
from daotao.lib import similarity
from daotao.programs.models import ModuleKind

SCORE_FIELDS = ["first_score", "second_score", "score", "status"]


def local_issue_propose(*, user, locality, title, description="", year) -> LocalIssue:
    """A locality coordinator proposes an issue of their own locality (or a unit below it);
    the training office may propose for any locality."""
    scope = scope_of(user)
    own = scope.unit_path is not None and locality.path.startswith(scope.unit_path)
    if not (own or is_training_office(user)):
        raise PermissionDenied(_("You may propose topics only for your own locality."))
    issue = LocalIssue(
        locality=locality,
        title=title,
        description=description,
        year=year,
        proposed_by=user if getattr(user, "pk", None) else None,
    )
    issue.full_clean()
    issue.save()
    return issue


def _set_issue_status(user, issue, status) -> LocalIssue:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office approves topics of the bank."))
    issue.status = status
    issue.save(update_fields=["status"])
    return issue


def local_issue_approve(*, user, issue) -> LocalIssue:
    return _set_issue_status(user, issue, LocalIssueStatus.APPROVED)


def local_issue_retire(*, user, issue) -> LocalIssue:
    return _set_issue_status(user, issue, LocalIssueStatus.RETIRED)


def _own_or_office(user, enrollment) -> None:
    if not (is_training_office(user) or scope_of(user).student_id == enrollment.student_id):
        raise PermissionDenied(_("Only the student or the training office may change this essay."))


def essay_register(*, user, enrollment, local_issue=None, title=None) -> Essay:
    """Register a topic: from the bank (approved at once) or a new topic that the faculty
    approves. Re-registering is allowed until the topic is approved."""
    _own_or_office(user, enrollment)
    if not enrollment.cohort.program.modules.filter(kind=ModuleKind.GRADUATION).exists():
        raise ValidationError(_("This class's program has no graduation essay."))
    if local_issue is not None and local_issue.status != LocalIssueStatus.APPROVED:
        raise ValidationError({"local_issue": _("This topic of the bank is not approved.")})
    title = (local_issue.title if local_issue is not None else title or "").strip()
    if not title:
        raise ValidationError({"title": _("Choose a topic from the bank or write your own topic.")})
    with transaction.atomic():
        essay = Essay.objects.select_for_update().filter(enrollment=enrollment).first()
        if essay and essay.status not in (EssayStatus.REGISTERED, EssayStatus.REJECTED):
            raise ValidationError(_("The topic is already approved and can no longer be changed here."))
        essay = essay or Essay(enrollment=enrollment)
        essay.title, essay.local_issue = title, local_issue
        essay.status = EssayStatus.APPROVED if local_issue is not None else EssayStatus.REGISTERED
        essay.full_clean()
        essay.save()
    essay_check_similarity(essay)
    return essay


def essay_topic_decide(*, user, essay, approve: bool, reason="") -> Essay:
    """The faculty approves or rejects a new topic: the training office or the supervisor."""
    supervisor = essay.supervisor_id and getattr(getattr(user, "lecturer", None), "pk", None) == essay.supervisor_id
    if not (is_training_office(user) or supervisor):
        raise PermissionDenied(_("Only the training office or the supervisor decides on a topic."))
    if essay.status not in (EssayStatus.REGISTERED, EssayStatus.REJECTED):
        raise ValidationError(_("This topic was already decided."))
    before = snapshot(essay, ["status"])
    essay.status = EssayStatus.APPROVED if approve else EssayStatus.REJECTED
    essay.save(update_fields=["status"])
    record(user, essay, "essay_topic", before, snapshot(essay, ["status"]), note=reason)
    return essay


def essay_assign(*, user, essay, supervisor, first_grader, second_grader) -> Essay:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office assigns supervisors and graders."))
    essay.supervisor, essay.first_grader, essay.second_grader = supervisor, first_grader, second_grader
    essay.full_clean()
    essay.save()
    return essay


def essay_submit(*, user, essay, text="", file=None) -> Essay:
    _own_or_office(user, essay.enrollment)
    if essay.status not in (EssayStatus.APPROVED, EssayStatus.SUBMITTED):
        raise ValidationError(_("An essay can be submitted once its topic is approved."))
    essay.text = text
    if file is not None:
        essay.file = file
    essay.status = EssayStatus.SUBMITTED
    essay.save()
    essay_check_similarity(essay)
    return essay


def essay_grade(*, user, essay, grader, score) -> Essay:
    """A grader's own mark. With both marks in, the program's rule reconciles them: their
    mean when close enough, otherwise the faculty reconciles (``essay_reconcile``)."""
    own = getattr(getattr(user, "lecturer", None), "pk", None) == grader.pk
    if not (own or is_training_office(user)):
        raise PermissionDenied(_("A grader enters only their own mark."))
    if grader.pk not in (essay.first_grader_id, essay.second_grader_id):
        raise ValidationError(_("%(grader)s is not a grader of this essay.") % {"grader": grader.full_name})
    if essay.status not in (EssayStatus.SUBMITTED, EssayStatus.GRADED, EssayStatus.NEEDS_RECONCILIATION):
        raise ValidationError(_("The essay has not been submitted yet."))
    rules = grading_rules.rules_for(essay.enrollment.cohort.program)
    try:
        mark = grading_rules.parse_score(score if not isinstance(score, Decimal) else str(score), rules)
    except grading_rules.ScoreError as error:
        raise ValidationError({"score": str(error)}) from None
    with transaction.atomic():
        before = snapshot(essay, SCORE_FIELDS)
        field = "first_score" if grader.pk == essay.first_grader_id else "second_score"
        setattr(essay, field, mark)
        essay.score = None
        essay.status = EssayStatus.SUBMITTED
        if essay.first_score is not None and essay.second_score is not None:
            essay.score = grading_rules.reconcile_essay(essay.first_score, essay.second_score, rules)
            essay.status = EssayStatus.GRADED if essay.score is not None else EssayStatus.NEEDS_RECONCILIATION
        essay.save()
        record(user, essay, "essay_mark", before, snapshot(essay, SCORE_FIELDS))
    return essay


def essay_reconcile(*, user, essay, score) -> Essay:
    """The faculty's score for an essay whose two marks were too far apart."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office reconciles the graders' marks."))
    if essay.first_score is None or essay.second_score is None:
        raise ValidationError(_("Both graders' marks are needed first."))
    rules = grading_rules.rules_for(essay.enrollment.cohort.program)
    try:
        value = grading_rules.parse_score(str(score), rules)
    except grading_rules.ScoreError as error:
        raise ValidationError({"score": str(error)}) from None
    if value is None:
        raise ValidationError({"score": _("Enter the reconciled score.")})
    with transaction.atomic():
        before = snapshot(essay, SCORE_FIELDS)
        essay.score, essay.status = value, EssayStatus.GRADED
        essay.save()
        record(user, essay, "essay_reconcile", before, snapshot(essay, SCORE_FIELDS))
    return essay


def _matches(indexes, pk, title, text) -> list[dict]:
    """Near-duplicates of one essay's title and text in the (titles, texts) indexes."""
    titles, texts = indexes
    found = [
        {"essay": key, "field": "title", "similarity": score}
        for key, score in titles.similar(similarity.title_shingles(title), similarity.TITLE_THRESHOLD, exclude=pk)
    ]
    if text:
        found += [
            {"essay": key, "field": "text", "similarity": score}
            for key, score in texts.similar(similarity.text_shingles(text), similarity.TEXT_THRESHOLD, exclude=pk)
        ]
    return found


def similarity_indexes(rows):
    """(title index, text index) of (pk, title, text) rows."""
    rows = list(rows)
    titles = similarity.build_index((pk, similarity.title_shingles(title)) for pk, title, _text in rows)
    texts = similarity.build_index((pk, similarity.text_shingles(text)) for pk, _title, text in rows if text)
    return titles, texts


def essay_check_similarity(essay) -> list[dict]:
    """Store the essay's near-duplicates among every other essay of every class and year
    (titles and texts, accents ignored), and add the essay to theirs."""
    indexes = similarity_indexes(Essay.objects.exclude(pk=essay.pk).values_list("pk", "title", "text"))
    found = _matches(indexes, essay.pk, essay.title, essay.text)
    Essay.objects.filter(pk=essay.pk).update(similar=found)
    essay.similar = found
    for other in Essay.objects.filter(pk__in={item["essay"] for item in found}):
        kept = [item for item in other.similar if item["essay"] != essay.pk]
        kept += [{**item, "essay": essay.pk} for item in found if item["essay"] == other.pk]
        Essay.objects.filter(pk=other.pk).update(similar=kept)
    return found


def essays_check_similarity_all() -> int:
    """Recompute the flags of every essay; returns how many are flagged."""
    rows = list(Essay.objects.values_list("pk", "title", "text"))
    indexes = similarity_indexes(rows)
    flagged = 0
    for pk, title, text in rows:
        found = _matches(indexes, pk, title, text)
        Essay.objects.filter(pk=pk).update(similar=found)
        flagged += bool(found)
    return flagged
