"""The first run of a school: its identity and the shipped catalogue (programs, curricula,
grading and evaluation rules, admission presets), as services that ``setup_school``, the
set-up pages and the demo share.

Every step can be run again (it changes only what differs) and undone until the school's
first class exists (``undo``): after that the records refer to each other and are kept.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.admissions import presets as admission_presets
from daotao.admissions.models import DocumentType, PositionCategory
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Cohort
from daotao.grading.models import GradingRules
from daotao.lib.vietnamese import format_int
from daotao.onboarding.importing.people_columns import IMPORTED_ROLES
from daotao.org.models import Lecturer, Unit
from daotao.programs import curricula
from daotao.programs.models import Program
from daotao.school import identity
from daotao.school.logo import check_logo
from daotao.school.models import THE_SCHOOL, DocumentKind, DocumentSigner, DocumentStyle, School
from daotao.surveys.models import EvaluationRules, Questionnaire
from daotao.surveys.presets import PRESETS, install_presets

IDENTITY_FIELDS = [
    "name", "parent", "province", "place", "address", "phone", "email", "website", "document_style", "document_code",
]  # fmt: skip
REQUIRED = ("name", "parent", "province")
SIGNER_FIELDS = ["title", "deputy_title", "name"]
UNDO_STEPS = ("identity", "catalogue", "people", "units")
# The identity goes into email subjects and document headers: one line each.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class SetupFile:
    """What a set-up file (TOML) gives: the identity's fields, the signers by document kind
    and the logo's bytes."""

    values: dict[str, str]
    signers: dict[str, dict[str, str]] = field(default_factory=dict)
    logo: bytes | None = None


