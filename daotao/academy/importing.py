"""Importing a school's figures package at the Academy (``manage.py import_figures``).

``package_import(source)`` reads and checks the file (``package.py``: its size, JSON, format
and every field's type), finds the school by the key that signed it (a registered school's
key id), checks the signature against that school's public key, recomputes the totals, then
writes the package and its rows in one transaction. A package for a period the school has
already sent replaces the earlier one and its rows: the school's row is locked first
(``select_for_update``), so that two imports of the same school at once run one after the
other and the second replaces the first, never a second copy beside it (the unique
constraint on school and period would refuse one anyway).

A refused file raises ``ImportRejected`` (its problems in Vietnamese, naming the field) and
writes nothing. ``figures_import`` runs it inside the audit of imports
(``audit/imports.py``): every file sent, imported or refused, is recorded and kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.academy import package as reading
from daotao.academy.models import (
    CareerCount,
    EvaluationYear,
    FigureLine,
    FiguresPackage,
    GraduationBand,
    ProgramGraduates,
    QuotaLine,
    RegisteredSchool,
    calendar_year,
)
from daotao.academy.totals import check_totals
from daotao.audit.imports import ImportChannel, ImportKind, imported
from daotao.lib import signing
from daotao.lib.batches import BATCH
from daotao.lib.vietnamese import format_date, format_int
from daotao.web.import_results import ImportRejected


@dataclass
class PackageImport:
    """What an import did: the school and period, and whether it replaced an earlier
    package (``updated``) or added one (``created``); with ``dry_run`` nothing was written."""

    school: RegisteredSchool
    period_from: object
    period_to: object
    dry_run: bool
    created: int = 0
    updated: int = 0
    lines: int = 0
    quota_lines: int = 0

    def message(self) -> str:
        values = {
            "code": self.school.code,
            "name": self.school.name,
            "from": format_date(self.period_from),
            "to": format_date(self.period_to),
            "lines": format_int(self.lines),
        }
        if self.dry_run:
            return (
                _("%(code)s (%(name)s), %(from)s–%(to)s: the package is valid (%(lines)s lines); nothing was written.")
                % values
            )
        if self.updated:
            return (
                _("%(code)s (%(name)s), %(from)s–%(to)s: imported (%(lines)s lines), replacing the earlier package.")
                % values
            )
        return _("%(code)s (%(name)s), %(from)s–%(to)s: imported (%(lines)s lines).") % values


def _school_of(package: reading.Package) -> RegisteredSchool:
    """The registered school whose key signed ``package``, the signature checked."""
    signature = package.signature
    if signature.get("algorithm") != signing.ALGORITHM:
        raise reading.rejected(
            _("signature.algorithm: %(found)s, but packages are signed with %(algorithm)s.")
            % {"found": signature.get("algorithm"), "algorithm": signing.ALGORITHM}
        )
    if signature["key_id"] != package.key_id:
        raise reading.rejected(
            _("signature.key_id: %(signed)s, but the package names the key %(named)s (package.school.key_id).")
            % {"signed": signature["key_id"], "named": package.key_id}
        )
    school = RegisteredSchool.objects.filter(key_id=package.key_id).first()
    if school is None:
        raise reading.rejected(
            _(
                "The package is signed with the key %(key_id)s (%(name)s), which no registered school has: "
                "register the school's public key first (manage.py register_school)."
            )
            % {"key_id": package.key_id, "name": package.school_name}
        )
    try:
        signing.verify(school.public_key, package.signed, signature)
    except (signing.SigningError, RecursionError):
        raise reading.rejected(
            _(
                "The signature does not match the package: the file was changed after %(school)s signed it, "
                "or it was signed with another key."
            )
            % {"school": school.name}
        ) from None
    return school


def package_check(data: bytes) -> tuple[reading.Package, RegisteredSchool]:
    """The package in ``data`` and its school, every check passed (or ImportRejected)."""
    package = reading.read_package(reading.parse_json(data))
    school = _school_of(package)
    check_totals(package)
    return package, school


def package_import(source: Path | bytes, *, user=None, dry_run: bool = False) -> PackageImport:
    """Import the package file at ``source`` (a path or its bytes): see the module."""
    data = reading.read_bytes(source)
    package, school = package_check(data)
    result = PackageImport(school, package.period_from, package.period_to, dry_run, lines=len(package.lines))
    result.quota_lines = len(package.quota)
    same_period = FiguresPackage.objects.filter(
        school=school, period_from=package.period_from, period_to=package.period_to
    )
    if dry_run:
        result.updated = int(same_period.exists())
        result.created = 1 - result.updated
        return result
    with transaction.atomic():
        # Two imports of the school at once: the second waits here for the first to commit.
        RegisteredSchool.objects.select_for_update().filter(pk=school.pk).values_list("pk", flat=True).get()
        deleted = same_period.delete()[1].get(FiguresPackage._meta.label, 0)
        result.updated, result.created = (1, 0) if deleted else (0, 1)
        _write(package, school, data, user)
    return result


def _write(package: reading.Package, school: RegisteredSchool, data: bytes, user) -> FiguresPackage:
    stored = FiguresPackage.objects.create(
        school=school,
        period_from=package.period_from,
        period_to=package.period_to,
        calendar_year=calendar_year(package.period_from, package.period_to),
        created_at=package.created_at,
        imported_at=timezone.now(),
        imported_by=user if getattr(user, "pk", None) else None,
        key_id=package.key_id,
        sha256=hashlib.sha256(data).hexdigest(),
        content=package.document,
    )
    kinds = package.program_kinds
    FigureLine.objects.bulk_create(
        (
            FigureLine(
                package=stored,
                relation=line.relation,
                program=line.program,
                program_kind=kinds[line.program],
                mode=line.mode,
                funding=line.funding,
                locality=line.locality,
                classes=line.classes,
                students=line.students,
            )
            for line in package.lines
        ),
        batch_size=BATCH,
    )
    QuotaLine.objects.bulk_create(
        (
            QuotaLine(
                package=stored,
                year=line.year,
                locality=line.locality,
                locality_name=line.locality_name,
                program=line.program,
                funding=line.funding,
                planned=line.planned,
                achieved=line.achieved,
            )
            for line in package.quota
        ),
        batch_size=BATCH,
    )
    ProgramGraduates.objects.bulk_create(
        ProgramGraduates(package=stored, program=program, graduates=graduates)
        for program, graduates in package.graduates
    )
    GraduationBand.objects.bulk_create(
        (
            GraduationBand(package=stored, program=b.program, band=b.band, label=b.label, count=b.count)
            for b in package.bands
        ),
        batch_size=BATCH,
    )
    EvaluationYear.objects.bulk_create(
        EvaluationYear(package=stored, year=e.year, classes=e.classes, evaluated=e.evaluated, counts=e.counts)
        for e in package.evaluation
    )
    CareerCount.objects.bulk_create(
        CareerCount(package=stored, kind=c.kind, label=c.label, count=c.count) for c in package.careers
    )
    return stored


def figures_import(
    path: Path, *, user=None, dry_run: bool = False, channel: str = ImportChannel.COMMAND
) -> PackageImport:
    """``package_import`` of the file at ``path``, recorded in the audit of imports (a
    refused file too, with its problems counted)."""
    with imported(
        ImportKind.FIGURES, user, path, dry_run=dry_run, channel=channel, suffix=".json",
        limit="DAOTAO_MAX_FIGURES_BYTES",
    ) as audit:  # fmt: skip
        return audit.done(package_import(path, user=user, dry_run=dry_run))


__all__ = ["ImportRejected", "PackageImport", "figures_import", "package_check", "package_import"]
