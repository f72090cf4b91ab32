"""The unit tree (province, school, faculties, localities, agencies) and lecturers."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy as _

from daotao.lib.succession import inherited_paths
from daotao.lib.vietnamese import format_date, normalize_space, text_sort_key
from daotao.people.models import NamedPerson


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    SCHOOL = "school", _("School")
    FACULTY = "faculty", _("Faculty")
    OFFICE = "office", _("Office")
    DISTRICT = "district", _("District-level locality")
    COMMUNE = "commune", _("Commune-level locality")
    POLITICAL_CENTRE = "political_centre", _("Political centre")
    AGENCY = "agency", _("Agency")
    OTHER = "other", _("Other")


LOCALITY_KINDS = (UnitKind.DISTRICT, UnitKind.COMMUNE)


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def valid_during(self, start: dt.date, end: dt.date) -> UnitQuerySet:
        """Units valid on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )

    def localities(self) -> UnitQuerySet:
        return self.filter(kind__in=LOCALITY_KINDS)

    def took_over_q(self) -> models.Exists:
        """Whether the unit or a unit below it took over another, as an annotation."""
        return models.Exists(Succession.objects.filter(successor__path__startswith=models.OuterRef("path")))

    def joined_below_q(self) -> models.Exists:
        """Whether a unit below the unit was placed there later (``joined_on``), as an annotation."""
        return models.Exists(
            Unit.objects.filter(path__startswith=models.OuterRef("path"), joined_on__isnull=False).exclude(
                pk=models.OuterRef("pk")
            )
        )

    def joined_later(self) -> list[tuple[str, dt.date]]:
        """Every unit placed under its parent later, as (path, day), one query."""
        return list(self.filter(joined_on__isnull=False).order_by("path").values_list("path", "joined_on"))

    def scope_of_unit(self, pk: int) -> tuple[Unit, dict[str, dt.date]] | None:
        """The unit ``pk`` and the units it (or a unit below it) took over, for
        ``accounts.scope``: ``{predecessor path: the day from which its records pass}``
        (``lib.succession.inherited_paths``). One query, two when a succession leads into
        the unit's subtree (then every succession row is read, a few hundred at most)."""
        unit = self.filter(pk=pk).annotate(inherits=self.took_over_q()).first()
        if unit is None:
            return None
        return unit, inherited_paths(unit.path, Succession.objects.links()) if unit.inherits else {}


