"""What changes the topic bank and the graduation essays.

A topic from the bank is approved on registration; a student's own topic waits for the
training office or the supervisor. The training office assigns a supervisor and two
graders; each grader enters only their own mark and the program's rule reconciles the two
(``daotao.grading.rules.reconcile_essay``), or the office does when they are too far apart.
Every change of a mark or a score is audited. Near-duplicate titles and texts are flagged
against the essays of every class and year, on both sides; an essay's text is what was
pasted and what was read from its file (``essay_file_text``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import any_of, is_coordinator, is_training_office
from daotao.accounts.scope import scope_of
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.essays.models import Essay, EssayStatus, LocalIssue, LocalIssueStatus, compared_text
from daotao.grading import rules as grading_rules
from daotao.lib import doc_text, similarity
from daotao.lib.vietnamese import format_file_size, format_int
from daotao.org.models import LOCALITY_KINDS
from daotao.org.validity import check_unit_valid
from daotao.programs.models import ModuleKind
from daotao.web.uploads import check_upload_size

SCORE_FIELDS = ["first_score", "second_score", "score", "status"]
ASSIGNMENT_FIELDS = ["supervisor", "first_grader", "second_grader"]
TOPIC_FIELDS = ["title", "local_issue", "status"]
# Enrollments that may no longer register a topic.
CLOSED_ENROLLMENT_STATUSES = (
    EnrollmentStatus.WITHDRAWN,
    EnrollmentStatus.DEFERRED,
    EnrollmentStatus.TRANSFERRED,
    EnrollmentStatus.CANCELLED,
)
OPEN_TOPIC_STATUSES = (EssayStatus.REGISTERED, EssayStatus.REJECTED)
MARKING_STATUSES = (EssayStatus.SUBMITTED, EssayStatus.GRADED, EssayStatus.NEEDS_RECONCILIATION)
ESSAY_FILE_EXTENSIONS = ("pdf", "doc", "docx", "odt")


# --- the topic bank ---------------------------------------------------------------------


# Who proposes topics for the bank: the training office and locality coordinators.
may_propose = any_of(is_training_office, is_coordinator)


def may_propose_for(user, locality) -> bool:
    """The training office for any locality; a coordinator for their unit and those below."""
    scope = scope_of(user)
    own = scope.unit_path is not None and locality.path.startswith(scope.unit_path)
    return own or is_training_office(user)


def local_issue_propose(*, user, locality, title, description="", year) -> LocalIssue:
    """A locality coordinator proposes an issue of their own locality (or a unit below it);
    the training office may propose for any locality. The office approves it."""
    if not may_propose_for(user, locality):
        raise PermissionDenied(_("You may propose topics only for your own locality."))
    if locality.kind not in LOCALITY_KINDS:
        raise ValidationError({"locality": _("A topic is proposed for a district or a commune.")})
    check_unit_valid(locality, year, "locality")  # not for a district dissolved before that year
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
        raise PermissionDenied(_("Only the training office approves or retires topics of the bank."))
    with transaction.atomic():
        before = snapshot(issue, ["status"])
        issue.status = status
        issue.save(update_fields=["status"])
        record(user, issue, "local_issue_status", before, snapshot(issue, ["status"]))
    return issue


def local_issue_approve(*, user, issue) -> LocalIssue:
    """The bank offers the issue to students from now on."""
    return _set_issue_status(user, issue, LocalIssueStatus.APPROVED)


def local_issue_retire(*, user, issue) -> LocalIssue:
    """No longer offered; the essays already written on it keep it."""
    return _set_issue_status(user, issue, LocalIssueStatus.RETIRED)


# --- essays -------------------------------------------------------------------------------


def _lecturer_id(user) -> int | None:
    return scope_of(user).lecturer_id


def _own_or_office(user, enrollment) -> None:
    if not (is_training_office(user) or scope_of(user).student_id == enrollment.student_id):
        raise PermissionDenied(_("Only the student or the training office may change this essay."))


def _locked(essay) -> Essay:
    """The essay's row, locked until the end of the transaction, as it is now."""
    return Essay.objects.select_for_update(of=("self",)).select_related("enrollment__cohort__program").get(pk=essay.pk)


def _sync(essay, fresh) -> Essay:
    """Bring the caller's instance up to date with what was saved."""
    if essay is not fresh:
        for field in Essay._meta.concrete_fields:
            setattr(essay, field.attname, getattr(fresh, field.attname))
    return essay


def has_graduation_essay(program) -> bool:
    return program.modules.filter(kind=ModuleKind.GRADUATION).exists()


