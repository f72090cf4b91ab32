"""Writes the demo world into the database, idempotently: records are found by their
natural keys (unit and program codes, class codes, national IDs) and brought back to the
demo values; nothing is duplicated however often it runs."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM
from daotao.cohorts.models import Cohort, Enrollment
from daotao.demo import admissions as demo_admissions
from daotao.demo import data
from daotao.demo import portal as demo_portal
from daotao.demo import surveys as demo_surveys
from daotao.demo import teaching as demo_teaching
from daotao.demo import teaching_data as td
from daotao.lib.batches import BATCH
from daotao.onboarding import setup
from daotao.onboarding.importing.people import AccountRow, LecturerRow, people_apply
from daotao.onboarding.importing.units import UnitRow, units_apply
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.programs.models import Program
from daotao.reports import builtin
from daotao.reports.models import ReportLine, ReportTemplate

SCHOOL_FILE = Path(__file__).with_name("school.toml")
ADMIN = "admin"


def unit_rows() -> list[UnitRow]:
    """The demo's unit tree as the units workbook gives it: the province, the school with its
    faculties and offices, each district (until 30/06/2025) with its commune successor and
    both political centres, the agencies."""
    rows = [UnitRow(*data.PROVINCE, UnitKind.PROVINCE), UnitRow(*data.SCHOOL, UnitKind.SCHOOL, data.PROVINCE[0])]
    school = data.SCHOOL[0]
    rows += [UnitRow(code, name, UnitKind.FACULTY, school) for code, name in data.FACULTIES]
    rows += [UnitRow(code, name, UnitKind.OFFICE, school) for code, name in data.OFFICES]
    province = data.PROVINCE[0]
    for code, name, commune_code, commune_name in data.DISTRICTS:
        start, end = data.COMMUNES_START, data.DISTRICTS_END
        rows += [
            UnitRow(commune_code, commune_name, UnitKind.COMMUNE, province, valid_from=start),
            UnitRow(f"TTCT-{commune_code}", _centre(commune_name), UnitKind.POLITICAL_CENTRE, commune_code,
                    valid_from=start),
            UnitRow(code, name, UnitKind.DISTRICT, province, valid_to=end, successor=commune_code),
            UnitRow(f"TTCT-{code}", _centre(name), UnitKind.POLITICAL_CENTRE, code, valid_to=end,
                    successor=f"TTCT-{commune_code}"),
        ]  # fmt: skip
    rows += [UnitRow(code, name, UnitKind.AGENCY, province) for code, name in data.AGENCIES]
    return rows


def _centre(locality: str) -> str:
    return "Trung tâm Chính trị " + locality[0].lower() + locality[1:]


def load_units() -> dict[str, Unit]:
    """The unit tree, through the units workbook's service."""
    units_apply(unit_rows(), user=SYSTEM)
    return {unit.code: unit for unit in Unit.objects.all()}


def load_school() -> dict[str, Program]:
    """The school's identity and the shipped catalogue, as ``setup_school`` sets them."""
    given = setup.read_setup_file(SCHOOL_FILE)
    setup.identity_save(user=SYSTEM, values=given.values, signers=given.signers, logo=given.logo)
    setup.catalogue_install()
    return {program.code: program for program in Program.objects.filter(code__in=[p[0] for p in data.PROGRAMS])}


def load_students(world: data.DemoWorld, units: dict[str, Unit]) -> dict[str, int]:
    """Create the missing students in bulk; returns national ID -> primary key."""
    ids = dict(Student.objects.filter(national_id__in=world.people).values_list("national_id", "pk"))
    new = []
    for number, person in world.people.items():
        if number in ids:
            continue
        student = Student(
            national_id=number,
            date_of_birth=person.date_of_birth,
            gender=person.gender,
            ethnicity=person.ethnicity,
            phone=person.phone,
            position=person.position,
            locality=units.get(person.locality) if person.locality else None,
            agency=units.get(person.agency) if person.agency else None,
        )
        student.set_name(person.full_name)  # bulk_create does not call save()
        new.append(student)
    Student.objects.bulk_create(new, batch_size=BATCH)
    ids.update(Student.objects.filter(national_id__in=[s.national_id for s in new]).values_list("national_id", "pk"))
    return ids