class Unit(models.Model):
    """A node of the one organisation tree (DESIGN.md glossary).

    ``path`` is the chain of primary keys from the root (``/1/4/12/``), kept by ``save``,
    so that "this unit and everything below it" is one indexed prefix filter.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The day the unit was placed under its parent, when it came from another tree (a
    # school merged into this one, ``merging``): before it, the unit and what lies below it
    # were not the parent's, and reports "as units were then" count them so (``reports.engine``).
    joined_on = models.DateField(
        _("placed under its parent on"),
        null=True,
        blank=True,
        help_text=_("Only for a unit brought in from a merged school: before this day it was not part of its parent."),
    )
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successors"),
    )
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Where the school sends this unit's results packs and post-training surveys."),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=512, editable=False, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_not_before_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        self.code = normalize_space(self.code).upper()
        self.name = normalize_space(self.name)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
                ancestor = ancestor.parent

    def save(self, *args, **kwargs):
        self.sort_key = text_sort_key(self.name)
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                # Moved: rewrite the paths of everything below, in one statement.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1, Length("path")))
                )

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Merged into the successor")
    SPLIT = "split", _("Split: the successor took a part")
    RENAMED = "renamed", _("Renamed or re-formed as the successor")


class SuccessionQuerySet(models.QuerySet):
    def links(self) -> list[tuple[str, str, dt.date]]:
        """Every row as (predecessor path, successor path, effective date), one query."""
        return list(self.order_by().values_list("predecessor__path", "successor__path", "effective_date"))


class Succession(models.Model):
    """From ``effective_date`` on, ``successor`` took over ``predecessor`` (or, in a split,
    the part of its territory named in ``territory``). A unit merged into one has one row;
    a unit split into several has one row per successor; several units merged into one have
    one row each. The successor's coordinator sees the predecessor's classes still running
    on that day and its students (``accounts.scope``); reports by today's units count the
    predecessor's history under the successor (``reports.engine``)."""

    predecessor = models.ForeignKey(Unit, models.CASCADE, related_name="successions", verbose_name=_("predecessor"))
    successor = models.ForeignKey(Unit, models.CASCADE, related_name="taken_over", verbose_name=_("successor"))
    effective_date = models.DateField(
        _("effective date"), help_text=_("The first day on which the successor answers for the predecessor.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices, default=SuccessionKind.MERGED)
    territory = models.CharField(
        _("territory taken"),
        max_length=500,
        blank=True,
        help_text=_("In a split: the part of the predecessor's territory this successor took (e.g. its wards)."),
    )

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_one_per_pair"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_its_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    def clean(self):
        from django.core.exceptions import ValidationError

        self.territory = normalize_space(self.territory)
        if not (self.predecessor_id and self.successor_id and self.effective_date):
            return
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("A unit cannot be its own successor.")})
        if Succession.objects.filter(predecessor=self.successor_id, successor=self.predecessor_id).exists():
            message = _("%(name)s is already recorded as a predecessor of this unit.")
            raise ValidationError({"successor": message % {"name": self.successor.name}})
        if self.kind == SuccessionKind.SPLIT and not self.territory:
            raise ValidationError({"territory": _("A split names the part of the territory this successor took.")})
        predecessor, successor, day = self.predecessor, self.successor, self.effective_date
        if predecessor.valid_from and day <= predecessor.valid_from:
            raise ValidationError(
                {"effective_date": _("%(name)s only starts on %(start)s: it cannot be taken over on %(day)s.")
                 % {"name": predecessor.name, "start": format_date(predecessor.valid_from), "day": format_date(day)}}
            )  # fmt: skip
        if not successor.is_valid_on(day):
            raise ValidationError(
                {"effective_date": _("The successor %(name)s does not exist on %(day)s.")
                 % {"name": successor.name, "day": format_date(day)}}
            )  # fmt: skip


def ancestor_paths(path: str) -> list[str]:
    """The paths of a unit (by its ``path``) and of every unit above it, the unit first:
    ``/1/4/12/`` -> ``/1/4/12/``, ``/1/4/``, ``/1/``."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:size]) + "/" for size in range(len(parts), 0, -1)]


def contact_emails(units) -> dict[int, str]:
    """Where to write to each unit: its own address, or the nearest one above it (a commune
    without one reports through its district); "" when none has one. One query for all."""
    chains = {unit.pk: [int(part) for part in unit.path.strip("/").split("/") if part] for unit in units}
    if not chains:
        return {}
    ancestors = {pk for chain in chains.values() for pk in chain}
    emails = dict(Unit.objects.filter(pk__in=ancestors).exclude(email="").values_list("pk", "email"))
    return {pk: next((emails[id_] for id_ in reversed(chain) if id_ in emails), "") for pk, chain in chains.items()}


def contact_email(unit) -> str:
    """``contact_emails`` of one unit."""
    return contact_emails([unit])[unit.pk]


class Lecturer(NamedPerson):
    """Teaching staff, member of a faculty."""

    faculty = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="lecturers",
        limit_choices_to={"kind": UnitKind.FACULTY},
        verbose_name=_("faculty"),
    )
    academic_title = models.CharField(_("academic title or degree"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="lecturer", verbose_name=_("user account")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A visiting lecturer (giảng viên thỉnh giảng) teaches by contract: no yearly norm of
    # standard hours, reported apart in the workload report.
    is_visiting = models.BooleanField(
        _("visiting lecturer"), default=False, help_text=_("Teaches by contract; has no yearly norm of standard hours.")
    )

    class Meta(NamedPerson.Meta):
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
