"""``manage.py merge_school ARCHIVE --under UNIT_CODE``: merge another DaoTao school's
backup into this database, all or nothing (``daotao.merging.merge``)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int, parse_date
from daotao.merging.merge import OURS, THEIRS, MergeError, Outcome, merge
from daotao.web.backup_archive import MIN_KEY_LENGTH, BackupError, backup_key


def _key(path: str | None) -> bytes | None:
    """The merged school's backup key, from a file (its first line), else this server's."""
    if not path:
        return backup_key()
    try:
        text = Path(path).read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("--key-file: %(file)s cannot be read (%(error)s).") % {"file": path, "error": error}
        ) from None
    key = text[0].strip() if text else ""
    if len(key) < MIN_KEY_LENGTH:
        raise CommandError(
            _("--key-file: the key in %(file)s is too short (at least %(minimum)s characters).")
            % {"file": path, "minimum": MIN_KEY_LENGTH}
        )
    return key.encode()


class Command(BaseCommand):
    help = _(
        "Merge another DaoTao school's backup archive into this database, all or nothing: its units go under the "
        "unit chosen, programs and students are matched, classes keep their codes (prefixed where this school uses "
        "them), credentials keep their numbers in that school's register."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The archive written by the other school's `manage.py backup`."))
        parser.add_argument("--under", required=True, metavar="UNIT_CODE", help=_("The unit its unit tree goes under."))
        parser.add_argument(
            "--code-prefix",
            default="",
            metavar="P",
            help=_("Put in front of the codes of its units, classes and user names that this school already uses."),
        )
        parser.add_argument(
            "--key-file",
            metavar="FILE",
            help=_("A file holding the other school's DAOTAO_BACKUP_KEY, to check the archive's signature."),
        )
        parser.add_argument(
            "--prefer",
            choices=[THEIRS, OURS],
            default="",
            help=_(
                "Where the same student (by national ID) has another name or date of birth there: take the merged "
                "school's value (theirs) or keep this school's (ours). Without it such conflicts are listed and "
                "nothing is merged."
            ),
        )
        parser.add_argument(
            "--joined-on",
            metavar="YYYY-MM-DD",
            help=_(
                "The day its units became part of the unit chosen (by default today), for reports as units were then."
            ),
        )
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help=_("Merge an archive whose signature cannot be checked. Only for an archive whose origin you know."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Say what would be done, change nothing."))

    def handle(
        self, *args, archive, under, code_prefix, key_file, prefer, joined_on, trust_unsigned, dry_run, **options
    ):
        day = None
        if joined_on:
            try:
                day = parse_date(joined_on)
            except ValueError:
                raise CommandError(
                    _("--joined-on: “%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": joined_on}
                ) from None
        try:
            outcome = merge(
                archive,
                under=under,
                key=_key(key_file),
                code_prefix=code_prefix,
                prefer=prefer,
                joined_on=day,
                trust_unsigned=trust_unsigned,
                dry_run=dry_run,
                announce=self.stdout.write,
            )
        except (MergeError, BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        for line in report(outcome):
            self.stdout.write(line)
        if outcome.refused:
            raise CommandError(_("The merge would be refused:") + "\n" + "\n".join(outcome.refused))


def report(outcome: Outcome) -> list[str]:
    """What was (or would be) created, matched, renamed, skipped and settled."""
    lines = [
        (_("Dry run, nothing changed: merging %(school)s would") if outcome.dry_run else _("Merged %(school)s:"))
        % {"school": outcome.school or _("the archive's school")}
    ]

    def counts(title: str, counter) -> None:
        if not counter:
            return
        lines.append(title % {"count": format_int(sum(counter.values()))})
        named = sorted(
            (str(apps.get_model(label)._meta.verbose_name_plural), count) for label, count in counter.items()
        )
        for name, count in named:
            lines.append(f"  {name}: {format_int(count)}")

    counts(_("create %(count)s records") if outcome.dry_run else _("created %(count)s records"), outcome.created)
    counts(
        _("match %(count)s records with this school's")
        if outcome.dry_run
        else _("matched %(count)s records with this school's"),
        outcome.matched,
    )
    counts(
        _("leave out %(count)s records (this school's own kind)")
        if outcome.dry_run
        else _("left out %(count)s records (this school's own kind)"),
        outcome.skipped,
    )
    if outcome.renamed:
        lines.append(_("codes prefixed: %(count)s") % {"count": format_int(len(outcome.renamed))})
        for kind, old, new in outcome.renamed[:30]:
            lines.append(f"  {kind}: {old} → {new}")
        if len(outcome.renamed) > 30:
            lines.append("  …")
    for conflict in outcome.taken:
        lines.append(
            _("taken from the merged school: %(id)s %(field)s “%(ours)s” → “%(theirs)s”")
            % {"id": conflict.national_id, "field": conflict.field, "ours": conflict.ours, "theirs": conflict.theirs}
        )
    kept = [c for c in outcome.conflicts if c not in outcome.taken]
    if kept:
        lines.append(_("kept this school's values for %(count)s differences") % {"count": format_int(len(kept))})
    if not outcome.dry_run:
        lines.append(_("files copied: %(count)s") % {"count": format_int(outcome.files)})
    return lines