def load_cohorts(world, units, programs, student_ids) -> None:
    lecturers = list(Lecturer.objects.order_by("sort_key"))
    cohorts = {}
    for index, spec in enumerate(world.cohorts):
        cohorts[spec.code], _ = Cohort.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "program": programs[spec.program],
                "mode": spec.mode,
                "funding": spec.funding,
                "host_locality": units[spec.host],
                "venue": "Trường Chính trị tỉnh Bình An"
                if spec.host == "SCH"
                else f"Trung tâm Chính trị {units[spec.host].name[0].lower()}{units[spec.host].name[1:]}",
                "opening_date": spec.opening,
                "closing_date": spec.closing,
                "status": spec.status,
                "plan_year": spec.plan_year,
                "homeroom_lecturer": lecturers[index % len(lecturers)] if lecturers else None,
            },
        )
    wanted = {
        (student_ids[number], cohorts[spec.code].pk): status
        for spec in world.cohorts
        for number, status in spec.enrollments
    }
    existing = {
        (e.student_id, e.cohort_id): e
        for e in Enrollment.objects.filter(cohort__in=cohorts.values()).only("id", "student_id", "cohort_id", "status")
    }
    changed = []
    for key, enrollment in existing.items():
        status = wanted.get(key)
        if status is not None and enrollment.status != status:
            enrollment.status = status
            changed.append(enrollment)
    Enrollment.objects.bulk_update(changed, ["status"], batch_size=BATCH)
    Enrollment.objects.bulk_create(
        [
            Enrollment(student_id=student, cohort_id=cohort, status=status)
            for (student, cohort), status in wanted.items()
            if (student, cohort) not in existing
        ],
        batch_size=1000,
    )


def load_plans(units, programs) -> None:
    for year, rows in data.QUOTAS.items():
        number, day = data.PLAN_DECISIONS[year]
        plan, _ = AnnualPlan.objects.update_or_create(
            year=year,
            defaults={
                "title": f"Kế hoạch đào tạo, bồi dưỡng cán bộ năm {year}",
                "status": PlanStatus.APPROVED,
                "decision_number": number,
                "decision_date": day,
            },
        )
        for locality, funding, classes, students in rows:
            Quota.objects.update_or_create(
                plan=plan,
                program=programs["TC-LLCT-HC"],
                locality=units[locality],
                funding=funding,
                defaults={"classes": classes, "students": students},
            )


def load_people() -> list[tuple[str, str, str]]:
    """The lecturers and the staff's accounts, through the people workbook's service (no
    email: the demo sets its known password instead), and the superuser, which no workbook
    makes. Returns (username, password, role) for the start-up message."""
    lecturer = (td.LECTURER_USERNAME, roles.LECTURER, None, "Hằng", "Nguyễn Thị Thu")
    accounts = [*data.USERS, *demo_admissions.USERS, lecturer]
    people_apply(
        [
            LecturerRow(name, faculty, title, username=td.LECTURER_USERNAME if name == td.LECTURER_NAME else "")
            for name, faculty, title in data.LECTURERS
        ],
        [
            AccountRow(username, f"{last} {first}", f"{username}@binhan.example", (role,), unit or "")
            for username, role, unit, first, last in accounts
        ],
        user=SYSTEM,
        invite=False,
    )
    for user in User.objects.filter(username__in=[a[0] for a in accounts]):
        if not user.has_usable_password():
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    admin = User.objects.filter(username=ADMIN).first() or User(username=ADMIN)
    if admin.pk is None:
        admin.set_password(data.DEMO_PASSWORD)
    admin.first_name, admin.last_name, admin.is_staff, admin.is_superuser = "hệ thống", "Quản trị", True, True
    admin.save()
    return [(ADMIN, data.DEMO_PASSWORD, "superuser")] + [
        (username, data.DEMO_PASSWORD, role) for username, role, *_rest in data.USERS
    ]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    programs = load_school()
    units = load_units()
    logins = load_people()
    world = data.build()
    student_ids = load_students(world, units)
    load_cohorts(world, units, programs, student_ids)
    load_plans(units, programs)
    builtin.install(ReportTemplate, ReportLine)
    demo_portal.load(author=User.objects.get(username=data.EDITOR_USERNAME))
    logins += demo_admissions.load(units, programs)
    logins += demo_teaching.load(units, programs)
    demo_surveys.load()
    return logins