def read_setup_file(path) -> SetupFile:
    """Read a set-up file (docs/onboarding.md; ``docs/school.example.toml``); ValidationError
    naming what is wrong. The logo's path is relative to the file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValidationError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("%(path)s is not a valid TOML file: %(error)s") % {"path": path, "error": error}
        ) from None
    school = data.get("school", {})
    unknown = sorted(set(school) - set(IDENTITY_FIELDS) - {"logo"})
    if unknown:
        raise ValidationError(_("Unknown fields in [school]: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = {key: str(value) for key, value in school.items() if key in IDENTITY_FIELDS}
    signers = data.get("signers", {})
    if not isinstance(signers, dict) or any(not isinstance(v, dict) for v in signers.values()):
        raise ValidationError(_("[signers] must hold one table per kind of document, e.g. [signers.default]."))
    logo = None
    if school.get("logo"):
        logo_path = path.parent / str(school["logo"])
        try:
            logo = logo_path.read_bytes()
        except OSError as error:
            raise ValidationError(
                _("Cannot read the logo %(path)s: %(error)s") % {"path": logo_path, "error": error.strerror}
            ) from None
    return SetupFile(values, {kind: {k: str(v) for k, v in spec.items()} for kind, spec in signers.items()}, logo)


@transaction.atomic
def identity_save(
    *,
    user,
    values: dict[str, str],
    signers: dict[str, dict[str, str]] | None = None,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> School:
    """Create or change the school's identity; the signers given replace those of the same
    kind (a signer with an empty name is removed; the default one is required once set). The
    change is audited. ValidationError (by field) when something is wrong; nothing is saved."""
    school = School.objects.select_for_update().filter(pk=THE_SCHOOL).first() or School(pk=THE_SCHOOL)
    before = snapshot(school, [*IDENTITY_FIELDS, "logo_digest"]) if not school._state.adding else {}
    for key in IDENTITY_FIELDS:
        if key in values:
            setattr(school, key, (values[key] or "").strip())
    broken = {
        key: _("One line, without control characters.")
        for key in IDENTITY_FIELDS
        if _CONTROL.search(getattr(school, key) or "")
    }
    if broken:
        raise ValidationError(broken)
    missing = {key: _("This field is required.") for key in REQUIRED if not getattr(school, key)}
    if missing:
        raise ValidationError(missing)
    if school.document_style not in DocumentStyle.values:
        raise ValidationError({"document_style": _("Choose “party” or “state”.")})
    if logo is not None:
        try:
            school.logo_type = check_logo(logo)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from None
        school.logo, school.logo_digest = logo, identity.digest(logo)
    elif remove_logo:
        school.logo, school.logo_type, school.logo_digest = None, "", ""
    school.full_clean()
    try:
        with transaction.atomic():  # two first saves at once on PostgreSQL: one wins
            school.save()
    except IntegrityError:
        raise ValidationError(
            _("Someone saved the school's identity at the same moment; nothing was saved. Try again.")
        ) from None
    record(user, school, "school.identity", before, snapshot(school, [*IDENTITY_FIELDS, "logo_digest"]))
    if signers:
        _signers_save(user, signers)
    identity.forget()
    return school


def _signers_save(user, signers: dict[str, dict[str, str]]) -> None:
    kinds = DocumentKind.values
    unknown = sorted(set(signers) - set(kinds))
    if unknown:
        raise ValidationError(
            {"signers": _("Unknown kinds of document: %(kinds)s (known: %(known)s).")
             % {"kinds": ", ".join(unknown), "known": ", ".join(kinds)}}
        )  # fmt: skip
    on_record = {s.kind: s for s in DocumentSigner.objects.select_for_update()}
    for kind, spec in signers.items():
        signer = on_record.get(kind)
        name = (spec.get("name") or "").strip()
        if not name:
            if kind == DocumentKind.DEFAULT and (signer or len(signers) > 1):
                raise ValidationError({"signers": _("The signer of every document needs a name.")})
            if signer is not None:
                record(user, signer, "school.signer", snapshot(signer, SIGNER_FIELDS), {})
                signer.delete()
            continue
        signer = signer or DocumentSigner(kind=kind)
        before = snapshot(signer, SIGNER_FIELDS) if signer.pk else {}
        signer.title = (spec.get("title") or identity.DEFAULT_TITLE).strip().upper()
        signer.deputy_title = (spec.get("deputy_title") or "").strip().upper()
        signer.name = name
        signer.full_clean()
        signer.save()
        record(user, signer, "school.signer", before, snapshot(signer, SIGNER_FIELDS))


@dataclass
class CatalogueResult:
    programs: list[str] = field(default_factory=list)
    modules: dict[str, int] = field(default_factory=dict)
    grading_rules: int = 0
    evaluation_rules: bool = False
    questionnaires: int = 0
    admission: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        lines = [
            _("Programs added: %(codes)s.") % {"codes": ", ".join(self.programs) or "—"},
            _("Curricula installed: %(codes)s.")
            % {"codes": ", ".join(f"{code} ({count})" for code, count in sorted(self.modules.items())) or "—"},
            _("Grading rules added for %(count)s programs.") % {"count": format_int(self.grading_rules)},
            _("Questionnaires added: %(count)s.") % {"count": format_int(self.questionnaires)},
        ]
        if self.evaluation_rules:
            lines.append(_("The evaluation rules of Thông tư 10/2017/TT-BNV are in use."))
        return lines


@transaction.atomic
def catalogue_install() -> CatalogueResult:
    """The shipped programs, their curricula and grading rules, the evaluation rules and
    questionnaires, and the admission presets; what the school has already is left as it is."""
    result = CatalogueResult(programs=curricula.install_programs(), modules=curricula.install())
    ruled = set(GradingRules.objects.values_list("program_id", flat=True))
    new_rules = [GradingRules(program=p) for p in Program.objects.filter(code__in=[c for c, *_ in curricula.PROGRAMS])]
    new_rules = [rules for rules in new_rules if rules.program_id not in ruled]
    GradingRules.objects.bulk_create(new_rules)
    result.grading_rules = len(new_rules)
    if not EvaluationRules.objects.filter(active=True).exists():
        rules = EvaluationRules.current()
        rules.active = True
        rules.save()
        result.evaluation_rules = True
    result.questionnaires = len(install_presets())
    result.admission = admission_presets.install()
    return result


def first_class_exists() -> bool:
    return Cohort.objects.exists()


@transaction.atomic
def undo(step: str, *, user) -> list[str]:
    """Remove what a set-up step made, while the school has no class yet. ValidationError
    when a class exists or a record still refers to what would be removed."""
    if step not in UNDO_STEPS:
        raise ValidationError(_("Unknown step “%(step)s”.") % {"step": step})
    if first_class_exists():
        raise ValidationError(
            _("The school has classes: the set-up can no longer be undone. Change records one by one instead.")
        )
    try:
        return _UNDO[step](user)
    except ProtectedError as error:
        kinds = sorted({obj._meta.verbose_name_plural for obj in error.protected_objects})
        raise ValidationError(
            _("Cannot undo: other records still refer to it (%(kinds)s).") % {"kinds": ", ".join(map(str, kinds))}
        ) from None


def _undo_identity(user) -> list[str]:
    school = School.objects.filter(pk=THE_SCHOOL).first()
    if school is not None:
        record(user, school, "school.identity", snapshot(school, IDENTITY_FIELDS), {}, note=_("Set-up undone."))
    DocumentSigner.objects.all().delete()
    School.objects.all().delete()
    identity.forget()
    return [_("The school's identity was removed.")]


def _undo_catalogue(user) -> list[str]:
    codes = [code for code, *_ in curricula.PROGRAMS]
    Program.objects.filter(code__in=codes).delete()  # with their modules, rules and checklists
    DocumentType.objects.filter(code__in=[code for code, _name in admission_presets.DOCUMENTS]).delete()
    PositionCategory.objects.filter(code__in=[code for code, _name in admission_presets.POSITIONS]).delete()
    Questionnaire.objects.filter(title__in=list(PRESETS), versions__rounds__isnull=True).delete()
    return [_("The shipped programs, curricula and presets were removed.")]


def _undo_people(user) -> list[str]:
    """The lecturers and the staff accounts the people workbook makes; never a superuser, a
    student's account or the role groups (they hold the roles' permissions)."""
    lecturers = list(Lecturer.objects.all())
    accounts = list(
        User.objects.filter(is_superuser=False, groups__name__in=IMPORTED_ROLES)
        .exclude(groups__name=roles.STUDENT)
        .distinct()
    )
    for lecturer in lecturers:
        record(user, lecturer, "people.undo", {"full_name": lecturer.full_name}, {}, note=_("Set-up undone."))
    for account in accounts:
        record(user, account, "people.undo", {"username": account.username}, {}, note=_("Set-up undone."))
    Lecturer.objects.filter(pk__in=[lecturer.pk for lecturer in lecturers]).delete()
    User.objects.filter(pk__in=[account.pk for account in accounts]).delete()
    return [
        _("Lecturers removed: %(lecturers)s; user accounts removed: %(accounts)s.")
        % {"lecturers": format_int(len(lecturers)), "accounts": format_int(len(accounts))}
    ]


def _undo_units(user) -> list[str]:
    User.objects.filter(unit__isnull=False).update(unit=None)
    # Children before parents: PROTECT refuses a parent with children.
    units = list(Unit.objects.order_by("-path"))
    for unit in sorted(units, key=lambda u: -u.path.count("/")):
        record(user, unit, "unit.undo", {"code": unit.code, "name": unit.name}, {}, note=_("Set-up undone."))
        unit.delete()
    return [_("Units removed: %(count)s.") % {"count": format_int(len(units))}]


_UNDO = {"identity": _undo_identity, "catalogue": _undo_catalogue, "people": _undo_people, "units": _undo_units}
