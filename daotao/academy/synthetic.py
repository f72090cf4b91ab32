"""Synthetic figures packages, signed, for the tests and the benchmark (``bench/rollup.py``).

A package is built from a small description, a list of classes (``Klass``: program, host
locality, mode, funding, students, the relations it has to the period), the way one school's
engine would count them: every line of docs/figures-format.md (each relation and program,
with every combination of mode, funding and locality either set or ``null``) is the sum of
the classes under it (a locality's line: the classes held in it or below it, as the school's
engine counts them), so the lines add up exactly as ``totals.py`` checks (no student moves
between classes here). Quota years and graduation programs are given with their lines and
bands; their sums are computed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import defaultdict
from dataclasses import dataclass

from daotao.academy.format import (
    ACTIVE,
    CARRIED_OVER,
    CARRIED_OVER_RUNNING,
    CLOSED,
    FORMAT,
    FOSTERING,
    OPENED,
    TRAINING,
)
from daotao.lib import signing

# The programs a small test names (the five a school ships with).
PROGRAMS = {
    "TC-LLCT-HC": ("Trung cấp lý luận chính trị - hành chính", TRAINING),
    "BD-CV": ("Bồi dưỡng ngạch chuyên viên", FOSTERING),
    "BD-CVC": ("Bồi dưỡng ngạch chuyên viên chính", FOSTERING),
    "BD-LDP": ("Bồi dưỡng lãnh đạo cấp phòng", FOSTERING),
    "BD-BTX": ("Bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", FOSTERING),
}
# code -> (name, the unit directly above it): a province, the school, three districts, a commune.
LOCALITIES = {
    "BA": ("Tỉnh Bình An", None),
    "SCH": ("Trường Chính trị tỉnh Bình An", "BA"),
    "H01": ("Thành phố Bình An", "BA"),
    "X0101": ("Phường Nam Sơn", "H01"),
    "H02": ("Thị xã Phú Mỹ", "BA"),
    "H03": ("Huyện An Lạc", "BA"),
}


@dataclass(frozen=True)
class Klass:
    """One class as the package counts it."""

    program: str
    locality: str
    students: int
    mode: str = "non_concentrated"
    funding: str = "supported"
    relations: tuple[str, ...] = (OPENED, ACTIVE)


def chain(locality: str, localities: dict) -> list[str]:
    """The locality and every unit above it."""
    units = [locality]
    while localities[units[-1]][1] is not None:
        units.append(localities[units[-1]][1])
    return units


def lines_of(classes: list[Klass], localities: dict | None = None) -> list[dict]:
    """Every line of ``classes``: per relation and program, each combination of mode,
    funding and locality (the host locality or a unit above it) set or ``null``, with the
    classes under it and their students."""
    localities = localities or LOCALITIES
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for klass in classes:
        places = [None, *chain(klass.locality, localities)]
        for relation in klass.relations:
            for mode, funding, place in itertools.product((None, klass.mode), (None, klass.funding), places):
                sums[(relation, klass.program, mode, funding, place)][0] += 1
                sums[(relation, klass.program, mode, funding, place)][1] += klass.students
    return [
        {"relation": relation, "program": program, "mode": mode, "funding": funding, "locality": locality,
         "classes": classes, "students": students}
        for (relation, program, mode, funding, locality), (classes, students) in sorted(
            sums.items(), key=lambda item: tuple("" if part is None else part for part in item[0])
        )
    ]  # fmt: skip


def quota_year(year: int, lines: list[tuple[str, str, str, str, int, int]]) -> dict:
    """A quota year from its lines ``(locality, locality name, program, funding, planned,
    achieved)``, with their sums."""
    return {
        "year": year,
        "planned": sum(line[4] for line in lines),
        "achieved": sum(line[5] for line in lines),
        "lines": [
            {"locality": locality, "locality_name": name, "program": program, "funding": funding,
             "planned": planned, "achieved": achieved}
            for locality, name, program, funding, planned, achieved in lines
        ],
    }  # fmt: skip


def graduation_program(program: str, bands: list[tuple[str, str, int]]) -> dict:
    """A program's graduates from its bands ``(code, label, count)``."""
    return {
        "program": program,
        "graduates": sum(count for _code, _label, count in bands),
        "bands": [{"band": code, "label": label, "count": count} for code, label, count in bands],
    }


