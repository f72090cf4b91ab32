"""The Academy's demo, as two installations (``make run-academy``):

1. a school: the demo province in its own database (``var/academy-demo/school.sqlite3``), its
   figures key made once, and its figures package for every calendar year from 2016 to 2026
   written with ``export_figures``;
2. the Academy (``DAOTAO_ROLE=academy``, the database of ``ACADEMY_DATABASE_URL``, by default
   ``academy.sqlite3``): the school registered with its public key, its packages imported
   with ``import_figures``, and three synthetic schools beside it (``load_academy_demo``).

Run again, it rebuilds the school and imports its packages again (each replaces the last).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from daotao.lib import signing  # noqa: E402 - after the project is on the path

FOLDER = ROOT / "var" / "academy-demo"
YEARS = range(2016, 2027)


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(result.returncode)
    return result.stdout


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    base = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DAOTAO_ROLE"}}
    key = FOLDER / "school.pem"
    school = {**base, "DATABASE_URL": f"sqlite:///{FOLDER / 'school.sqlite3'}", "DAOTAO_FIGURES_KEY_FILE": str(key)}
    academy = {
        **base,
        "DATABASE_URL": os.environ.get("ACADEMY_DATABASE_URL", f"sqlite:///{ROOT / 'academy.sqlite3'}"),
        "DAOTAO_ROLE": "academy",
    }
    print("The school: the demo province, its figures key and its packages")
    manage("migrate", "-v0", env=school)
    manage("load_demo", env=school)
    if not key.exists():
        manage("figures_key", "--output", str(key), env=school)
    public = signing.public_key_text(signing.load_private_key(key))
    files = []
    for year in YEARS:
        path = FOLDER / f"BA-{year}.json"
        manage("export_figures", "--from", f"{year}-01-01", "--to", f"{year}-12-31", "--output", str(path), env=school)
        files.append(str(path))
    print("The Academy: the school registered, its packages imported, three synthetic schools")
    manage("migrate", "-v0", env=academy)
    manage(
        "register_school", "BA", "--name", "Trường Chính trị tỉnh Bình An", "--province", "Bình An",
        "--public-key", public, env=academy,
    )  # fmt: skip
    print(manage("import_figures", *files, env=academy).strip().splitlines()[-1])
    print(manage("load_academy_demo", env=academy).strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
