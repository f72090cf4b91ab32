"""Fail when the Vietnamese catalogue misses a message of the source code.

Runs ``makemessages`` (needs GNU gettext) and checks that every extracted msgid is in the
committed catalogue, translated and not fuzzy; the committed catalogue is restored after.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    committed = polib.pofile(str(PO))
    translated = {(e.msgctxt, e.msgid) for e in committed if e.translated() and "fuzzy" not in e.flags}
    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy(PO, backup)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "--locale", "vi", "--no-obsolete", "--no-location",
             "--ignore", ".venv/*", "--ignore", "bench/*"],
            cwd=ROOT, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "daotao.settings"},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        extracted = polib.pofile(str(PO))
    finally:
        shutil.copy(backup, PO)
    missing = [e for e in extracted if (e.msgctxt, e.msgid) not in translated]
    for entry in missing:
        print(f"untranslated: {entry.msgid!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else ""))
    if missing:
        print(f"{len(missing)} message(s) lack a Vietnamese translation: run `make messages` and translate.")
        return 1
    print(f"All {len(extracted)} messages have a Vietnamese translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