def package_body(
    key,
    *,
    name: str,
    province: str,
    start: dt.date,
    end: dt.date,
    classes: list[Klass],
    programs: dict[str, tuple[str, str]] | None = None,
    localities: dict[str, tuple[str, str | None]] | None = None,
    quota: list[dict] = (),
    graduation: list[dict] = (),
    evaluation: list[dict] = (),
    careers: list[dict] = (),
    created_at: str = "2027-01-15T08:00:00Z",
) -> dict:
    """The signed part of a package (``package``)."""
    programs = programs or PROGRAMS
    localities = localities or LOCALITIES
    used_programs = {klass.program for klass in classes}
    used_localities = {unit for klass in classes for unit in chain(klass.locality, localities)}
    return {
        "format": FORMAT,
        "school": {"name": name, "province": province, "key_id": signing.key_id(key)},
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "created_at": created_at,
        "programs": [
            {"code": code, "name": programs[code][0], "kind": programs[code][1], "category": "other"}
            for code in sorted(used_programs)
        ],
        "localities": [
            {"code": code, "name": localities[code][0], "kind": "district", "parent": localities[code][1]}
            for code in sorted(used_localities)
        ],
        "lines": lines_of(classes, localities),
        "quota": list(quota),
        "graduation": list(graduation),
        "evaluation": list(evaluation),
        "careers": list(careers),
    }


def signed(key, body: dict) -> dict:
    """The file: the package and its signature by ``key``."""
    return {"package": body, "signature": signing.sign(key, body)}


def package(key, **description) -> dict:
    """A signed package file (a dict) from ``description`` (``package_body``'s arguments)."""
    return signed(key, package_body(key, **description))


def file_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def year(number: int) -> dict:
    """``start`` and ``end`` of a calendar year."""
    return {"start": dt.date(number, 1, 1), "end": dt.date(number, 12, 31)}


# --- a school of realistic size, at random (the benchmark) --------------------------------------


def realistic_programs(count: int = 15) -> dict[str, tuple[str, str]]:
    """``count`` programs, a fifth of them training."""
    training = max(count // 5, 1)
    return {
        (f"TC-{index:02d}" if index < training else f"BD-{index:02d}"): (
            f"Chương trình {index + 1}",
            TRAINING if index < training else FOSTERING,
        )
        for index in range(count)
    }


def realistic_localities(count: int = 30) -> dict[str, tuple[str, str | None]]:
    """A province and ``count`` localities below it: a third districts, the others communes
    of those districts (classes are held in any of them)."""
    districts = max(count // 3, 1)
    units = {"P": ("Tỉnh", None)}
    for index in range(count):
        parent = "P" if index < districts else f"L{index % districts:02d}"
        units[f"L{index:02d}"] = (f"Địa phương {index + 1}", parent)
    return units


def realistic_year(
    key, rng: random.Random, *, name: str, province: str, year_number: int, programs: dict, localities: dict,
    classes_per_year: int = 180,
) -> dict:  # fmt: skip
    """A calendar year of a school with ``classes_per_year`` classes opened (about as many
    carried over), spread over the programs and localities, with every line, a quota year
    and graduates."""
    codes, places = sorted(programs), sorted(code for code, (_name, parent) in localities.items() if parent)
    classes = []
    for _index in range(classes_per_year * 2):
        opened = rng.random() < 0.5
        relations = (OPENED, ACTIVE) if opened else (CARRIED_OVER, ACTIVE)
        if rng.random() < (0.3 if opened else 0.6):
            relations += (CLOSED,)
        elif not opened:
            relations += (CARRIED_OVER_RUNNING,)
        program = rng.choice(codes)
        mode = "concentrated" if rng.random() < 0.15 else "non_concentrated"
        classes.append(
            Klass(
                program=program,
                locality=rng.choice(places),
                students=rng.randint(25, 110),
                mode=mode,
                funding="supported" if rng.random() < 0.6 else "self_funded",
                relations=relations,
            )
        )
    quota_lines = []
    for locality in places:
        for program in rng.sample(codes, 4):
            for funding in ("supported", "self_funded"):
                planned = rng.randint(20, 120)
                achieved = max(0, planned + rng.randint(-30, 20))
                quota_lines.append((locality, localities[locality][0], program, funding, planned, achieved))
    graduation = [
        graduation_program(
            code,
            [("excellent", "Xuất sắc", rng.randint(0, 20)), ("good", "Giỏi", rng.randint(10, 80)),
             ("fair", "Khá", rng.randint(50, 200)), ("average", "Trung bình", rng.randint(0, 40))],
        )
        for code in codes
        if programs[code][1] == TRAINING
    ]  # fmt: skip
    return package(
        key,
        name=name,
        province=province,
        **year(year_number),
        classes=classes,
        programs=programs,
        localities=localities,
        quota=[quota_year(year_number, quota_lines)],
        graduation=graduation,
        evaluation=[{"year": year_number, "classes": classes_per_year * 2, "evaluated": classes_per_year // 2}],
        careers=[{"kind": "appointment", "label": "Bổ nhiệm", "count": rng.randint(10, 90)}],
        created_at=f"{year_number + 1}-01-20T02:00:00Z",
    )
