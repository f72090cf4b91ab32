"""Reading a package's lines as docs/figures-format.md says a question is answered: the
tests' oracle for the school's side. The Academy answers the same way over its stored rows
(``academy/stats.py``, ``lines_q``), the one home of the rule in the product; its tests
compare ``national_stats`` with ``cohort_stats`` (``academy/tests/test_consistency.py``)."""

from __future__ import annotations

from collections.abc import Iterable


def lines_total(
    package: dict,
    relation: str,
    programs: Iterable[str] = (),
    kind: str = "",
    mode: str = "",
    funding: str = "",
    locality: str = "",
    category: str = "",
) -> tuple[int, int]:
    """(classes, students) of a question asked of a package's lines: the lines of
    ``relation`` split by exactly the filters given (``mode``, ``funding``, ``locality``;
    none for those not given), added up over the programs chosen (by code, kind and
    category; every program when none is given). The same as the engine counts for that
    filter (``cohort_stats --units then``): a student never transfers between programs."""
    chosen = {program["code"] for program in package["programs"]}
    if programs:
        chosen &= {programs} if isinstance(programs, str) else set(programs)
    if kind:
        chosen &= {program["code"] for program in package["programs"] if program["kind"] == kind}
    if category:
        chosen &= {program["code"] for program in package["programs"] if program["category"] == category}
    wanted = (mode or None, funding or None, locality or None)
    classes = students = 0
    for line in package["lines"]:
        if line["relation"] == relation and line["program"] in chosen:
            if (line["mode"], line["funding"], line["locality"]) == wanted:
                classes += line["classes"]
                students += line["students"]
    return classes, students
