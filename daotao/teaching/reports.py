"""Teaching figures: periods taught per lecturer and faculty, by program and by place
(school / locality), and the share of lessons taught with active methods ("3 tăng, 3
giảm"). Every page, export and other report uses these functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from daotao.teaching.models import Place

# The one condition for "taught with active methods" in a query: the lesson's lecture log
# says so (``LectureLog.uses_active_methods``, derived by ``taught_with_active_methods``).
ACTIVE_Q = Q(log__uses_active_methods=True)


def active_methods_share(lessons) -> tuple[int, int]:
    """(lessons taught with active methods, lessons held) of a lesson queryset, in one
    query: the one definition of the share every report uses. The caller decides which
    lessons were held (usually those dated up to today in a range and scope); a held
    lesson without a lecture log counts as not taught with active methods."""
    figures = lessons.order_by().aggregate(held=Count("pk"), active=Count("pk", filter=ACTIVE_Q))
    return figures["active"], figures["held"]


@dataclass
class TeachingLine:
    """One line of the report: a lecturer, a faculty or the total."""

    label: str
    faculty: str = ""
    periods: int = 0
    by_program: dict[str, int] = field(default_factory=dict)
    by_place: dict[str, int] = field(default_factory=dict)
    lessons: int = 0
    active: int = 0

    @property
    def active_share(self) -> float | None:
        return self.active / self.lessons if self.lessons else None

    def add(self, program: str, place: str, periods: int, lessons: int, active: int) -> None:
        self.periods += periods
        self.lessons += lessons
        self.active += active
        self.by_program[program] = self.by_program.get(program, 0) + periods
        self.by_place[place] = self.by_place.get(place, 0) + periods


@dataclass
class TeachingFigures:
    programs: list[str]
    places: list[str]
    lecturers: list[TeachingLine]
    faculties: list[TeachingLine]
    total: TeachingLine


def periods_taught(lessons) -> TeachingFigures:
    """Per lecturer and per faculty: periods by program and by place, lessons held, and
    lessons taught with active methods, for the lessons given (already limited to a date
    range and the user's scope). One query whatever the number of lessons."""
    rows = (
        lessons.order_by()
        .values(
            "lecturer_id",
            "lecturer__full_name",
            "lecturer__sort_key",
            "lecturer__faculty_id",
            "lecturer__faculty__name",
            "lecturer__faculty__sort_key",
            "cohort__program__code",
            "place",
        )
        .annotate(periods=Sum("periods"), lessons=Count("pk"), active=Count("pk", filter=ACTIVE_Q))
    )
    lecturers: dict[int, TeachingLine] = {}
    faculties: dict[int, TeachingLine] = {}
    lecturer_order: dict[int, tuple] = {}
    faculty_order: dict[int, str] = {}
    total = TeachingLine(label="")
    programs: set[str] = set()
    for row in rows:
        program, place, faculty_id = row["cohort__program__code"], row["place"], row["lecturer__faculty_id"]
        programs.add(program)
        lecturer_order[row["lecturer_id"]] = (row["lecturer__sort_key"], row["lecturer_id"])
        faculty_order[faculty_id] = row["lecturer__faculty__sort_key"]
        lecturer = lecturers.setdefault(
            row["lecturer_id"], TeachingLine(row["lecturer__full_name"], row["lecturer__faculty__name"])
        )
        faculty = faculties.setdefault(faculty_id, TeachingLine(row["lecturer__faculty__name"]))
        for line in (lecturer, faculty, total):
            line.add(program, place, row["periods"], row["lessons"], row["active"])
    return TeachingFigures(
        programs=sorted(programs),
        places=list(Place.values),
        lecturers=[lecturers[pk] for pk in sorted(lecturers, key=lecturer_order.__getitem__)],
        faculties=[faculties[pk] for pk in sorted(faculties, key=lambda pk: (faculty_order[pk], pk))],
        total=total,
    )
