"""Teaching a cohort: who teaches which module, the timetable of lessons, the lecture log
with the active methods used, peer observation, attendance, class officers, the steering
committee and field trips."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort
from daotao.lib.vietnamese import format_date


def _in_visible_cohorts(queryset, user, cohort_field: str):
    """Rows whose cohort (reached through ``cohort_field``) the user may see."""
    if scope_of(user).everything:
        return queryset
    return queryset.filter(**{f"{cohort_field}__in": Cohort.objects.visible_to(user).values("pk")})


class CohortRecordQuerySet(models.QuerySet):
    """Records of a cohort (assignments, officers, committee, field trips, logs): visible
    with their cohort. ``cohort_field`` is the path from the record to its cohort."""

    cohort_field = "cohort"

    def visible_to(self, user):
        return _in_visible_cohorts(self, user, self.cohort_field)


class LessonRecordQuerySet(CohortRecordQuerySet):
    cohort_field = "lesson__cohort"


class EnrollmentRecordQuerySet(CohortRecordQuerySet):
    cohort_field = "enrollment__cohort"


class TeachingAssignment(models.Model):
    """A lecturer assigned to teach (and grade) a module in a cohort."""

    cohort = models.ForeignKey("cohorts.Cohort", models.CASCADE, related_name="assignments", verbose_name=_("class"))
    module = models.ForeignKey("programs.Module", models.PROTECT, related_name="assignments", verbose_name=_("module"))
    lecturer = models.ForeignKey("org.Lecturer", models.PROTECT, related_name="assignments", verbose_name=_("lecturer"))

    objects = CohortRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "module", "lecturer"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.code} – {self.module.code} – {self.lecturer}"

    def clean(self):
        if self.cohort_id and self.module_id and self.module.program_id != self.cohort.program_id:
            raise ValidationError({"module": _("This module is not part of the class's program.")})


class Session(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


# When a half day's teaching starts (local time): its attendance and lecture log may be
# recorded from then on, never for a lesson still to come.
# A period (tiết) lasts 45 minutes, with 5 minutes between two.
PERIOD_MINUTES, BREAK_MINUTES = 45, 5
SESSION_STARTS = {Session.MORNING: dt.time(7, 0), Session.AFTERNOON: dt.time(13, 0), Session.EVENING: dt.time(18, 0)}


def _days_within(first: dt.date, last: dt.date, start: dt.date, end: dt.date):
    """The days from ``first`` to ``last`` that fall from ``start`` to ``end`` (all included)."""
    day = max(first, start)
    while day <= min(last, end):
        yield day
        day += dt.timedelta(days=1)


class DaysQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date) -> DaysQuerySet:
        return self.filter(first_day__lte=end, last_day__gte=start)

    def days_between(self, start: dt.date, end: dt.date) -> set[dt.date]:
        """Every day of these rows from ``start`` to ``end`` (both included), in one query."""
        rows = self.overlapping(start, end).values_list("first_day", "last_day")
        return {day for first, last in rows for day in _days_within(first, last, start, end)}


class Days(models.Model):
    """Days from a first to a last, both included (the holiday calendar, a lecturer's days
    away)."""

    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    objects = DaysQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="%(class)s_last_day_not_before_first"
            ),
        ]

    def days_text(self) -> str:
        if self.first_day == self.last_day:
            return format_date(self.first_day)
        return f"{format_date(self.first_day)} – {format_date(self.last_day)}"

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})


class HolidayQuerySet(DaysQuerySet):
    def names_between(self, start: dt.date, end: dt.date) -> dict[dt.date, str]:
        """Each day off from ``start`` to ``end`` with its holiday's name, in one query."""
        rows = self.overlapping(start, end).values_list("first_day", "last_day", "name")
        return {day: name for first, last, name in rows for day in _days_within(first, last, start, end)}


class Holiday(Days):
    """Days off when no class is taught: public holidays, Tết, days the school sets. The
    yearly holiday calendar, kept in the admin (Tết and the Hùng Kings' day follow the lunar
    calendar, so every year has its own rows); timetables are laid out around it."""

    name = models.CharField(_("name"), max_length=128)

    objects = HolidayQuerySet.as_manager()

    class Meta(Days.Meta):
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["first_day", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.days_text()})"


