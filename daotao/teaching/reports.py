"""Teaching figures: periods taught per lecturer and faculty, by program and place, and the
share of lessons taught with active methods ("3 tăng, 3 giảm")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from daotao.teaching.models import Place


def active_methods_share(lessons) -> tuple[int, int]:
    """(lessons taught with active methods, lessons held) of a lesson queryset: the one
    definition of the share every report uses. A lesson counts as taught with active
    methods when its lecture log says so (``taught_with_active_methods``)."""
    figures = lessons.order_by().aggregate(
        held=Count("pk"), active=Count("pk", filter=Q(log__uses_active_methods=True))
    )
    return figures["active"], figures["held"]


@dataclass
class TeachingLine:
    label: str
    faculty: str = ""
    periods: int = 0
    by_program: dict[str, int] = field(default_factory=dict)
    by_place: dict[str, int] = field(default_factory=dict)
    lessons: int = 0
    active: int = 0

    @property
    def active_share(self):
        return self.active / self.lessons if self.lessons else None


def periods_taught(lessons) -> dict[str, object]:
    """Per lecturer and per faculty: periods by program and by place, lessons, and lessons
    with active methods, for the lessons given (already filtered by date range and scope).
    One query whatever the number of lessons."""
    rows = (
        lessons.order_by()
        .values(
            "lecturer_id",
            "lecturer__full_name",
            "lecturer__sort_key",
            "lecturer__faculty__name",
            "cohort__program__code",
            "place",
        )
        .annotate(
            periods=Sum("periods"), lessons=Count("pk"), active=Count("pk", filter=Q(log__uses_active_methods=True))
        )
    )
    lecturers: dict[int, TeachingLine] = {}
    faculties: dict[str, TeachingLine] = {}
    total = TeachingLine(label="")
    programs: set[str] = set()
    order = {}
    for row in rows:
        program, place = row["cohort__program__code"], row["place"]
        programs.add(program)
        order[row["lecturer_id"]] = row["lecturer__sort_key"]
        lecturer = lecturers.setdefault(
            row["lecturer_id"], TeachingLine(row["lecturer__full_name"], row["lecturer__faculty__name"])
        )
        faculty = faculties.setdefault(row["lecturer__faculty__name"], TeachingLine(row["lecturer__faculty__name"]))
        for line in (lecturer, faculty, total):
            line.periods += row["periods"]
            line.lessons += row["lessons"]
            line.active += row["active"]
            line.by_program[program] = line.by_program.get(program, 0) + row["periods"]
            line.by_place[place] = line.by_place.get(place, 0) + row["periods"]
    return {
        "programs": sorted(programs),
        "places": list(Place.values),
        "lecturers": [lecturers[pk] for pk in sorted(lecturers, key=lambda pk: order[pk])],
        "faculties": [faculties[name] for name in sorted(faculties)],
        "total": total,
    }
