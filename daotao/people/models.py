"""Students (học viên), identified by their national ID across years."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import running_since, scope_of
from daotao.lib import national_id
from daotao.lib.vietnamese import fold, name_sort_key, normalize_name, split_name
from daotao.people.search import person_search_q, ranked

NATIONAL_ID_MESSAGES = {
    "format": _("A national ID has exactly 12 digits."),
    "province": _("The first three digits of a national ID must be a province code."),
    "birth_year": _("Digits 4-6 of the national ID do not match the year of birth."),
    "gender": _("Digit 4 of the national ID does not match the gender."),
}


def national_id_problem(number: str, date_of_birth=None, gender=None) -> str | None:
    """The Vietnamese reason a national ID is invalid, or None when it is valid."""
    try:
        national_id.check(number, date_of_birth, gender)
    except national_id.NationalIdError as error:
        return str(NATIONAL_ID_MESSAGES[error.code])
    return None


class NamedPerson(models.Model):
    """A person's name with the derived columns lists and search use.

    ``given_name``, ``sort_key`` (Vietnamese class-list order) and ``search_key`` (folded
    for accent-insensitive search) are computed on save, so both SQLite and PostgreSQL sort
    and search the same way, with indexes.
    """

    full_name = models.CharField(_("full name"), max_length=128)
    given_name = models.CharField(_("given name"), max_length=64, editable=False)
    sort_key = models.CharField(max_length=512, editable=False, db_index=True)
    search_key = models.CharField(max_length=128, editable=False, db_index=True)

    class Meta:
        abstract = True
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def set_name(self, full_name: str) -> None:
        self.full_name = normalize_name(full_name)
        self.given_name = split_name(self.full_name)[1]
        self.sort_key = name_sort_key(self.full_name)
        self.search_key = fold(self.full_name)

    def save(self, *args, **kwargs):
        self.set_name(self.full_name)
        super().save(*args, **kwargs)


class Gender(models.TextChoices):
    MALE = national_id.MALE, _("Male")
    FEMALE = national_id.FEMALE, _("Female")


class PersonQuerySet(models.QuerySet):
    """For models of people with a folded name (``search_key``) and a ``national_id``."""

    def search(self, query: str, user=None) -> PersonQuerySet:
        """The people ``query`` finds (``search.person_search_q``): every word starting a
        word of the folded name, or a national ID prefix, which with ``user`` finds only
        people whose personal data the user sees in full."""
        return self.filter(person_search_q(query, user, model=self.model))

    def ranked(self, query: str) -> PersonQuerySet:
        """The people best first for ``query`` (``search.ranked``): the whole name, then
        the given name typed, then the others, each in Vietnamese name order."""
        return ranked(self, query)


class StudentQuerySet(PersonQuerySet):
    def visible_to(self, user) -> StudentQuerySet:
        """The students a user may see: everything for school staff; for a locality
        coordinator those of their unit and below, or studying in a class held there; for a
        sending agency its own staff; for a lecturer the students of their classes; for a
        student themself. A unit taken over in a reorganisation passes on its students, and
        the students of its classes still running on the day it was (``Scope.unit_q``).

        Classes are reached through the students' enrollments (``cohorts.Enrollment``) and,
        for a lecturer, the classes' teaching assignments: the apps above people."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.student_id is not None:
            return self.filter(pk=scope.student_id)
        if scope.lecturer_id is not None:
            taught = Student.objects.filter(enrollments__cohort__assignments__lecturer_id=scope.lecturer_id)
            return self.filter(pk__in=taught.values("pk"))
        if scope.agency_path is not None:
            return self.filter(scope.unit_q("agency"))
        if scope.unit_path is None:
            return self.none()
        in_local_class = Student.objects.filter(
            scope.unit_q("enrollments__cohort__host_locality", since=running_since("enrollments__cohort__")),
            pk=OuterRef("pk"),
        )
        return self.filter(scope.unit_q("locality") | Exists(in_local_class))


class Student(NamedPerson):
    """A cadre who studies (học viên)."""

    national_id = models.CharField(_("national ID"), max_length=12, unique=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    locality = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("locality"),
        help_text=_("The locality the student comes from and reports back to."),
    )
    agency = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agency_students",
        verbose_name=_("sending agency"),
    )
    user = models.OneToOneField(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
        verbose_name=_("user account"),
        help_text=_("The account with which the student sees their own timetable, grades and essay."),
    )

    objects = StudentQuerySet.as_manager()

    class Meta(NamedPerson.Meta):
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.CheckConstraint(condition=Exact(Length("national_id"), 12), name="student_national_id_12_digits"),
        ]

    def clean(self):
        super().clean()
        problem = national_id_problem(self.national_id or "", self.date_of_birth, self.gender or None)
        if problem:
            raise ValidationError({"national_id": problem})