class UnavailabilityQuerySet(DaysQuerySet):
    def lecturer_days_between(self, start: dt.date, end: dt.date, lecturer_ids) -> set[tuple[int, dt.date]]:
        """Every (lecturer, day) one of ``lecturer_ids`` cannot teach from ``start`` to ``end``,
        in one query."""
        rows = self.overlapping(start, end).filter(lecturer_id__in=list(lecturer_ids))
        return {
            (lecturer, day)
            for lecturer, first, last in rows.values_list("lecturer_id", "first_day", "last_day")
            for day in _days_within(first, last, start, end)
        }


class Unavailability(Days):
    """Days a lecturer cannot teach (a mission, leave, teaching elsewhere): timetables are
    laid out around them."""

    lecturer = models.ForeignKey(
        "org.Lecturer", models.CASCADE, related_name="unavailable_days", verbose_name=_("lecturer")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    objects = UnavailabilityQuerySet.as_manager()

    class Meta(Days.Meta):
        verbose_name = _("unavailable days of a lecturer")
        verbose_name_plural = _("unavailable days of lecturers")
        ordering = ["first_day", "lecturer"]

    def __str__(self) -> str:
        return f"{self.lecturer} ({self.days_text()})"


class Place(models.TextChoices):
    SCHOOL = "school", _("At the school")
    LOCALITY = "locality", _("In a locality")


class RoomQuerySet(models.QuerySet):
    def active(self) -> RoomQuerySet:
        return self.filter(is_active=True)


class Room(models.Model):
    """A room lessons and exams are held in: at the school (no centre) or at a locality's
    political centre (``centre``, the locality's unit). Kept in the admin by the training
    office; a lesson or an exam may not seat more than its capacity."""

    name = models.CharField(_("name"), max_length=128)
    centre = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rooms",
        verbose_name=_("locality's centre"),
        help_text=_("Empty for a room at the school."),
    )
    capacity = models.PositiveSmallIntegerField(_("capacity (seats)"))
    is_active = models.BooleanField(_("in use"), default=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["centre__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="room_name_unique_per_centre"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(centre__isnull=True), name="room_name_unique_at_school"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        if self.centre_id:
            return f"{self.name} – {self.centre.name}"
        return str(self.name)

    @property
    def place(self) -> str:
        return Place.LOCALITY if self.centre_id else Place.SCHOOL


class LessonKind(models.TextChoices):
    """What a lesson is, which the lecturer's workload counts with its own coefficient."""

    LECTURE = "lecture", _("Lecture")
    SEMINAR = "seminar", _("Seminar or discussion")
    FIELD_TRIP = "field_trip", _("Field trip")


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user) -> LessonQuerySet:
        """Lessons of the cohorts the user may see; a lecturer also sees their own lessons."""
        scope = scope_of(user)
        if scope.everything:
            return self
        visible = self.filter(cohort__in=Cohort.objects.visible_to(user).values("pk"))
        if scope.lecturer_id is not None:
            visible = visible | self.filter(lecturer_id=scope.lecturer_id)
        return visible

    def between(self, start, end) -> LessonQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def in_day_order(self, descending: bool = False) -> LessonQuerySet:
        """By date, then morning, afternoon, evening (not the sessions' alphabetical order)."""
        rank = models.Case(
            *[models.When(session=value, then=index) for index, value in enumerate(Session.values)],
            output_field=models.IntegerField(),
        )
        fields = ["date", "_session_rank", "pk"]
        return self.alias(_session_rank=rank).order_by(*[f"-{f}" if descending else f for f in fields])


class Lesson(models.Model):
    """One teaching session (buổi học) of a cohort: a module, a lecturer, a date and half day.

    A lecturer and a cohort are each booked at most once per half day; the database holds
    that too (unique constraints), so two people saving at once cannot both win."""

    cohort = models.ForeignKey("cohorts.Cohort", models.CASCADE, related_name="lessons", verbose_name=_("class"))
    module = models.ForeignKey("programs.Module", models.PROTECT, related_name="lessons", verbose_name=_("module"))
    lecturer = models.ForeignKey("org.Lecturer", models.PROTECT, related_name="lessons", verbose_name=_("lecturer"))
    date = models.DateField(_("date"), db_index=True)
    session = models.CharField(_("session"), max_length=16, choices=Session.choices)
    periods = models.PositiveSmallIntegerField(_("periods"), default=5)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=16, choices=Place.choices, default=Place.SCHOOL)
    room = models.ForeignKey(
        Room, models.PROTECT, null=True, blank=True, related_name="lessons", verbose_name=_("room")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices, default=LessonKind.LECTURE)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["date", "session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "date", "session"], name="lesson_cohort_once_per_session"),
            models.UniqueConstraint(fields=["lecturer", "date", "session"], name="lesson_lecturer_once_per_session"),
            models.UniqueConstraint(fields=["room", "date", "session"], name="lesson_room_once_per_session"),
            models.CheckConstraint(condition=models.Q(periods__gte=1, periods__lte=10), name="lesson_periods_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.code} {format_date(self.date)} {self.get_session_display()} – {self.module.code}"

    @property
    def starts_at(self) -> dt.datetime:
        """The start of the lesson's half day, in the school's time zone."""
        start = SESSION_STARTS.get(self.session, dt.time(0, 0))
        return timezone.make_aware(dt.datetime.combine(self.date, start))

    @property
    def ends_at(self) -> dt.datetime:
        """The end of its periods of 45 minutes, with a break of 5 between two."""
        return self.starts_at + dt.timedelta(minutes=self.periods * PERIOD_MINUTES + (self.periods - 1) * BREAK_MINUTES)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def clean(self):
        if self.cohort_id and self.module_id and self.module.program_id != self.cohort.program_id:
            raise ValidationError({"module": _("This module is not part of the class's program.")})


class ActiveMethod(models.TextChoices):
    """The "3 tăng, 3 giảm" checklist: three methods to use more, three to use less."""

    PRACTICE = "practice", _("More practice")
    DIALOGUE = "dialogue", _("More dialogue")
    CASE_HANDLING = "case_handling", _("More case handling")
    LESS_THEORY = "less_theory", _("Less bare theory")
    LESS_MONOLOGUE = "less_monologue", _("Less monologue")
    LESS_DICTATION = "less_dictation", _("Less dictation")


INCREASED_METHODS = frozenset({ActiveMethod.PRACTICE, ActiveMethod.DIALOGUE, ActiveMethod.CASE_HANDLING})


def taught_with_active_methods(methods) -> bool:
    """The one rule for "taught with active methods": at least one of the three methods
    to use more (practice, dialogue, case handling) was used."""
    return bool(INCREASED_METHODS & set(methods or ()))


class LectureLog(models.Model):
    """What the lecturer records after a lesson: the methods used and the content taught."""

    lesson = models.OneToOneField(Lesson, models.CASCADE, related_name="log", verbose_name=_("lesson"))
    methods = models.JSONField(_("methods used"), default=list, blank=True, help_text=_("Codes of ActiveMethod."))
    content = models.TextField(_("content taught"), blank=True)
    # Derived on save (``ACTIVE_RULE``) so reports count it in the database.
    uses_active_methods = models.BooleanField(_("taught with active methods"), default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = LessonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("lecture log")
        verbose_name_plural = _("lecture logs")

    def __str__(self) -> str:
        return str(self.lesson)

    def save(self, *args, **kwargs):
        self.uses_active_methods = taught_with_active_methods(self.methods)
        super().save(*args, **kwargs)


class ObservationRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    NEEDS_WORK = "needs_work", _("Needs improvement")


class PeerObservationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Observations of the lessons the user may see, and a lecturer's own observations."""
        visible = self.filter(lesson__in=Lesson.objects.visible_to(user).values("pk"))
        lecturer_id = scope_of(user).lecturer_id
        if lecturer_id is not None:
            visible = visible | self.filter(observer_id=lecturer_id)
        return visible


class PeerObservation(models.Model):
    """A colleague's observation of a lesson (dự giờ) with notes and a rating."""

    lesson = models.ForeignKey(Lesson, models.CASCADE, related_name="observations", verbose_name=_("lesson"))
    observer = models.ForeignKey(
        "org.Lecturer", models.PROTECT, related_name="observations", verbose_name=_("observer")
    )
    rating = models.CharField(_("rating"), max_length=16, choices=ObservationRating.choices)
    notes = models.TextField(_("notes"), blank=True)

    objects = PeerObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer observation")
        verbose_name_plural = _("peer observations")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "observer"], name="observation_once_per_observer"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson} – {self.observer}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent, excused")
    UNEXCUSED = "unexcused", _("Absent, unexcused")
    LATE = "late", _("Late")


# Statuses that count as missed periods for exam eligibility (late counts as present).
MISSED_STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)


