"""Who sees a person's personal data in full, and the masked form everyone else sees.

Personal data here is what identifies or reaches a cadre: national ID, date of birth, phone
and email (DESIGN.md section 1; Vietnam's personal-data protection rules apply). They are
shown in full only to those who need them:

- superusers and the training office, who keep the records;
- a locality coordinator or a sending agency for the people who came from their unit (the
  person's locality or sending agency is the unit or below it): they nominate them and type
  these data in;
- a student for themself.

Everyone else who may see the person at all sees them masked: the school board (reads
reports), lecturers (need names, not identities), the coordinator of a locality that hosts
a class of students from elsewhere. Masked, a national ID keeps its last four digits, a
date of birth its year, a phone its last three digits, an email its first letter and domain.

The decision is made once per user, from ``scope_of`` and without a query
(``personal_data_access``); ``sees`` applies it to one Student or Application already read,
``q`` is the same rule as a query filter (the search by national ID uses it, so that a
masked viewer cannot confirm a number by searching it). Pages use the ``personal`` template
tag (``daotao.people.templatetags.privacy``), exports and the API ``shown``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q

from daotao.accounts import roles
from daotao.accounts.scope import SYSTEM, scope_of
from daotao.lib.vietnamese import format_date

MASK = "•"
# The fields a page may ask for with ``{% personal person "field" %}``.
FIELDS = ("national_id", "date_of_birth", "phone", "email")


# --- masks -------------------------------------------------------------------------------


def mask_national_id(number: str) -> str:
    """``052085000123`` -> ``••••••••0123``: the last four digits only."""
    number = (number or "").strip()
    if len(number) <= 4:
        return MASK * len(number)
    return MASK * (len(number) - 4) + number[-4:]


def mask_date_of_birth(day: dt.date | None) -> str:
    """``17/05/1985`` -> ``••/••/1985``: the year only."""
    return _year_only(day.year) if day else ""


def _year_only(year: int) -> str:
    return f"{MASK * 2}/{MASK * 2}/{year}"


def mask_phone(phone: str) -> str:
    """``0912 345 678`` -> ``•••••••678``: the last three digits only."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) <= 3:
        return MASK * len(digits)
    return MASK * (len(digits) - 3) + digits[-3:]


def mask_email(email: str) -> str:
    """``an.nguyen@binhan.gov.vn`` -> ``a•••@binhan.gov.vn``."""
    email = (email or "").strip()
    if not email:
        return ""
    local, _at, domain = email.rpartition("@")
    if not local:
        return MASK * 3
    return f"{local[0]}{MASK * 3}@{domain}"


# --- what one viewer sees of one person ---------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """A person's personal data as one viewer may see it: in full, or masked."""

    full: bool
    national_id: str
    # The date itself in full; None when masked (the year stays in ``birth_year``) or unknown.
    date_of_birth: dt.date | None
    birth_year: int | None
    phone: str
    email: str

    @property
    def masked(self) -> bool:
        return not self.full

    @property
    def date_of_birth_text(self) -> str:
        """``17/05/1985`` in full, ``••/••/1985`` masked, empty when unknown."""
        if self.full:
            return format_date(self.date_of_birth)
        return _year_only(self.birth_year) if self.birth_year else ""

    @property
    def date_of_birth_cell(self) -> dt.date | str | None:
        """For a spreadsheet: the date in full (formatted as a date), the masked text otherwise."""
        return self.date_of_birth if self.full else (self.date_of_birth_text or None)

    def text(self, field: str) -> str:
        """The field as a page shows it."""
        if field == "date_of_birth":
            return self.date_of_birth_text
        if field not in FIELDS:
            raise ValueError(f"not a personal-data field: {field}")
        return getattr(self, field)


def _reveal(person, full: bool) -> PersonalData:
    born = getattr(person, "date_of_birth", None)
    national_id = getattr(person, "national_id", "") or ""
    phone = getattr(person, "phone", "") or ""
    email = getattr(person, "email", "") or ""
    if full:
        return PersonalData(True, national_id, born, born.year if born else None, phone, email)
    return PersonalData(
        False, mask_national_id(national_id), None, born.year if born else None, mask_phone(phone), mask_email(email)
    )


