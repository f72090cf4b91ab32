"""A synthetic province for benchmarks (``manage.py gen_synthetic``).

About sixty districts, the school and its faculties, the five programs, thousands of classes
over several years and a million enrollments, all fictional and generated from a seed.
The shape follows the demo province (``data.py``): non-concentrated Trung cấp classes last
about eighteen months and often span two calendar years, fostering classes a few weeks; a
few classes are cancelled, a few enrollments cancelled, withdrawn or deferred; students
have valid national IDs and some of them study several times.

Reference records (units, programs, lecturers, plans, quotas) go through the ORM. Classes,
students and enrollments are built in memory, with the name columns that
``NamedPerson.set_name`` would compute, and written in bulk in the same transaction
(``bulk.py``: ``executemany`` on SQLite, ``COPY`` on PostgreSQL); students and enrollments
chunk by chunk, so that ten million enrollments take no more memory than a hundred thousand.
Each class's stored count of students is kept by the database's triggers (on SQLite, set
once after the load: ``bulk.class_counts_recounted``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from daotao.demo import bulk, data
from daotao.lib import national_id
from daotao.lib.vietnamese import fold, name_sort_key, normalize_name, split_name
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.programs.models import Program
from daotao.reports import builtin
from daotao.reports.models import ReportLine, ReportTemplate

DISTRICT_COUNT = 60
STUDENTS_PER_ENROLLMENT = 0.7  # about 30% of enrollments are of people who studied before
CANCELLED_COHORTS = 0.02
NULL_CLOSING = 0.1  # of the classes still running at the end: closing date not fixed yet
# Students and enrollments are written in chunks of about this many enrollments (whole
# classes), so that memory stays flat whatever the size (10.000.000 enrollments included).
CHUNK_ENROLLMENTS = 250_000
SERIALS_PER_PREFIX = 1_000_000  # national_id.make keeps six digits of the serial


# Per program: share of classes, share held at a locality (non-concentrated), typical size,
# length in days (concentrated, non-concentrated), share with supported funding.
@dataclass(frozen=True)
class ProgramMix:
    code: str
    short: str
    share: float
    non_concentrated: float
    size: int
    days: tuple[int, int]
    supported: float


MIX = [
    ProgramMix("TC-LLCT-HC", "TC", 0.12, 0.85, 80, (182, 545), 0.55),
    ProgramMix("BD-CV", "CV", 0.32, 0.25, 50, (56, 56), 0.70),
    ProgramMix("BD-CVC", "CVC", 0.18, 0.10, 45, (56, 56), 0.40),
    ProgramMix("BD-LDP", "LDP", 0.13, 0.10, 40, (42, 42), 0.80),
    ProgramMix("BD-BTX", "BTX", 0.25, 0.60, 45, (28, 28), 0.90),
]

_SYLLABLES = ["An", "Bình", "Phú", "Tân", "Long", "Mỹ", "Vĩnh", "Hòa", "Thạch", "Đông", "Tây", "Hưng", "Lộc",
              "Thành", "Sơn", "Hải", "Quảng", "Đức", "Gia", "Kim", "Ninh", "Thuận", "Xuân", "Yên", "Lạc",
              "Phong"]  # fmt: skip
_AGENCIES = ["Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy",
             "Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp", "Sở Xây dựng",
             "Sở Nông nghiệp và Môi trường", "Sở Công Thương"]  # fmt: skip


@dataclass(frozen=True)
class Parameters:
    enrollments: int = 1_000_000
    cohorts: int = 15_000
    years: int = 10
    first_year: int = 2016
    seed: int = 1

    def __post_init__(self):
        if self.cohorts < 1 or self.years < 1 or self.enrollments < self.cohorts:
            raise ValueError("Need at least one class, one year and one enrollment per class.")

    @property
    def last_year(self) -> int:
        return self.first_year + self.years - 1

    @property
    def as_of(self) -> dt.date:
        """The day the records describe: classes opening after it are still planned."""
        return dt.date(self.last_year, 9, 30)


@dataclass
class Totals:
    units: int = 0
    lecturers: int = 0
    cohorts: int = 0
    cancelled_cohorts: int = 0
    students: int = 0
    enrollments: int = 0
    enrollment_statuses: Counter = field(default_factory=Counter)
    plans: int = 0
    quotas: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Place:
    """What the generator needs of the reference records: primary keys and names."""

    prefix: str
    school: tuple[int, str]
    districts: list[tuple[int, str]]
    agencies: list[tuple[int, str]]
    programs: dict[str, tuple[int, str]]
    lecturers: list[int]


# --- reference records (ORM) ----------------------------------------------------------


def _free_prefix() -> str:
    """A unit-code prefix no earlier run used, so that a forced run adds a second province."""
    prefix, number = "SYN", 1
    while Unit.objects.filter(code=prefix).exists():
        number += 1
        prefix = f"SYN{number}"
    return prefix


def _district_names(rnd: random.Random, count: int) -> list[str]:
    pairs = [f"{a} {b}" for a in _SYLLABLES for b in _SYLLABLES if a != b]
    rnd.shuffle(pairs)
    names = []
    for index, pair in enumerate(pairs[:count]):
        kind = "Thành phố" if index == 0 else "Thị xã" if index < 4 else "Huyện"
        names.append(f"{kind} {pair}")
    return names


def _create_place(rnd: random.Random) -> _Place:
    prefix = _free_prefix()
    suffix = "" if prefix == "SYN" else f" {prefix[3:]}"

    def unit(code: str, name: str, kind: str, parent: Unit | None) -> Unit:
        created = Unit(code=code, name=name, kind=kind, parent=parent)
        created.save()  # computes path and sort key
        return created

    province = unit(prefix, f"Tỉnh Mô Phỏng{suffix}", UnitKind.PROVINCE, None)
    school = unit(f"{prefix}-SCH", f"Trường Chính trị tỉnh Mô Phỏng{suffix}", UnitKind.SCHOOL, province)
    faculties = [unit(f"{prefix}-{code}", name, UnitKind.FACULTY, school) for code, name in data.FACULTIES]
    districts = [
        unit(f"{prefix}-H{index:02d}", name, UnitKind.DISTRICT, province)
        for index, name in enumerate(_district_names(rnd, DISTRICT_COUNT), start=1)
    ]
    agencies = [
        unit(f"{prefix}-CQ{index:02d}", name, UnitKind.AGENCY, province)
        for index, name in enumerate(_AGENCIES, start=1)
    ]
    lecturers = []
    for index in range(8 * len(faculties)):
        gender = rnd.choice([national_id.MALE, national_id.FEMALE])
        lecturer = Lecturer(
            full_name=_random_name(rnd, gender), faculty=faculties[index % len(faculties)], academic_title="ThS."
        )
        lecturer.save()
        lecturers.append(lecturer.pk)
    programs = {}
    for code, name, kind, category, weeks in data.PROGRAMS:
        program, _ = Program.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "category": category, "duration_weeks": weeks}
        )
        programs[code] = (program.pk, program.name)
    builtin.install(ReportTemplate, ReportLine)  # the reports the benchmark runs
    return _Place(
        prefix=prefix,
        school=(school.pk, school.name),
        districts=[(d.pk, d.name) for d in districts],
        agencies=[(a.pk, a.name) for a in agencies],
        programs=programs,
        lecturers=lecturers,
    )


def _random_name(rnd: random.Random, gender: str) -> str:
    return f"{rnd.choice(data.FAMILY)} {rnd.choice(data.MIDDLE[gender])} {rnd.choice(data.GIVEN[gender])}"


# --- classes ---------------------------------------------------------------------------


@dataclass
class _Cohort:
    id: int
    code: str
    name: str
    program: str
    mode: str
    funding: str
    host: int
    venue: str
    opening: dt.date
    closing: dt.date | None
    status: str
    plan_year: int | None
    lecturer: int | None
    size: int = 0

    def row(self, program_ids: dict[str, tuple[int, str]]) -> tuple:
        return (
            self.id, self.code, self.name, self.mode, self.funding, self.venue, self.opening,
            self.closing, self.status, self.plan_year, "", self.lecturer, self.host, program_ids[self.program][0],
        )  # fmt: skip


COHORT_COLUMNS = (
    "id", "code", "name", "mode", "funding", "venue", "opening_date", "closing_date", "status", "plan_year",
    "notes", "homeroom_lecturer_id", "host_locality_id", "program_id",
)  # fmt: skip
STUDENT_COLUMNS = (
    "id", "full_name", "given_name", "sort_key", "search_key", "national_id", "date_of_birth", "gender",
    "ethnicity", "phone", "email", "position", "workplace", "locality_id", "agency_id",
)  # fmt: skip
ENROLLMENT_COLUMNS = ("cohort_id", "student_id", "status", "notes")


def _spread(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, largest remainders first, each at least 1."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [max(1, math.floor(x)) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - math.floor(raw[i]), reverse=True)
    missing = total - sum(parts)  # summed once: a sum per step made 150.000 parts quadratic
    for index in range(max(missing, 0)):
        parts[order[index % len(order)]] += 1
    for _ in range(max(-missing, 0)):  # only when many parts were raised to 1
        parts[max(range(len(parts)), key=parts.__getitem__)] -= 1
    return parts


def _build_cohorts(params: Parameters, place: _Place, first_id: int, rnd: random.Random) -> list[_Cohort]:
    years = list(range(params.first_year, params.last_year + 1))
    per_year = _spread(params.cohorts, [1 + 0.03 * i for i in range(len(years))])
    programs = rnd.choices(MIX, weights=[m.share for m in MIX], k=params.cohorts)
    school_id, school_name = place.school
    cohorts = []
    for year, count in zip(years, per_year, strict=True):
        for _ in range(count):
            mix = programs[len(cohorts)]
            opening = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randrange(365))
            local = rnd.random() < mix.non_concentrated
            days = mix.days[1] if local else mix.days[0]
            closing = opening + dt.timedelta(days=round(days * rnd.uniform(0.9, 1.1)))
            if local:
                host, district = rnd.choice(place.districts)
                venue = "Trung tâm Chính trị " + district[0].lower() + district[1:]
            else:
                host, venue = school_id, school_name
            plan_year: int | None = year
            if mix.code == "TC-LLCT-HC" and opening.month <= 2 and rnd.random() < 0.3:
                plan_year = year - 1  # opened early in the year under last year's plan
            elif rnd.random() < 0.03:
                plan_year = None  # a class outside the plan
            if rnd.random() < CANCELLED_COHORTS:
                status = CohortStatus.CANCELLED
            elif opening > params.as_of:
                status = CohortStatus.PLANNED
            elif closing <= params.as_of:
                status = CohortStatus.CLOSED
            else:
                status = CohortStatus.OPEN
            if closing > params.as_of and rnd.random() < NULL_CLOSING:
                closing = None
            size = mix.size * (0.75 if mix.code == "TC-LLCT-HC" and not local else 1) * rnd.uniform(0.8, 1.2)
            cohorts.append(
                _Cohort(
                    id=0,
                    code="",
                    name="",
                    program=mix.code,
                    mode="non_concentrated" if local else "concentrated",
                    funding="supported" if rnd.random() < mix.supported else "self_funded",
                    host=host,
                    venue=venue,
                    opening=opening,
                    closing=closing,
                    status=status,
                    plan_year=plan_year,
                    lecturer=rnd.choice(place.lecturers) if place.lecturers else None,
                    size=size,
                )
            )
    cohorts.sort(key=lambda c: (c.opening, c.program))
    sizes = _spread(params.enrollments, [c.size for c in cohorts])
    shorts = {m.code: m.short for m in MIX}
    serials: Counter = Counter()
    for index, (cohort, size) in enumerate(zip(cohorts, sizes, strict=True)):
        cohort.id = first_id + index
        cohort.size = size
        key = (cohort.program, cohort.opening.year)
        serials[key] += 1
        cohort.code = f"{place.prefix}-{shorts[cohort.program]}-{cohort.opening.year}-{serials[key]:04d}"
        where = "" if cohort.host == school_id else " tại " + cohort.venue.removeprefix("Trung tâm Chính trị ")
        name = place.programs[cohort.program][1]
        cohort.name = f"Lớp {name} khóa {serials[key]:02d}/{cohort.opening.year}{where}"
    return cohorts


# --- students and enrollments ------------------------------------------------------------


class _People:
    """New students with unique valid national IDs and precomputed name columns. Their rows
    wait in ``rows`` until the caller writes them (``take_rows``), so that a large province
    is written in chunks instead of being held in memory whole."""

    def __init__(self, rnd: random.Random, first_id: int, taken: set[str]):
        self.rnd = rnd
        self.first_id = first_id
        self.next_id = first_id
        self.taken = taken  # national IDs already in the database (a second province)
        self.rows: list[tuple] = []
        self.names: dict[str, tuple[str, str, str, str]] = {}
        self.serials: Counter = Counter()
        self.provinces = sorted(national_id.PROVINCE_CODES)

    @property
    def count(self) -> int:
        """How many students were made (their keys run from ``first_id``)."""
        return self.next_id - self.first_id

    def take_rows(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows

    def _name(self, gender: str) -> tuple[str, str, str, str]:
        raw = _random_name(self.rnd, gender)
        keys = self.names.get(raw)
        if keys is None:
            full = normalize_name(raw)  # as NamedPerson.set_name
            keys = self.names[raw] = (full, split_name(full)[1], name_sort_key(full), fold(full))
        return keys

    def _national_id(self, gender: str, born: dt.date) -> str:
        rnd = self.rnd
        province = data.NATIONAL_ID_PROVINCE if rnd.random() < 0.9 else rnd.choice(self.provinces)
        prefix = (province, gender, born.year)
        while True:
            self.serials[prefix] += 1
            if self.serials[prefix] > SERIALS_PER_PREFIX:
                raise ValueError("Too many students born on one year in one province for unique national IDs.")
            # 7919 is prime to 10^6: a serial never repeats within a prefix, so the numbers
            # made here are unique among themselves; only those already stored are looked up.
            number = national_id.make(province, gender, born, self.serials[prefix] * 7919 + 4211)
            if number not in self.taken:
                return number

    def new(self, year: int, locality: tuple[int, str] | None, agency: tuple[int, str] | None) -> int:
        rnd = self.rnd
        gender = national_id.MALE if rnd.random() < 0.55 else national_id.FEMALE
        full, given, sort_key, search_key = self._name(gender)
        born = dt.date(year - rnd.randint(25, 55), rnd.randint(1, 12), rnd.randint(1, 28))
        student_id = self.next_id
        self.next_id += 1
        workplace = agency[1] if agency else ("UBND " + locality[1][0].lower() + locality[1][1:]) if locality else ""
        self.rows.append(
            (
                student_id, full, given, sort_key, search_key, self._national_id(gender, born), born, gender,
                "Kinh" if rnd.random() < 0.92 else "Ê Đê", f"09{rnd.randint(10_000_000, 99_999_999)}", "",
                rnd.choice(data.POSITIONS), workplace, locality[0] if locality else None, agency[0] if agency else None,
            )
        )  # fmt: skip
        return student_id


def _enrollment_statuses(cohort: _Cohort, rnd: random.Random) -> list[str]:
    if cohort.status == CohortStatus.CANCELLED and rnd.random() < 0.5:
        return [EnrollmentStatus.CANCELLED] * cohort.size
    main = EnrollmentStatus.COMPLETED if cohort.status == CohortStatus.CLOSED else EnrollmentStatus.STUDYING
    statuses = []
    for _ in range(cohort.size):
        r = rnd.random()
        if r < 0.008:
            statuses.append(EnrollmentStatus.CANCELLED)
        elif r < 0.018:
            statuses.append(EnrollmentStatus.WITHDRAWN)
        elif r < 0.024:
            statuses.append(EnrollmentStatus.DEFERRED)
        elif r < 0.027:
            statuses.append(EnrollmentStatus.TRANSFERRED)
        else:
            statuses.append(main)
    return statuses


def _enrollments(
    params: Parameters, place: _Place, cohorts: list[_Cohort], people: _People, rnd: random.Random
) -> Iterator[list[tuple]]:
    """Each class's enrollments, class by class; about 30% of them are of students who
    studied before (any student made so far: their keys run from ``people.first_id``)."""
    returning_left = params.enrollments - round(params.enrollments * STUDENTS_PER_ENROLLMENT)
    slots_left = params.enrollments
    districts = {district[0]: district for district in place.districts}
    for cohort in cohorts:
        district = districts.get(cohort.host)  # None for classes at the school
        members: set[int] = set()
        rows = []
        for status in _enrollment_statuses(cohort, rnd):
            student = None
            made = people.count
            if made > 4 * cohort.size and rnd.random() * slots_left < returning_left:
                for _ in range(5):  # the same person only once per class
                    candidate = people.first_id + rnd.randrange(made)
                    if candidate not in members:
                        student = candidate
                        returning_left -= 1
                        break
            if student is None:
                agency = None
                if cohort.program in ("BD-CV", "BD-CVC", "BD-LDP") and rnd.random() < 0.4:
                    agency = rnd.choice(place.agencies)
                student = people.new(
                    cohort.opening.year, None if agency else district or rnd.choice(place.districts), agency
                )
            members.add(student)
            slots_left -= 1
            rows.append((cohort.id, student, status, ""))
        yield rows


def _quotas(cohorts: list[_Cohort], plans: dict[int, int], rnd: random.Random, place: _Place) -> list[Quota]:
    """Quotas of the classes held at localities, as planned before the year: most are met."""
    planned: dict[tuple, list[int]] = {}
    for cohort in cohorts:
        if cohort.mode == "non_concentrated" and cohort.plan_year in plans:
            key = (cohort.plan_year, cohort.host, cohort.program, cohort.funding)
            planned.setdefault(key, []).append(cohort.size)
    quotas = []
    for (year, host, program, funding), sizes in sorted(planned.items()):
        classes = len(sizes) + (1 if rnd.random() < 0.1 else 0)
        students = 5 * round(sum(sizes) * rnd.uniform(0.95, 1.08) / 5)
        quotas.append(
            Quota(
                plan_id=plans[year],
                program_id=place.programs[program][0],
                locality_id=host,
                funding=funding,
                classes=classes,
                students=students,
            )
        )
    return quotas


def generate(params: Parameters, progress: Callable[[str], None] = lambda message: None) -> Totals:
    """Add a synthetic province with ``params`` to the current database.

    Classes are built first (about 100 bytes each); students and enrollments are then made
    class by class and written every ``CHUNK_ENROLLMENTS`` enrollments (one ``COPY`` of
    students and one of enrollments per chunk on PostgreSQL), in the same transaction, so
    the generator's memory does not grow with the number of enrollments. The seed gives
    the same province whatever the chunk size."""
    totals = Totals()
    rnd = random.Random(params.seed)
    started = time.perf_counter()
    for stage in ("build", "classes", "students", "enrollments"):
        totals.seconds[stage] = 0.0

    def lap(stage: str, since: float) -> float:
        now = time.perf_counter()
        totals.seconds[stage] = totals.seconds.get(stage, 0.0) + now - since
        return now

    with bulk.large_sqlite_cache(), transaction.atomic(), bulk.class_counts_recounted():
        mark = time.perf_counter()
        place = _create_place(rnd)
        plans = {}
        for year in range(params.first_year - 1, params.last_year + 1):
            plan, _ = AnnualPlan.objects.get_or_create(
                year=year,
                defaults={"title": f"Kế hoạch đào tạo, bồi dưỡng cán bộ năm {year}", "status": PlanStatus.APPROVED},
            )
            plans[year] = plan.pk
        totals.units = Unit.objects.filter(code__startswith=place.prefix + "-").count() + 1
        totals.lecturers = len(place.lecturers)
        totals.plans = len(plans)
        progress(f"reference records ({place.prefix}): {totals.units} units, {totals.lecturers} lecturers")

        cohorts = _build_cohorts(params, place, bulk.next_id(Cohort), rnd)
        mark = lap("build", mark)
        bulk.BulkTable(Cohort, COHORT_COLUMNS).write(c.row(place.programs) for c in cohorts)
        mark = lap("classes", mark)
        progress(f"wrote {len(cohorts)} classes")

        taken = set(Student.objects.values_list("national_id", flat=True)) if Student.objects.exists() else set()
        people = _People(rnd, bulk.next_id(Student), taken)
        students, enrollments = bulk.BulkTable(Student, STUDENT_COLUMNS), bulk.BulkTable(Enrollment, ENROLLMENT_COLUMNS)
        chunk: list[tuple] = []

        def flush() -> None:
            nonlocal mark, chunk
            mark = lap("build", mark)
            made = people.take_rows()
            students.write(made)
            mark = lap("students", mark)
            enrollments.write(chunk)
            mark = lap("enrollments", mark)
            totals.students += len(made)
            totals.enrollments += len(chunk)
            totals.enrollment_statuses.update(row[2] for row in chunk)
            chunk = []
            progress(f"wrote {totals.students} students, {totals.enrollments} enrollments")

        for rows in _enrollments(params, place, cohorts, people, rnd):
            chunk += rows
            if len(chunk) >= CHUNK_ENROLLMENTS:
                flush()
        if chunk:
            flush()
        quotas = _quotas(cohorts, plans, rnd, place)
        Quota.objects.bulk_create(quotas, batch_size=1000)
        bulk.reset_sequences([Cohort, Student])  # their keys were written explicitly
        mark = lap("quotas", mark)
    # SQLite recounts the classes here (bulk.class_counts_recounted); PostgreSQL checks the
    # deferred foreign keys at the commit.
    mark = lap("commit", mark)
    bulk.refresh_statistics([Cohort, Enrollment, Student, Unit, Quota])
    lap("analyze", mark)
    totals.seconds["total"] = time.perf_counter() - started

    totals.cohorts = len(cohorts)
    totals.cancelled_cohorts = sum(c.status == CohortStatus.CANCELLED for c in cohorts)
    totals.quotas = len(quotas)
    return totals