class Attendance(models.Model):
    """An exception to "present" for one student at one lesson.

    Once a lesson's attendance is taken (``Lesson.attendance_taken_at``), every enrolled
    student without a row here was present: the class is present by default and only the
    exceptions are entered and stored."""

    lesson = models.ForeignKey(Lesson, models.CASCADE, related_name="attendance", verbose_name=_("lesson"))
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="attendance", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = LessonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "enrollment"], name="attendance_once_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson} – {self.enrollment.student}: {self.get_status_display()}"


class OfficerRole(models.TextChoices):
    MONITOR = "monitor", _("Class monitor")
    DEPUTY_MONITOR = "deputy_monitor", _("Deputy class monitor")
    PARTY_CELL_SECRETARY = "party_cell_secretary", _("Party cell secretary")
    DEPUTY_PARTY_CELL_SECRETARY = "deputy_party_cell_secretary", _("Deputy party cell secretary")
    GROUP_LEADER = "group_leader", _("Group leader")


class ClassOfficer(models.Model):
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="officer_roles", verbose_name=_("student")
    )
    role = models.CharField(_("role"), max_length=32, choices=OfficerRole.choices)

    objects = EnrollmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("class officer")
        verbose_name_plural = _("class officers")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "role"], name="officer_role_once_per_student"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.get_role_display()}"


