"""Recomputing a figures package's totals (docs/figures-format.md) before it is imported:
the figures must add up as one school's counting engine makes them (docs/counting.md).

- Every class has one mode, one funding and one host locality, so for each relation and
  program a line's classes are the sum of the classes of the lines that split it by one
  more filter (the program's total, all filters ``null``, = the sum of its lines by mode =
  by funding; a line by mode = the sum of its lines by mode and funding, and so on); its
  students are at most that sum (a student who moved between two of those classes counts
  once in the coarser line, once in each finer one).
- A locality's line holds the classes held in it or any unit below it, and the package
  names the units above every host locality (``localities``, with their ``parent``): each
  class is in the line of exactly one unit at the top, so a line with no locality splits
  exactly into the lines of the units at the top; a unit's line has at least the classes of
  the units directly below it (it may have classes held in the unit itself too).
- The classes running in the period are those opened in it and those carried over into it.
- A quota year's planned and achieved figures are the sums of its lines; a program's
  graduates at least the sum of its classification bands (found while reading,
  ``package.py``).
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.academy.format import ACTIVE, ALL, CARRIED_OVER, DIMENSIONS, OPENED
from daotao.academy.package import Line, Package
from daotao.lib.vietnamese import format_int
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

# A filter as a sentence names it (the line itself is named by the format's keys).
DIMENSION_NAMES = {
    "mode": gettext_lazy("mode"),
    "funding": gettext_lazy("funding"),
    "locality": gettext_lazy("locality"),
}


def _null(value: str) -> str:
    return "null" if value == ALL else value


def _cell_name(cell: tuple[str, str, str]) -> str:
    return ", ".join(f"{name} {_null(value)}" for name, value in zip(DIMENSIONS, cell, strict=True))


def check_totals(package: Package) -> None:
    """ImportRejected when the lines do not add up as one engine's counts do, or a quota
    year or a program's graduates differ from the sum of their parts (the module)."""
    problems = ProblemList(package.sums_problems)

    def problem(relation: str, program: str, cell, message: str) -> None:
        where = _("relation %(relation)s, program %(program)s, %(cell)s") % {
            "relation": relation,
            "program": program,
            "cell": _cell_name(cell),
        }
        problems.append(
            ImportProblem(_("package.lines (%(where)s): %(message)s") % {"where": where, "message": message})
        )

    parents = package.locality_parents
    locality = DIMENSIONS.index("locality")
    groups: dict[tuple[str, str], dict[tuple, Line]] = defaultdict(dict)
    for line in package.lines:
        groups[(line.relation, line.program)][line.cell] = line
    total_cell = (ALL, ALL, ALL)
    for (relation, program), lines in groups.items():
        if total_cell not in lines:
            problem(relation, program, total_cell, _("missing: the program's total is needed beside its finer lines."))
        # sums[i][cell with filter i set to ALL] = (classes, students) of the lines split by filter i.
        sums: list[dict[tuple, list[int]]] = [defaultdict(lambda: [0, 0]) for _dimension in DIMENSIONS]
        # below[cell of a unit] = classes of the lines of the units directly below it.
        below: dict[tuple, int] = defaultdict(int)
        for cell, line in lines.items():
            for index, value in enumerate(cell):
                if value == ALL:
                    continue
                if index == locality and parents.get(value) is not None:
                    # A unit below another: in its parent's line, not directly in the total's.
                    below[(*cell[:index], parents[value])] += line.classes
                    continue
                coarser = (*cell[:index], ALL, *cell[index + 1 :])
                sums[index][coarser][0] += line.classes
                sums[index][coarser][1] += line.students
        for cell, classes in below.items():
            line = lines.get(cell)
            if line is None or line.classes < classes:
                problem(
                    relation, program, cell,
                    _("%(classes)s classes, fewer than the %(sum)s of the units directly below it (a unit's line "
                      "holds the classes held in the units below it).")
                    % {"classes": format_int(line.classes if line else 0), "sum": format_int(classes)},
                )  # fmt: skip
        for cell, line in lines.items():
            for index, value in enumerate(cell):
                if value != ALL:
                    continue
                classes, students = sums[index].get(cell, (0, 0))
                dimension = str(DIMENSION_NAMES[DIMENSIONS[index]])
                figures = {"classes": format_int(line.classes), "dimension": dimension, "sum": format_int(classes)}
                if classes != line.classes and index == locality:
                    problem(
                        relation, program, cell,
                        _("%(classes)s classes, but the lines of the localities at the top add up to %(sum)s "
                          "(each class is held under one of them).") % figures,
                    )  # fmt: skip
                elif classes != line.classes:
                    problem(
                        relation, program, cell,
                        _("%(classes)s classes, but its lines by %(dimension)s add up to %(sum)s "
                          "(each class has one %(dimension)s).") % figures,
                    )  # fmt: skip
                elif line.students > students:
                    problem(
                        relation, program, cell,
                        _("%(students)s students, more than the %(sum)s of its lines by %(dimension)s.")
                        % {"students": format_int(line.students), "dimension": dimension, "sum": format_int(students)},
                    )  # fmt: skip
    # Running in the period = opened in it + carried over into it: the same classes, none in both.
    for program in {program for _relation, program in groups}:
        cells = set(groups.get((ACTIVE, program), {})) | set(groups.get((OPENED, program), {}))
        cells |= set(groups.get((CARRIED_OVER, program), {}))
        for cell in cells:
            active, opened, carried = (
                getattr(groups.get((relation, program), {}).get(cell), "classes", 0)
                for relation in (ACTIVE, OPENED, CARRIED_OVER)
            )
            if active != opened + carried:
                problem(
                    ACTIVE, program, cell,
                    _("%(active)s classes, but %(opened)s opened and %(carried)s carried over make %(sum)s.")
                    % {"active": format_int(active), "opened": format_int(opened), "carried": format_int(carried),
                       "sum": format_int(opened + carried)},
                )  # fmt: skip
    if problems:
        raise ImportRejected(problems)
