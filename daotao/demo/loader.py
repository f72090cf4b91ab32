"""Writes the demo world into the database, idempotently: records are found by their
natural keys (unit and program codes, class codes, national IDs) and brought back to the
demo values; nothing is duplicated however often it runs."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort, Enrollment
from daotao.demo import admissions as demo_admissions
from daotao.demo import data
from daotao.demo import portal as demo_portal
from daotao.demo import surveys as demo_surveys
from daotao.demo import teaching as demo_teaching
from daotao.lib.batches import BATCH
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.programs.models import Program
from daotao.reports import builtin
from daotao.reports.models import ReportLine, ReportTemplate


def _unit(code, name, kind, parent=None, valid_from=None, valid_to=None, successor=None) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "parent": parent,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "successor": successor,
        },
    )
    return unit


def load_units() -> dict[str, Unit]:
    province = _unit(*data.PROVINCE, UnitKind.PROVINCE)
    units = {province.code: province}
    school = _unit(*data.SCHOOL, UnitKind.SCHOOL, province)
    units[school.code] = school
    for code, name in data.FACULTIES:
        units[code] = _unit(code, name, UnitKind.FACULTY, school)
    for code, name in data.OFFICES:
        units[code] = _unit(code, name, UnitKind.OFFICE, school)
    for code, name, commune_code, commune_name in data.DISTRICTS:
        commune = _unit(commune_code, commune_name, UnitKind.COMMUNE, province, valid_from=data.COMMUNES_START)
        centre_name = "Trung tâm Chính trị " + commune_name[0].lower() + commune_name[1:]
        commune_centre = _unit(
            f"TTCT-{commune_code}", centre_name, UnitKind.POLITICAL_CENTRE, commune, valid_from=data.COMMUNES_START
        )
        district = _unit(code, name, UnitKind.DISTRICT, province, valid_to=data.DISTRICTS_END, successor=commune)
        district_centre_name = "Trung tâm Chính trị " + name[0].lower() + name[1:]
        units[f"TTCT-{code}"] = _unit(
            f"TTCT-{code}",
            district_centre_name,
            UnitKind.POLITICAL_CENTRE,
            district,
            valid_to=data.DISTRICTS_END,
            successor=commune_centre,
        )
        units.update({code: district, commune_code: commune, commune_centre.code: commune_centre})
    for code, name in data.AGENCIES:
        units[code] = _unit(code, name, UnitKind.AGENCY, province)
    return units


def load_programs() -> dict[str, Program]:
    programs = {}
    for code, name, kind, category, weeks in data.PROGRAMS:
        programs[code], _ = Program.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "category": category, "duration_weeks": weeks}
        )
    return programs


def load_lecturers(units: dict[str, Unit]) -> None:
    existing = {lecturer.full_name: lecturer for lecturer in Lecturer.objects.filter(faculty__code__startswith="K-")}
    for full_name, faculty, title in data.LECTURERS:
        lecturer = existing.get(full_name) or Lecturer(full_name=full_name)
        lecturer.faculty = units[faculty]
        lecturer.academic_title = title
        lecturer.save()


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


def load_users(units) -> list[tuple[str, str, str]]:
    """Demo sign-ins; returns (username, password, role) for the start-up message."""
    logins = []
    for username, role, unit_code, first, last in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(data.DEMO_PASSWORD)
        user.first_name, user.last_name = first, last
        user.unit = units.get(unit_code) if unit_code else None
        user.is_staff = role in (None, "training_office", "editor")  # editors work in the admin
        user.is_superuser = role is None
        user.save()
        if role:
            user.groups.set([Group.objects.get_or_create(name=role)[0]])
        logins.append((username, data.DEMO_PASSWORD, role or "superuser"))
    return logins


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    units = load_units()
    programs = load_programs()
    load_lecturers(units)
    world = data.build()
    student_ids = load_students(world, units)
    load_cohorts(world, units, programs, student_ids)
    load_plans(units, programs)
    builtin.install(ReportTemplate, ReportLine)
    logins = load_users(units)
    demo_portal.load(author=User.objects.get(username=data.EDITOR_USERNAME))
    logins += demo_admissions.load(units, programs)
    logins += demo_teaching.load(units, programs)
    demo_surveys.load()
    return logins