# --- the rule ------------------------------------------------------------------------------


class PersonalDataAccess:
    """One user's entitlement to personal data: ``everyone``, the people who came from the
    unit at ``path`` (a coordinator's locality or an agency), or their own ``student_id``."""

    def __init__(
        self,
        *,
        everyone: bool = False,
        path: str | None = None,
        student_id: int | None = None,
        inherited: tuple[str, ...] = (),
    ):
        self.everyone = everyone
        self.path = path
        self.student_id = student_id
        # The unit's own path and those of the units it took over (``Scope.inherited``):
        # a successor's coordinator answers for its predecessors' people too.
        self.paths = (path, *inherited) if path is not None else ()
        self._units: frozenset[int] | None = None

    @property
    def nobody(self) -> bool:
        """Sees no one's personal data (the board, lecturers, roles without a scope)."""
        return not self.everyone and self.path is None and self.student_id is None

    def sees(self, person) -> bool:
        """Whether the user sees this Student's or Application's personal data in full. No
        query when the person's locality and agency were read with it (``select_related``);
        otherwise one per user, whatever the number of people."""
        if self.everyone:
            return True
        if self.student_id is not None and _own_student_id(person) == self.student_id:
            return True
        if self.path is not None:
            return self._came_from(person, "locality") or self._came_from(person, "agency")
        return False

    def q(self, model, prefix: str = "") -> Q:
        """``sees`` as a filter on ``model`` (Student or Application), or on a relation to it
        through ``prefix`` (e.g. ``"student__"``)."""
        if self.everyone:
            return Q()
        condition = Q(**{f"{prefix}pk__in": []})
        for path in self.paths:
            condition |= Q(**{f"{prefix}locality__path__startswith": path})
            condition |= Q(**{f"{prefix}agency__path__startswith": path})
        if self.student_id is not None:
            condition |= Q(**{f"{prefix}{_own_student_field(model)}": self.student_id})
        return condition

    def shown(self, person) -> PersonalData:
        """The person's personal data as this user may see it."""
        return _reveal(person, self.sees(person))

    def _came_from(self, person, relation: str) -> bool:
        field = type(person)._meta.get_field(relation)
        unit_id = getattr(person, field.attname)
        if unit_id is None:
            return False
        if field.is_cached(person):
            return getattr(person, relation).path.startswith(self.paths)
        return unit_id in self._unit_ids(field.related_model)

    def _unit_ids(self, units) -> frozenset[int]:
        """The ids of the units at ``paths`` and of those below them, read once. ``units`` is
        the Unit model, reached through the person's relation (``org`` sits above people)."""
        if self._units is None:
            below = Q(pk__in=[])
            for path in self.paths:
                below |= Q(path__startswith=path)
            self._units = frozenset(units.objects.filter(below).values_list("pk", flat=True))
        return self._units


FULL = PersonalDataAccess(everyone=True)


def _own_student_field(model) -> str:
    from daotao.people.models import Student

    return "pk" if issubclass(model, Student) else "student"


def _own_student_id(person) -> int | None:
    from daotao.people.models import Student

    return person.pk if isinstance(person, Student) else getattr(person, "student_id", None)


def personal_data_access(user) -> PersonalDataAccess:
    """The user's entitlement, computed once per user object from their scope (no query)."""
    if user is SYSTEM:
        return FULL
    cached = getattr(user, "_daotao_personal_data", None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    if scope.everything:
        office = user.is_superuser or roles.TRAINING_OFFICE in user.role_codes
        access = FULL if office else PersonalDataAccess()
    else:
        access = PersonalDataAccess(
            path=scope.own_unit_path,
            student_id=scope.student_id,
            inherited=tuple(path for path, _day in scope.inherited),
        )
    if getattr(user, "is_authenticated", False):
        user._daotao_personal_data = access
    return access


def sees_personal_data(user, person) -> bool:
    """Whether ``user`` sees the national ID, date of birth, phone and email of ``person``
    (a Student or an Application) in full."""
    return personal_data_access(user).sees(person)


def shown(user, person) -> PersonalData:
    """``person``'s personal data as ``user`` may see it: in full or masked."""
    return personal_data_access(user).shown(person)