class CommitteeSide(models.TextChoices):
    SCHOOL = "school", _("The school")
    LOCALITY = "locality", _("The host locality")


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")


class SteeringCommitteeMember(models.Model):
    """A member of a class's steering committee (Ban Chỉ đạo lớp), from the school or
    from the host locality."""

    cohort = models.ForeignKey("cohorts.Cohort", models.CASCADE, related_name="committee", verbose_name=_("class"))
    full_name = models.CharField(_("full name"), max_length=128)
    position = models.CharField(_("position"), max_length=255, blank=True)
    side = models.CharField(_("from"), max_length=16, choices=CommitteeSide.choices)
    role = models.CharField(_("role"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    lecturer = models.ForeignKey(
        "org.Lecturer", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lecturer")
    )

    objects = CohortRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("steering committee member")
        verbose_name_plural = _("steering committee")
        ordering = ["cohort", "role", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


def field_trip_report_path(instance, filename: str) -> str:
    """An unguessable folder: the report is served only through ``teaching:field_trip_report``
    to those who may see the class."""
    import secrets
    from pathlib import PurePath

    return f"field-trips/{secrets.token_hex(16)}/{PurePath(filename).name}"


class FieldTrip(models.Model):
    """A class's field research (nghiên cứu thực tế) in a locality."""

    cohort = models.ForeignKey("cohorts.Cohort", models.CASCADE, related_name="field_trips", verbose_name=_("class"))
    locality = models.ForeignKey(
        "org.Unit", models.PROTECT, related_name="field_trips", verbose_name=_("locality visited")
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    topics = models.ManyToManyField(
        "essays.LocalIssue", blank=True, related_name="field_trips", verbose_name=_("topics")
    )
    report = models.FileField(_("report file"), upload_to=field_trip_report_path, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = CohortRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("field trip")
        verbose_name_plural = _("field trips")
        ordering = ["cohort", "start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="field_trip_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.code}: {self.locality} {format_date(self.start_date)}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class CalendarFeed(models.Model):
    """The private address of a lecturer's or a student's own timetable as an iCalendar
    feed, for their calendar app. Only the key's digest is stored: the address is shown once,
    when it is made; making a new one ends the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
