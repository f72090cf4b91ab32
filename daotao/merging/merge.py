"""Merging another DaoTao school's records into this one (``manage.py merge_school``).

In 2025 the provinces were merged, and so were their Political Schools: the merged school
keeps two histories. ``merge_school`` reads the other school's backup archive (made by its
``manage.py backup``; checked as ``restore`` checks one: bounds, checksums, and its
signature with that school's backup key) and adds its records to this database, all or
nothing:

* its unit tree goes under a unit chosen here (``Unit.joined_on`` records the day, so that
  reports "as units were then" still count each school's classes apart: docs/counting.md);
  successions within it are kept;
* programs, their modules and assessments are matched by code, and so are the other
  catalogues that have a natural key (plans by year, document types, position categories,
  thresholds, workload rules, report templates); what this school lacks is added;
* classes, units, rooms and user names keep their codes, with ``--code-prefix`` in front of
  those this school already uses;
* students are matched by national ID: one person is one student. A different name or date
  of birth is a conflict: every conflict is listed and nothing is written, unless the office
  chooses to take the merged school's value (``prefer="theirs"``) or keep its own
  (``prefer="ours"``); a value taken is recorded in the audit trail;
* credentials, blank forms and receipts keep their numbers in the merged school's register
  (``register``, the name of that school), and the audit trail is kept (each entry pointing
  at the record as it is numbered here);
* the merged school's accounts come without rights: inactive, never administrators, with
  only their roles that exist here (the office activates those who will work here); its
  API tokens, calendar feeds, sign-in records, portal and school identity are this
  school's own and are not brought.

``merge(..., dry_run=True)`` does everything in a transaction that is rolled back, and says
what would be created, matched and refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from daotao.audit.models import record
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date, normalize_name
from daotao.org.models import Unit
from daotao.people.models import Student
from daotao.web.backup import check_record, read_records
from daotao.web.backup_archive import BackupError, open_archive, printable, staging_folder

# What happens to each kind of record. NEW: added, with new keys. A tuple of field names:
# matched by those fields (after their relations are mapped) with a record of this school,
# added when there is none. SKIP: this school's own, not brought.
NEW, SKIP = "new", "skip"
POLICY: dict[str, object] = {
    # Roles are this school's: an account keeps the roles that exist here, and an archive
    # cannot bring a group of its own (with permissions its maker chose).
    "auth.group": SKIP,
    "school.school": SKIP,
    "school.documentsigner": SKIP,
    "accounts.apitoken": SKIP,
    "teaching.calendarfeed": SKIP,
    "teaching.holiday": SKIP,
    "programs.program": ("code",),
    "programs.module": ("program", "code"),
    "programs.assessment": ("module", "kind", "name"),
    "planning.annualplan": ("year",),
    "people.student": ("national_id",),
    "admissions.positioncategory": ("code",),
    "admissions.documenttype": ("code",),
    "admissions.programdocument": ("program", "document_type"),
    "admissions.eligibilityrule": ("program", "kind", "mode"),
    "grading.gradingrules": ("program",),
    "grading.registercounter": SKIP,
    "finance.receiptcounter": SKIP,
    "workload.workloadrules": ("year",),
    "workload.programcoefficient": ("rules", "program"),
    "workload.classsizeband": ("rules", "more_than"),
    "alerts.absencethreshold": ("percent",),
    "surveys.evaluationrules": SKIP,
    "surveys.careerevent": ("student", "kind", "decision_number"),
    "reports.reporttemplate": ("code",),
    "reports.reportline": ("template", "key"),
}
SKIPPED_APPS = {"portal", "axes", "academy", "sessions", "admin", "contenttypes"}
# Records that name a record of any kind by its key (not a relation): merged last.
POINTING = {"audit.auditentry"}
# Parts of a curriculum: in a program both schools teach, each must match one here.
CURRICULUM = {"programs.module": "program", "programs.assessment": "module"}
# Codes kept, with the prefix in front when this school already uses them: (field, length).
PREFIXED = {"org.unit": "code", "cohorts.cohort": "code", "accounts.user": "username"}
# Records numbered in a register: the merged school's keep their numbers in its own.
REGISTERED = {"grading.credential", "grading.blankformbatch", "grading.blankform", "finance.payment"}
# Records a backup names by natural key where it points at them (content types and
# permissions, which each database numbers its own way, are resolved here by theirs):
# the merged school's accounts by user name.
NATURAL_KEYS = {"accounts.user": "username"}
# What a conflict between the same student in both schools may be about.
STUDENT_FIELDS = ("full_name", "date_of_birth")
THEIRS, OURS = "theirs", "ours"


class MergeError(BackupError):
    """The merge is refused; the message says why (in Vietnamese)."""


@dataclass
class Conflict:
    national_id: str
    field: str
    ours: str
    theirs: str


@dataclass
class Outcome:
    """What a merge did (or, dry, would do)."""

    school: str = ""
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, old, new)
    conflicts: list[Conflict] = field(default_factory=list)
    taken: list[Conflict] = field(default_factory=list)  # values taken from the merged school
    files: int = 0
    dry_run: bool = False
    # Why it would be refused (a dry run; a real merge raises ``MergeError``).
    refused: list[str] = field(default_factory=list)


class _DryRun(Exception):
    pass


def policy(label: str):
    if label.split(".")[0] in SKIPPED_APPS:
        return SKIP
    return POLICY.get(label, NEW)


def merge(
    path: str | Path,
    *,
    under: str,
    key: bytes | None,
    code_prefix: str = "",
    prefer: str = "",
    joined_on: dt.date | None = None,
    trust_unsigned: bool = False,
    dry_run: bool = False,
    user=None,
    announce: Callable[[str], object] = print,
) -> Outcome:
    """Merge the school in the archive at ``path`` under the unit coded ``under``."""
    path = Path(path)
    if prefer not in {"", THEIRS, OURS}:
        raise MergeError(_("Choose how to settle conflicts: theirs or ours."))
    parent = Unit.objects.filter(code=(under or "").strip().upper()).first()
    if parent is None:
        raise MergeError(
            _("There is no unit with the code “%(code)s” to put the merged school under.") % {"code": under}
        )
    code_prefix = (code_prefix or "").strip().upper()
    root = Path(settings.MEDIA_ROOT)
    with open_archive(path) as archive:
        problem = archive.authentication_problem(key)
        if problem and not trust_unsigned:
            raise MergeError(
                _(
                    "%(file)s is refused: %(problem)s. Give the merged school's backup key (--key-file), or, only if "
                    "you know where the archive comes from, --trust-unsigned."
                )
                % {"file": path, "problem": problem}
            )
        if problem:
            announce(
                _("%(file)s is not authenticated: %(problem)s. Merging it anyway.") % {"file": path, "problem": problem}
            )
        records = read_records(path, archive.read_data())
        staging = staging_folder(root)
        moved: list[Path] = []
        try:
            extracted = archive.extract_files(staging)
            merger = _Merger(path, records, parent, code_prefix, prefer, joined_on or dt.date.today(), user)
            try:
                with transaction.atomic():
                    outcome = merger.run()
                    problems = [merger.conflicts_message()] if outcome.conflicts and not prefer else []
                    problems += merger.refused[:20]
                    if problems and not dry_run:
                        raise MergeError("\n".join(problems))
                    if dry_run:
                        outcome.refused = problems
                        outcome.dry_run = True
                        raise _DryRun
                    outcome.files = _place_files(merger.files, extracted, root, moved)
            except _DryRun:
                pass
            except (
                DeserializationError,
                FieldDoesNotExist,
                ValidationError,
                DatabaseError,
                LookupError,
                TypeError,
                ValueError,
            ) as error:
                raise MergeError(
                    _("The records of %(file)s cannot be merged: %(error)s")
                    % {"file": path, "error": printable(str(error))[:500]}
                ) from error
        except BaseException:
            for target in moved:
                target.unlink(missing_ok=True)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return outcome


def _place_files(files: dict[str, str], extracted: dict[str, Path], root: Path, moved: list[Path]) -> int:
    """Copy the merged school's files its records name to their new names (under
    ``merged/``), never over an existing file."""
    for old, new in sorted(files.items()):
        source = extracted.get(old)
        if source is None:
            continue  # a record naming a file the archive does not hold (lost before the backup)
        target = root.joinpath(*new.split("/"))
        if target.exists():
            if _sha256(target) == _sha256(source):
                continue
            raise MergeError(_("The uploads folder already holds %(name)s.") % {"name": printable(new)})
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        moved.append(target)
    return len(moved)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Merger:
    def __init__(self, path: Path, records, parent: Unit, prefix: str, prefer: str, joined_on: dt.date, user):
        self.path = path
        self.parent, self.prefix, self.prefer, self.joined_on, self.user = parent, prefix, prefer, joined_on, user
        self.by_label: dict[str, list[dict]] = defaultdict(list)
        for item in records:
            self.by_label[item["model"]].append(item)
        self.ids: dict[str, dict[object, object]] = defaultdict(dict)  # label -> old pk -> new pk
        self.outcome = Outcome()
        self.refused: list[str] = []
        self.files: dict[str, str] = {}  # old file name -> new
        self.natural: dict[str, dict[tuple, object]] = {}
        self.take: dict[str, dict] = {}  # national ID -> the merged school's values taken
        self.roles = {(name,) for name in Group.objects.values_list("name", flat=True)}
        self.matched: dict[str, set] = defaultdict(set)  # label -> keys here of the records matched
        schools = self.by_label.get("school.school", [])
        self.school = str(schools[0]["fields"].get("name", "")) if schools else ""
        self.outcome.school = self.school
        self.register = (self.school or prefix or _("merged school"))[:64]
        self.folder = hashlib.sha256(self.register.encode()).hexdigest()[:8]

    # --- order -----------------------------------------------------------------------

    def order(self) -> list[str]:
        """The labels in the archive, each after those it points at (its own kind aside)."""
        labels = [label for label in self.by_label if policy(label) != SKIP]
        needs = {}
        for label in labels:
            model = apps.get_model(label)
            targets = {f.related_model._meta.label_lower for f in model._meta.concrete_fields if f.is_relation}
            targets |= {f.related_model._meta.label_lower for f in model._meta.many_to_many}
            needs[label] = {t for t in targets if t in self.by_label and t != label and policy(t) != SKIP}
        done: list[str] = []
        while needs:
            ready = sorted(label for label, wanted in needs.items() if wanted <= set(done))
            if not ready:
                raise MergeError(
                    _("The records refer to each other in a circle: %(labels)s.") % {"labels": sorted(needs)}
                )
            for label in ready:
                done.append(label)
                del needs[label]
        # Audit entries name their records by key, of any kind: after every other record.
        return sorted(done, key=lambda label: label in POINTING)

    # --- run -------------------------------------------------------------------------

    def run(self) -> Outcome:
        for label in self.by_label:
            if policy(label) == SKIP:
                self.outcome.skipped[label] += len(self.by_label[label])
        # First what can be told of the whole archive: every conflict, every code in use.
        self._student_conflicts()
        self._codes_in_use()
        if self.refused or (self.outcome.conflicts and not self.prefer):
            return self.outcome
        for label in self.order():
            model = apps.get_model(label)
            items = self._self_ordered(model, self.by_label[label])
            rule = policy(label)
            if isinstance(rule, tuple):
                self._match(model, label, items, rule)
            else:
                self._create(model, label, items)
            if self.refused:
                return self.outcome  # what points at the refused records cannot be placed
        self._audit()
        return self.outcome

    def _self_ordered(self, model, items: list[dict]) -> list[dict]:
        """Records pointing at their own kind (a unit's parent, a credential it replaces)
        after the one they point at."""
        own = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
        if not own:
            return items
        pending = {item["pk"]: item for item in items}
        ordered, placed = [], set()
        while pending:
            ready = [
                pk
                for pk, item in pending.items()
                if all(
                    item["fields"].get(name) in (None, *placed) or item["fields"].get(name) not in pending
                    for name in own
                )
            ]
            if not ready:
                raise MergeError(
                    _("The records of %(model)s refer to each other in a circle.") % {"model": model._meta.verbose_name}
                )
            for pk in ready:
                ordered.append(pending.pop(pk))
                placed.add(pk)
        return ordered

    def _mapped(self, model, item: dict) -> dict:
        """The record's fields with every relation mapped to this database's keys."""
        fields = dict(item["fields"])
        for f in model._meta.concrete_fields:
            if not f.is_relation or f.name not in fields or fields[f.name] is None:
                continue
            target = f.related_model._meta.label_lower
            value = fields[f.name]
            if isinstance(value, list) and target in NATURAL_KEYS:
                # An account named by its user name in the archive: the merged school's.
                value = self._natural(target).get(tuple(value))
            elif isinstance(value, list) or f.related_model is model:
                # A natural key (content types), resolved on loading; or a record of the
                # same kind (a unit's parent), mapped as it is added (``_create``).
                continue
            if policy(target) == SKIP:
                if f.null:
                    fields[f.name] = None
                    continue
                self.refused.append(
                    _("%(model)s %(pk)s points at a record that is not merged (%(target)s).")
                    % {"model": model._meta.verbose_name, "pk": item["pk"], "target": target}
                )
                continue
            new = self.ids[target].get(value)
            if new is None:
                if f.null:
                    fields[f.name] = None
                    continue
                self.refused.append(
                    _("%(model)s %(pk)s points at %(target)s %(value)s, which the archive does not hold.")
                    % {"model": model._meta.verbose_name, "pk": item["pk"], "target": target, "value": value}
                )
                continue
            fields[f.name] = new
        for f in model._meta.many_to_many:
            values = fields.get(f.name)
            target = f.related_model._meta.label_lower
            if values and target == "auth.group":
                fields[f.name] = [name for name in values if isinstance(name, list) and tuple(name) in self.roles]
                continue
            if not values or isinstance(values[0], list) or policy(target) == SKIP:
                continue
            fields[f.name] = [self.ids[target][v] for v in values if v in self.ids[target]]
        return fields

    def _natural(self, label: str) -> dict[tuple, object]:
        """The archive's records of ``label`` by their natural key, as its relations name them."""
        if label not in self.natural:
            name = NATURAL_KEYS[label]
            self.natural[label] = {(item["fields"][name],): item["pk"] for item in self.by_label.get(label, [])}
        return self.natural[label]

    def _instance(self, model, fields: dict, pk=None):
        (obj,) = serializers.deserialize(
            "python", [{"model": model._meta.label_lower, "pk": pk, "fields": fields}], ignorenonexistent=True
        )
        return obj

    def _match(self, model, label: str, items: list[dict], keys: tuple[str, ...]) -> None:
        attnames = [model._meta.get_field(name).attname for name in keys]
        existing = {tuple(row[:-1]): row[-1] for row in model.objects.values_list(*attnames, "pk")}
        missing = []
        for item in items:
            fields = self._mapped(model, item)
            key = tuple(fields.get(name) for name in keys)
            found = existing.get(key)
            if found is None:
                parent = CURRICULUM.get(label)
                if (
                    parent
                    and fields.get(parent)
                    in self.matched[model._meta.get_field(parent).related_model._meta.label_lower]
                ):
                    # A module or assessment of a program both schools teach: added here,
                    # it would change the results of this school's classes.
                    self.refused.append(
                        _(
                            "%(model)s “%(name)s” of the merged school has no counterpart here in the same program: "
                            "make the two curricula the same first."
                        )
                        % {"model": model._meta.verbose_name, "name": fields.get("name") or fields.get("code")}
                    )
                    continue
                missing.append(item)
                continue
            self.ids[label][item["pk"]] = found
            self.matched[label].add(found)
            self.outcome.matched[label] += 1
            if label == "people.student" and self.take:
                self._take_student(found)
        if missing:
            self._create(model, label, missing)

    def _student_conflicts(self) -> None:
        """Every student of the archive whose national ID is one of this school's, with
        another name or date of birth there; with ``prefer="theirs"``, the values to take."""
        theirs = {item["fields"]["national_id"]: item["fields"] for item in self.by_label.get("people.student", [])}
        self.take.clear()
        numbers = sorted(theirs)
        for part in chunks(numbers):
            for student in Student.objects.filter(national_id__in=part).order_by("national_id"):
                fields = theirs[student.national_id]
                for name in STUDENT_FIELDS:
                    ours_value, their_value = getattr(student, name), fields.get(name)
                    if name == "full_name":
                        their_value = normalize_name(their_value or "")
                        shown = (ours_value, their_value)
                    else:
                        try:
                            their_value = dt.date.fromisoformat(their_value) if their_value else None
                        except (TypeError, ValueError):
                            continue  # not a date: the record's own check says so
                        shown = tuple(format_date(v) if v else "" for v in (ours_value, their_value))
                    if ours_value == their_value:
                        continue
                    conflict = Conflict(student.national_id, name, *shown)
                    self.outcome.conflicts.append(conflict)
                    if self.prefer == THEIRS:
                        self.take.setdefault(student.national_id, {})[name] = their_value
                        self.outcome.taken.append(conflict)

    def _take_student(self, pk) -> None:
        """The merged school's name or date of birth taken for a student (audited)."""
        student = Student.objects.get(pk=pk)
        changed = self.take.get(student.national_id)
        if not changed:
            return
        before = {name: str(getattr(student, name) or "") for name in changed}
        for name, value in changed.items():
            setattr(student, name, value)
        student.save()
        after = {name: str(getattr(student, name) or "") for name in changed}
        record(
            self.user,
            student,
            "merge_student",
            before,
            after,
            note=_("Taken from %(school)s") % {"school": self.school},
        )

    def _codes_in_use(self) -> None:
        """Without a prefix, the codes of the archive this school already uses, one line a kind."""
        if self.prefix:
            return
        for label, name in PREFIXED.items():
            model = apps.get_model(label)
            taken = self._taken_codes(model, label)
            used = [item["fields"][name] for item in self.by_label.get(label, []) if item["fields"][name] in taken]
            if used:
                self.refused.append(
                    _("%(model)s: %(count)s codes are used here too (%(codes)s): give --code-prefix.")
                    % {
                        "model": model._meta.verbose_name_plural,
                        "count": len(used),
                        "codes": ", ".join(used[:8]) + (", …" if len(used) > 8 else ""),
                    }
                )

    def conflicts_message(self) -> str:
        lines = [_("The same students (by national ID) differ between the two schools; nothing was merged:")]
        names = {"full_name": _("full name"), "date_of_birth": _("date of birth")}
        for conflict in self.outcome.conflicts[:50]:
            lines.append(
                _("%(id)s, %(field)s: here “%(ours)s”, in the merged school “%(theirs)s”")
                % {
                    "id": conflict.national_id,
                    "field": names[conflict.field],
                    "ours": conflict.ours,
                    "theirs": conflict.theirs,
                }
            )
        if len(self.outcome.conflicts) > 50:
            lines.append(_("… and %(count)s more.") % {"count": len(self.outcome.conflicts) - 50})
        lines.append(
            _(
                "Settle them at the source, or merge with --prefer theirs (take the merged school's values) "
                "or --prefer ours."
            )
        )
        return "\n".join(lines)

    # --- adding records -----------------------------------------------------------------

    def _create(self, model, label: str, items: list[dict]) -> None:
        taken = self._taken_codes(model, label)
        objects, olds, m2m = [], [], []
        for item in items:
            fields = self._mapped(model, item)
            self._adjust(model, label, item, fields, taken)
            obj = self._instance(model, fields)
            check_record(self.path, obj.object)  # as a restore checks each value: lengths, choices
            objects.append(obj.object)
            olds.append(item["pk"])
            m2m.append(obj.m2m_data)
        if self._clashes(model, objects):
            return
        if label == "org.unit":
            # One by one: a unit's path is made of its parent's, with its new key.
            for obj, old in zip(objects, olds, strict=True):
                if obj.parent_id is None:
                    obj.parent_id, obj.joined_on = self.parent.pk, self.joined_on
                else:
                    obj.parent_id = self.ids[label][obj.parent_id]
                obj.path = ""
                obj.save()
                self.ids[label][old] = obj.pk
        else:
            own = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
            if own:
                # Records of their own kind (a credential it replaces): one batch per level.
                for obj, old in zip(objects, olds, strict=True):
                    for f in own:
                        value = getattr(obj, f.attname)
                        if value is not None:
                            setattr(obj, f.attname, self.ids[label][value])
                    obj.save(force_insert=True)
                    self.ids[label][old] = obj.pk
            else:
                auto = [
                    f
                    for f in model._meta.concrete_fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                ]
                kept = [[getattr(obj, f.attname) for f in auto] for obj in objects]
                for start in range(0, len(objects), BATCH):
                    model.objects.bulk_create(objects[start : start + BATCH])
                for obj, old in zip(objects, olds, strict=True):
                    self.ids[label][old] = obj.pk
                if auto:
                    # bulk_create stamps them with now: put back when each was made.
                    for obj, values in zip(objects, kept, strict=True):
                        for f, value in zip(auto, values, strict=True):
                            setattr(obj, f.attname, value)
                    model.objects.bulk_update(objects, [f.name for f in auto], batch_size=BATCH)
        for obj, data in zip(objects, m2m, strict=True):
            for name, values in data.items():
                if values:
                    getattr(obj, name).set(values)
        self.outcome.created[label] += len(objects)

    def _clashes(self, model, objects: list) -> bool:
        """Refuse (and say so) records that would take a value this school's records hold
        where it must be unique (an application for the same plan, program and person, a
        verification code): every unique rule that does not involve a record just added."""
        rules = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
        rules += [tuple(c.fields) for c in model._meta.constraints if getattr(c, "fields", None) and not c.condition]
        rules += [tuple(fields) for fields in model._meta.unique_together]
        found = False
        for names in rules:
            fields = [model._meta.get_field(name) for name in names]
            if any(f.is_relation and not isinstance(policy(f.related_model._meta.label_lower), tuple) for f in fields):
                continue  # a record added by this merge: no record of this school has it
            attnames = [f.attname for f in fields]
            keys = [tuple(getattr(obj, name) for name in attnames) for obj in objects]
            first = sorted({key[0] for key in keys if key[0] is not None}, key=str)
            existing = set()
            for part in chunks(first):
                existing |= set(model.objects.filter(**{f"{attnames[0]}__in": part}).values_list(*attnames))
            seen: set[tuple] = set()
            clashes = []
            for key in keys:
                if None in key:
                    continue
                if key in existing or key in seen:
                    clashes.append(key)
                seen.add(key)
            if clashes:
                found = True
                self.refused.append(
                    _("%(model)s: %(count)s records would repeat what must be unique (%(fields)s), e.g. %(values)s.")
                    % {
                        "model": model._meta.verbose_name,
                        "count": len(clashes),
                        "fields": ", ".join(str(f.verbose_name) for f in fields),
                        "values": "; ".join(" / ".join(str(v) for v in key) for key in clashes[:3]),
                    }
                )
        return found

    def _taken_codes(self, model, label: str) -> set[str]:
        name = PREFIXED.get(label)
        if name is None:
            return set()
        return set(model.objects.values_list(name, flat=True))

    def _adjust(self, model, label: str, item: dict, fields: dict, taken: set[str]) -> None:
        """What changes in a record as it comes in: codes prefixed, rights taken away,
        numbers put in the merged school's register, files moved, audit entries pointed."""
        name = PREFIXED.get(label)
        if name is not None:
            code = fields[name]
            if code in taken or (label != "accounts.user" and code.upper() in taken):
                new = f"{self.prefix}{code}" if label != "accounts.user" else f"{self.prefix.lower()}{code}"
                limit = model._meta.get_field(name).max_length
                if not self.prefix:
                    self.refused.append(
                        _("%(model)s “%(code)s” is used here too: give --code-prefix.")
                        % {"model": model._meta.verbose_name, "code": code}
                    )
                elif new in taken or len(new) > limit:
                    self.refused.append(
                        _("%(model)s “%(code)s” is used here and “%(new)s” cannot be used instead.")
                        % {"model": model._meta.verbose_name, "code": code, "new": new}
                    )
                else:
                    self.outcome.renamed.append((str(model._meta.verbose_name), code, new))
                    fields[name] = new
                    code = new
            taken.add(code)
        if label == "accounts.user":
            fields.update(is_active=False, is_superuser=False, is_staff=False, user_permissions=[])
        if label == "admissions.eligibilityrule":
            fields["is_active"] = False  # a rule this school does not have: kept for its exceptions, not applied
        if label == "cohorts.cohort":
            fields["counted_enrollments"] = 0  # the database counts them as they come in
        if label == "teaching.room" and fields.get("centre") is None:
            if model.objects.filter(centre__isnull=True, name=fields["name"]).exists():
                fields["name"] = f"{self.prefix}{fields['name']}"[:128]
        if label in REGISTERED:
            fields["register"] = self.register
        if label == "audit.auditentry":
            self._point(fields)
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and fields.get(f.name):
                old = fields[f.name]
                parts = str(old).split("/")
                if "\\" in old or not old.isprintable() or any(part in {"", ".", ".."} for part in parts):
                    self.refused.append(
                        _("%(model)s %(pk)s names a file that cannot go into the uploads folder: %(name)s.")
                        % {"model": model._meta.verbose_name, "pk": item["pk"], "name": printable(str(old))}
                    )
                    continue
                new = f"merged/{self.folder}/{old}"
                self.files[old] = new
                fields[f.name] = new

    def _point(self, fields: dict) -> None:
        """An audit entry names its record by key: the key it has here, or, for a record
        the merged school had deleted, a key no record of this school can have."""
        app_label, model_name = fields["content_type"]
        label = f"{app_label}.{model_name}"
        try:
            pk = int(fields["object_id"])
        except (TypeError, ValueError):
            pk = fields["object_id"]
        new = self.ids.get(label, {}).get(pk)
        fields["object_id"] = str(new) if new is not None else f"merged:{fields['object_id']}"[:64]

    def _audit(self) -> None:
        """The merge itself, in the audit trail of the unit the school went under."""
        if not self.outcome.created and not self.outcome.matched:
            return
        record(
            self.user,
            self.parent,
            "merge_school",
            note=_("Merged %(school)s: %(created)s records added, %(matched)s matched.")
            % {
                "school": self.school,
                "created": sum(self.outcome.created.values()),
                "matched": sum(self.outcome.matched.values()),
            },
        )
