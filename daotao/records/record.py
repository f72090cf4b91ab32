"""A cadre's training record: everything the school holds about one student across classes
and years, as one viewer may see it.

``training_record(student, user)`` reads it in a fixed number of queries, whatever the
number of classes (at most eight: the classes, their graduation results, credentials and
essays, the nominations, the evaluation rounds, the career events, and whether the user
records that student's career). Every part comes through the rule that already decides it:

- the classes: the student's enrollments the user may see (``Enrollment.visible_to``, not
  cancelled) in classes the user reaches (``cohorts.access.cohorts_reached``): a lecturer
  only the classes they teach, a coordinator those held in their locality and, for their
  own cadres, those held elsewhere;
- a class's result is its graduation decision's (``GraduationEntry``: average and
  classification as decided); a class without a decision has none yet. The live results of
  a running class are the class's results page (``grading.results.cohort_results``, nine
  queries a class);
- credentials (``Credential.visible_to``), essays (``Essay.visible_to``), nominations matched
  by national ID or by the placed student (``Application.visible_to``), career events
  (``CareerEvent.visible_to``): none for a lecturer, as on their own pages;
- the evaluation rounds the student was invited to, in the classes listed: the round, its
  class, who answers and whether it has closed; never whether the student answered nor what
  (``surveys/pool.py``, docs/security.md "Anonymous evaluations"). This module reads rounds,
  not invitations, so nothing here can show who answered. A lecturer sees none (who was asked
  to evaluate whom is not theirs to read); a coordinator or agency the rounds of the classes
  they see (``SurveyRound.visible_to``); the student their own.

Personal data is ``personal``, as ``privacy`` lets the user see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from daotao.accounts.access import is_staff, is_student, is_teaching_staff
from daotao.accounts.scope import scope_of
from daotao.admissions.models import Application
from daotao.cohorts.access import cohorts_reached, recordable_students
from daotao.cohorts.models import Cohort, Enrollment
from daotao.essays.models import Essay
from daotao.grading.models import Credential, GraduationEntry
from daotao.people.models import Student
from daotao.people.privacy import PersonalData, personal_data_access
from daotao.surveys.models import Audience, CareerEvent, SurveyRound


@dataclass
class ClassRecord:
    """One class the student took: the enrollment (with its class and program), the result
    of the graduation decision if there is one, the credentials and the essay."""

    enrollment: Enrollment
    graduation: GraduationEntry | None = None
    credentials: list[Credential] = field(default_factory=list)
    essay: Essay | None = None

    @property
    def cohort(self) -> Cohort:
        return self.enrollment.cohort


@dataclass(frozen=True)
class RoundInvited:
    """An evaluation round the student was invited to: no answer, and not whether they
    answered."""

    survey_round: SurveyRound
    closed: bool

    @property
    def cohort(self) -> Cohort:
        return self.survey_round.cohort


@dataclass
class TrainingRecord:
    student: Student
    personal: PersonalData
    classes: list[ClassRecord]
    applications: list[Application]
    essays: list[Essay]
    rounds: list[RoundInvited]
    career_events: list[CareerEvent]
    # What the viewer may open from the record (decided by role, without a query).
    opens_classes: bool = False
    opens_credentials: bool = False
    opens_applications: bool = False
    # Whether the viewer records this student's career events (``recordable_students``).
    records_career: bool = False

    @property
    def credentials(self) -> list[Credential]:
        return [credential for item in self.classes for credential in item.credentials]


def training_record(student: Student, user) -> TrainingRecord:
    """``student``'s record as ``user`` may see it. The caller has checked that the user may
    see the student at all (``Student.objects.visible_to(user)``); ``student`` is best read
    with ``select_related("locality", "agency")`` (no query for the personal data then)."""
    scope = scope_of(user)
    enrollments = (
        Enrollment.objects.visible_to(user)
        .on_roll()
        .filter(student=student, cohort__in=cohorts_reached(user))
        .select_related("cohort__program__grading_rules", "cohort__host_locality")
        .order_by("cohort__opening_date", "cohort__code", "pk")
    )
    classes = {enrollment.pk: ClassRecord(enrollment) for enrollment in enrollments}
    ids = list(classes)
    essays: list[Essay] = []
    if ids:
        for entry in GraduationEntry.objects.visible_to(user).filter(enrollment_id__in=ids).select_related("decision"):
            classes[entry.enrollment_id].graduation = entry
        credentials = Credential.objects.visible_to(user).filter(enrollment_id__in=ids)
        for credential in credentials.order_by("issued_on", "pk"):
            classes[credential.enrollment_id].credentials.append(credential)
        for essay in Essay.objects.visible_to(user).filter(enrollment_id__in=ids).order_by("registered_at", "pk"):
            essay.enrollment = classes[essay.enrollment_id].enrollment
            classes[essay.enrollment_id].essay = essay
            essays.append(essay)
    own = scope.student_id is not None and scope.student_id == student.pk
    return TrainingRecord(
        student=student,
        personal=personal_data_access(user).shown(student),
        classes=list(classes.values()),
        applications=_applications(student, user),
        essays=essays,
        rounds=_rounds(student, user, [item.cohort.pk for item in classes.values()], own),
        career_events=list(CareerEvent.objects.visible_to(user).filter(student=student).order_by("date", "pk")),
        opens_classes=is_teaching_staff(user),  # the class hub: staff, and a lecturer for the classes she teaches
        opens_credentials=is_staff(user) or is_student(user),
        opens_applications=is_staff(user),
        records_career=_records_career(student, user),
    )


def _applications(student: Student, user) -> list[Application]:
    """The nominations of this person, by national ID (the same person across years) or as
    placed; none for lecturers and students (``Application.visible_to``)."""
    applications = Application.objects.visible_to(user)
    if not applications.query.is_empty():
        applications = applications.filter(Q(national_id=student.national_id) | Q(student=student))
        return list(applications.select_related("plan", "program", "locality", "agency").order_by("plan__year", "pk"))
    return []


def _rounds(student: Student, user, cohort_ids: list[int], own: bool) -> list[RoundInvited]:
    """The rounds of the listed classes the student was invited to (see the module's docstring)."""
    if not cohort_ids or scope_of(user).lecturer_id is not None:
        return []
    rounds = SurveyRound.objects.all() if own else SurveyRound.objects.visible_to(user)
    # A managers' round invites the graduate's manager about them (the invitation names the
    # graduate): the cadre was not invited, and such a round is not theirs to learn of here.
    rounds = rounds.filter(invitations__student=student, cohort_id__in=cohort_ids).exclude(audience=Audience.MANAGERS)
    rounds = rounds.select_related("cohort")
    today = timezone.localdate()
    return [
        RoundInvited(survey_round, survey_round.is_closed(today))
        for survey_round in rounds.order_by("cohort__opening_date", "closes_on", "pk")
    ]


def _records_career(student: Student, user) -> bool:
    recordable = recordable_students(user)
    return not recordable.query.is_empty() and recordable.filter(pk=student.pk).exists()


def record_file_stem(student: Student) -> str:
    """The export's file name without extension: by the record's id, never the national ID
    (a file name travels in mail and download folders)."""
    return f"ho-so-dao-tao-{student.pk}"