def essay_register(*, user, enrollment, local_issue=None, title=None) -> Essay:
    """Register a topic: from the bank (approved at once, its title copied) or a new topic
    that the faculty approves. One essay per enrollment; registering again replaces the
    topic while it is not approved."""
    _own_or_office(user, enrollment)
    if not has_graduation_essay(enrollment.cohort.program):
        raise ValidationError(
            _("The program of class %(cohort)s has no graduation essay.") % {"cohort": enrollment.cohort.code}
        )
    if enrollment.status in CLOSED_ENROLLMENT_STATUSES:
        raise ValidationError(
            _("A student whose status in the class is “%(status)s” cannot register a topic.")
            % {"status": enrollment.get_status_display()}
        )
    if local_issue is not None and local_issue.status != LocalIssueStatus.APPROVED:
        raise ValidationError({"local_issue": _("This topic of the bank is not approved.")})
    title = (local_issue.title if local_issue is not None else title or "").strip()
    if not title:
        raise ValidationError({"title": _("Choose a topic from the bank or write your own topic.")})
    with transaction.atomic():
        # A first registration has no essay row to lock: lock the enrollment, so that two
        # registrations at once run one after the other instead of both inserting.
        list(Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk", flat=True))
        essay = Essay.objects.select_for_update().filter(enrollment=enrollment).first()
        if essay is not None and essay.status not in OPEN_TOPIC_STATUSES:
            raise ValidationError(_("The topic is already approved and can no longer be changed here."))
        essay = essay or Essay(enrollment=enrollment)
        before = snapshot(essay, TOPIC_FIELDS) if essay.pk else {}
        essay.title, essay.local_issue = title, local_issue
        essay.status = EssayStatus.APPROVED if local_issue is not None else EssayStatus.REGISTERED
        essay.topic_note = ""
        essay.full_clean()
        essay.save()
        record(user, essay, "essay_register", before, snapshot(essay, TOPIC_FIELDS))
        essay_check_similarity(essay)
    return essay


def essay_topic_decide(*, user, essay, approve: bool, reason="") -> Essay:
    """The faculty approves or rejects a student's own topic: the training office or the
    essay's supervisor. The reason is shown to the student."""
    supervisor = essay.supervisor_id is not None and _lecturer_id(user) == essay.supervisor_id
    if not (is_training_office(user) or supervisor):
        raise PermissionDenied(_("Only the training office or the supervisor decides on a topic."))
    with transaction.atomic():
        fresh = _locked(essay)
        if fresh.status != EssayStatus.REGISTERED:
            raise ValidationError(_("This topic is not waiting for a decision."))
        if not approve and not reason.strip():
            raise ValidationError({"reason": _("Write why the topic is rejected; the student will read it.")})
        before = snapshot(fresh, ["status", "topic_note"])
        fresh.status = EssayStatus.APPROVED if approve else EssayStatus.REJECTED
        fresh.topic_note = reason.strip()
        fresh.save(update_fields=["status", "topic_note"])
        record(user, fresh, "essay_topic", before, snapshot(fresh, ["status", "topic_note"]), note=reason.strip())
    return _sync(essay, fresh)


def essay_assign(*, user, essay, supervisor, first_grader, second_grader) -> Essay:
    """The training office names the supervisor (who may then decide on the topic) and the
    two graders. A grader replaced after
    entering a mark takes the mark away (and the score made from it), audited."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office assigns supervisors and graders."))
    with transaction.atomic():
        fresh = _locked(essay)
        before = snapshot(fresh, ASSIGNMENT_FIELDS + SCORE_FIELDS)
        replaced = False
        if fresh.first_grader_id != getattr(first_grader, "pk", None) and fresh.first_score is not None:
            fresh.first_score, replaced = None, True
        if fresh.second_grader_id != getattr(second_grader, "pk", None) and fresh.second_score is not None:
            fresh.second_score, replaced = None, True
        if replaced:
            fresh.score, fresh.status = None, EssayStatus.SUBMITTED
        fresh.supervisor, fresh.first_grader, fresh.second_grader = supervisor, first_grader, second_grader
        fresh.full_clean()
        fresh.save()
        record(user, fresh, "essay_assign", before, snapshot(fresh, ASSIGNMENT_FIELDS + SCORE_FIELDS))
    return _sync(essay, fresh)


def _extension(file) -> str:
    return file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""


def _check_file(file) -> None:
    if _extension(file) not in ESSAY_FILE_EXTENSIONS:
        raise ValidationError({"file": _("The essay file must be a PDF, Word or OpenDocument file.")})
    check_upload_size(file, "DAOTAO_MAX_ESSAY_BYTES", "file")


KIND_NAMES = {"pdf": "PDF", "docx": "Word (.docx)", "doc": "Word 97 (.doc)", "odt": "OpenDocument (.odt)"}


def _refusal(name: str, refused: doc_text.TextRefused) -> str:
    figures, reason = refused.figures, refused.reason
    if reason == "kind":
        kind = KIND_NAMES.get(figures.get("kind", ""), figures.get("kind", ""))
        return _("The file “%(name)s” is not a %(kind)s file, whatever its name says.") % {"name": name, "kind": kind}
    if reason == "inflated":
        return _("The file “%(name)s” unpacks to more than %(limit)s: it is refused.") % {
            "name": name,
            "limit": format_file_size(figures["limit"]),
        }
    if reason == "chars":
        return _("The text of “%(name)s” is longer than %(limit)s characters.") % {
            "name": name,
            "limit": format_int(figures["limit"]),
        }
    if reason == "pages":
        return _("The file “%(name)s” has more than %(limit)s pages.") % {
            "name": name,
            "limit": format_int(figures["limit"]),
        }
    if reason == "limits":
        return _("The file “%(name)s” could not be read within the time and memory allowed: it is refused.") % {
            "name": name
        }
    return _("The file “%(name)s” could not be read: it may be damaged or protected by a password.") % {"name": name}


def essay_file_text(file) -> str:
    """The text of an essay file (.docx, .odt, .pdf; a .doc has none that is read), read
    within limits (``daotao.lib.doc_text``). A file that is not what its extension says,
    damaged, too large once unpacked, too long or too slow to read is refused with a
    ``ValidationError`` on ``file`` naming it."""
    name = PurePath(file.name or "").name
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        return doc_text.read_text(data, _extension(file))
    except doc_text.TextRefused as refused:
        raise ValidationError({"file": _refusal(name, refused)}) from None


def essay_file_check(file) -> str:
    """An essay file as handed in (the pages and the admin): its kind and size checked, and
    its text (``essay_file_text``)."""
    _check_file(file)
    return essay_file_text(file)


def essay_submit(*, user, essay, text="", file=None) -> Essay:
    """The student (or the office) hands in the essay once the topic is approved; it may be
    handed in again until a grader has entered a mark."""
    _own_or_office(user, essay.enrollment)
    file_text = ""
    if file is not None:
        file_text = essay_file_check(file)  # before the lock: a PDF may take a few seconds
    with transaction.atomic():
        fresh = _locked(essay)
        if fresh.status not in (EssayStatus.APPROVED, EssayStatus.SUBMITTED):
            raise ValidationError(_("An essay can be submitted once its topic is approved, until it is marked."))
        if fresh.first_score is not None or fresh.second_score is not None:
            raise ValidationError(_("A grader has already marked this essay; it can no longer be changed."))
        text = (text or "").strip()
        if not text and file is None and not fresh.file:
            raise ValidationError({"text": _("Paste the essay's text or attach its file.")})
        fresh.text = text
        if file is not None:
            fresh.file, fresh.file_text, fresh.file_read = file, file_text, True
        if not text and fresh.file_read and not fresh.file_text:
            raise ValidationError(
                {
                    "text": _(
                        "No text could be read from the file “%(name)s” (a scanned document, or Word 97): "
                        "paste the essay's text so that it can be compared with other essays."
                    )
                    % {"name": PurePath(fresh.file.name).name}
                }
            )
        fresh.status = EssayStatus.SUBMITTED
        fresh.submitted_at = timezone.now()
        fresh.full_clean()
        fresh.save()
        essay_check_similarity(fresh)
    return _sync(essay, fresh)


def _parse(score, rules) -> Decimal | None:
    try:
        return grading_rules.parse_score(str(score) if isinstance(score, Decimal) else score, rules)
    except grading_rules.ScoreError as error:
        raise ValidationError({"score": str(error)}) from None


def essay_grade(*, user, essay, grader, score) -> Essay:
    """A grader's own mark (the training office may enter either). With both marks in, the
    program's rule gives the score (their mean when close enough: GRADED) or leaves it to
    the office (NEEDS_RECONCILIATION)."""
    if not (_lecturer_id(user) == grader.pk or is_training_office(user)):
        raise PermissionDenied(_("A grader enters only their own mark."))
    with transaction.atomic():
        fresh = _locked(essay)
        if grader.pk not in (fresh.first_grader_id, fresh.second_grader_id):
            raise ValidationError(_("%(grader)s is not a grader of this essay.") % {"grader": grader.full_name})
        if fresh.status not in MARKING_STATUSES:
            raise ValidationError(_("The essay has not been submitted yet."))
        rules = grading_rules.rules_for(fresh.enrollment.cohort.program)
        mark = _parse(score, rules)
        if mark is None:
            raise ValidationError({"score": _("Enter the mark, a number from 0 to 10.")})
        before = snapshot(fresh, SCORE_FIELDS)
        field = "first_score" if grader.pk == fresh.first_grader_id else "second_score"
        setattr(fresh, field, mark)
        fresh.score, fresh.status = None, EssayStatus.SUBMITTED
        if fresh.both_marks_in:
            fresh.score = grading_rules.reconcile_essay(fresh.first_score, fresh.second_score, rules)
            fresh.status = EssayStatus.GRADED if fresh.score is not None else EssayStatus.NEEDS_RECONCILIATION
        fresh.save()
        record(user, fresh, "essay_mark", before, snapshot(fresh, SCORE_FIELDS), note=grader.full_name)
    return _sync(essay, fresh)


def essay_reconcile(*, user, essay, score) -> Essay:
    """The faculty's score for an essay whose two marks are too far apart for the rule."""
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office reconciles the graders' marks."))
    with transaction.atomic():
        fresh = _locked(essay)
        if not fresh.both_marks_in:
            raise ValidationError(_("Both graders' marks are needed first."))
        rules = grading_rules.rules_for(fresh.enrollment.cohort.program)
        if grading_rules.reconcile_essay(fresh.first_score, fresh.second_score, rules) is not None:
            raise ValidationError(_("The two marks are close enough: the score is their mean, by the program's rule."))
        value = _parse(score, rules)
        if value is None:
            raise ValidationError({"score": _("Enter the reconciled score.")})
        before = snapshot(fresh, SCORE_FIELDS)
        fresh.score, fresh.status = value, EssayStatus.GRADED
        fresh.save()
        record(user, fresh, "essay_reconcile", before, snapshot(fresh, SCORE_FIELDS))
    return _sync(essay, fresh)


# --- near-duplicates ----------------------------------------------------------------------


def _matches(titles, texts, pk, title, text) -> list[dict]:
    """Near-duplicates of one essay's title and text: [{"essay", "field", "similarity"}]."""
    found = [
        {"essay": key, "field": "title", "similarity": score}
        for key, score in titles.similar(similarity.title_shingles(title), similarity.TITLES, exclude=pk)
    ]
    if text:
        found += [
            {"essay": key, "field": "text", "similarity": score}
            for key, score in texts.similar(similarity.text_shingles(text), similarity.TEXTS, exclude=pk)
        ]
    return found


def essay_check_similarity(essay) -> list[dict]:
    """Store the essay's near-duplicates among the essays of every class and year (titles
    and texts, accents ignored) in ``Essay.similar``, and keep the other side in step: the
    essays it is like list it, those it is no longer like drop it."""
    others = Essay.objects.exclude(pk=essay.pk)
    titles = similarity.build_index(
        (pk, similarity.title_shingles(title)) for pk, title in others.values_list("pk", "title").iterator()
    )
    texts = similarity.ShingleIndex()
    text = essay.compared_text
    if text:
        rows = others.exclude(text="", file_text="").values_list("pk", "text", "file_text").iterator()
        texts = similarity.build_index(
            (pk, similarity.text_shingles(compared_text(pasted, read))) for pk, pasted, read in rows
        )
    found = _matches(titles, texts, essay.pk, essay.title, text)
    with transaction.atomic():
        previous = Essay.objects.select_for_update().filter(pk=essay.pk).values_list("similar", flat=True).first()
        partners = {item["essay"] for item in (previous or [])} | {item["essay"] for item in found}
        Essay.objects.filter(pk=essay.pk).update(similar=found)
        for other_pk, other_similar in (
            Essay.objects.select_for_update().filter(pk__in=partners).values_list("pk", "similar").order_by("pk")
        ):
            kept = [item for item in other_similar if item["essay"] != essay.pk]
            kept += [{**item, "essay": essay.pk} for item in found if item["essay"] == other_pk]
            kept.sort(key=lambda item: (item["field"] != "title", -item["similarity"], item["essay"]))
            if kept != other_similar:
                Essay.objects.filter(pk=other_pk).update(similar=kept)
    essay.similar = found
    return found


def essays_check_similarity_all() -> int:
    """Recompute the flags of every essay in one pass; returns how many are flagged."""
    titles, texts = similarity.ShingleIndex(), similarity.ShingleIndex()
    rows = Essay.objects.values_list("pk", "title", "text", "file_text").order_by("pk").iterator()
    for pk, title, text, file_text in rows:
        titles.add(pk, similarity.title_shingles(title))
        texts.add(pk, similarity.text_shingles(compared_text(text, file_text)))
    found: dict[int, list[dict]] = {}
    for field, index, measure in (("title", titles, similarity.TITLES), ("text", texts, similarity.TEXTS)):
        for pk, matches in index.pairs(measure).items():
            found.setdefault(pk, []).extend(
                {"essay": key, "field": field, "similarity": score} for key, score in matches
            )
    flagged = 0
    with transaction.atomic():
        for pk, current in Essay.objects.select_for_update().values_list("pk", "similar").order_by("pk"):
            new = found.get(pk, [])
            flagged += bool(new)
            if new != current:
                Essay.objects.filter(pk=pk).update(similar=new)
    return flagged
