"""The demo's teaching year (issue 5): a Trung cấp class taken from timetable to diplomas
(with a retake, a downgrade, an essay flagged as a near-copy of an earlier year's, a
reissued diploma), a fostering class whose certificates were issued (one lost and replaced
by a confirmation), the blank forms they were printed on, and upcoming lessons of the class
opened this year, so that the demo lecturer has a schedule. Everything goes through the
same services as the pages."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment
from daotao.demo import alerts as demo_alerts
from daotao.demo import data
from daotao.demo import exams as demo_exams
from daotao.demo import finance as finance_demo
from daotao.demo import teaching_data as td
from daotao.demo import workload as workload_demo
from daotao.essays import services as essays
from daotao.essays.models import Essay, EssayStatus, LocalIssue, LocalIssueStatus
from daotao.grading import blank_forms, graduation, register
from daotao.grading import services as grading
from daotao.grading.models import BlankFormBatch, BlankFormState, Credential, Discipline, RegisterCounter
from daotao.lib import national_id
from daotao.lib.vietnamese import format_date
from daotao.org.models import Lecturer, Unit
from daotao.people.models import Student
from daotao.programs import curricula
from daotao.programs.models import Module, ModuleKind, Program
from daotao.teaching import services as teaching
from daotao.teaching import timetable
from daotao.teaching.models import ActiveMethod, Holiday, Lesson, Room, Unavailability
from daotao.teaching.timetable import ModulePart

SERIAL_BASE = 800_000
PERIODS_PER_SESSION = 5
SESSIONS = ("morning", "afternoon")
# The rooms: name, the centre's unit (none: at the school), seats.
TC_ROOM, CV_ROOM = "Hội trường Trung tâm Chính trị phường Phú Mỹ", "Phòng học 201"
ROOMS = [
    ("Hội trường A", None, 150),
    (CV_ROOM, None, 60),
    ("Phòng học 202", None, 45),
    ("Phòng thi 301", None, 40),
    (TC_ROOM, td.TC_HOST, 80),
]
# The school's holiday calendar of 2026 (the admin's "holidays"): no lessons on these days.
HOLIDAYS = [
    ("Tết Dương lịch", dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    ("Nghỉ Tết Nguyên đán Bính Ngọ", dt.date(2026, 2, 9), dt.date(2026, 2, 22)),
    ("Giỗ Tổ Hùng Vương (nghỉ bù)", dt.date(2026, 4, 27), dt.date(2026, 4, 27)),
    ("Ngày Giải phóng miền Nam, Quốc tế Lao động", dt.date(2026, 4, 30), dt.date(2026, 5, 1)),
    ("Quốc khánh", dt.date(2026, 9, 1), dt.date(2026, 9, 2)),
]
ACTIVE = [ActiveMethod.PRACTICE, ActiveMethod.DIALOGUE, ActiveMethod.CASE_HANDLING]
REDUCED = [ActiveMethod.LESS_THEORY, ActiveMethod.LESS_MONOLOGUE, ActiveMethod.LESS_DICTATION]

# Students of the finished class with a story (by position in the list of students).
STRONG, EXCELLENT, RETAKER, DISCIPLINED, BARRED = 0, 1, 2, 3, 9
BARRED_MODULE = "I.2"
RETAKE_MODULE = "III.2"


def _user(username: str, role: str, first: str, last: str, unit=None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_password(data.DEMO_PASSWORD)
    user.first_name, user.last_name, user.unit = first, last, unit
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    return user


def _students(count: int, locality: Unit, seed: int, serial: int) -> list[Student]:
    rnd = random.Random(seed)
    students = []
    for index in range(count):
        gender = rnd.choice(["male", "female"])
        born = dt.date(rnd.randint(1976, 1996), rnd.randint(1, 12), rnd.randint(1, 28))
        student = Student(
            national_id=national_id.make(data.NATIONAL_ID_PROVINCE, gender, born, serial + index),
            date_of_birth=born,
            gender=gender,
            ethnicity="Kinh",
            phone=f"09{rnd.randint(10_000_000, 99_999_999)}",
            position=rnd.choice(data.POSITIONS),
            locality=locality,
        )
        student.set_name(
            f"{rnd.choice(data.FAMILY)} {rnd.choice(data.MIDDLE[gender])} {rnd.choice(data.GIVEN[gender])}"
        )
        students.append(student)
    Student.objects.bulk_create(students)
    return list(Student.objects.filter(national_id__in=[s.national_id for s in students]).order_by("national_id"))


def _cohort(code, name, program, mode, host, opening, closing, homeroom, students) -> tuple[Cohort, list[Enrollment]]:
    cohort = Cohort.objects.create(
        code=code,
        name=name,
        program=program,
        mode=mode,
        funding="supported",
        host_locality=host,
        venue=host.name,
        opening_date=opening,
        closing_date=closing,
        status=CohortStatus.OPEN,
        plan_year=opening.year,
        homeroom_lecturer=homeroom,
    )
    Enrollment.objects.bulk_create([Enrollment(cohort=cohort, student=student) for student in students])
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort).select_related("student").order_by("student__national_id")
    )
    return cohort, enrollments


def _holidays() -> None:
    for name, first, last in HOLIDAYS:
        Holiday.objects.get_or_create(name=name, first_day=first, defaults={"last_day": last})


def _unavailable_days(lecturers_by_faculty) -> None:
    """A lecturer of the second faculty away on a mission in the summer of 2027."""
    faculty = sorted(lecturers_by_faculty)[1]
    lecturer = lecturers_by_faculty[faculty][-1]
    Unavailability.objects.get_or_create(
        lecturer=lecturer,
        first_day=dt.date(2027, 7, 5),
        defaults={"last_day": dt.date(2027, 7, 16), "reason": "Đi công tác, bồi dưỡng tại Học viện"},
    )


def _assign(office, cohort, modules, lecturers_by_faculty, faculty_of) -> dict[int, Lecturer]:
    """One lecturer per module, taken in turn from the faculty that teaches its block."""
    taken: dict[str, int] = {}
    chosen = {}
    for module in modules:
        faculty = faculty_of(module)
        pool = lecturers_by_faculty[faculty]
        lecturer = pool[taken.get(faculty, 0) % len(pool)]
        taken[faculty] = taken.get(faculty, 0) + 1
        teaching.assignment_add(user=office, cohort=cohort, module=module, lecturer=lecturer)
        chosen[module.pk] = lecturer
    return chosen


def _rooms(units) -> dict[str, Room]:
    """The school's rooms and the hall of the Trung cấp class's centre."""
    rooms = {}
    for name, centre, capacity in ROOMS:
        rooms[name], _ = Room.objects.get_or_create(
            name=name, centre=units[centre] if centre else None, defaults={"capacity": capacity}
        )
    return rooms


def _timetable(office, cohort, modules, lecturers, start, weekdays, place, room) -> list[Lesson]:
    """The class's timetable built from its curriculum as the office builds it: every
    module's periods in half days of five, one module after another, around the holidays."""
    parts = [ModulePart(m.pk, m.periods, (lecturers[m.pk].pk,)) for m in modules]
    lecturer_ids = {lecturer.pk for lecturer in lecturers.values()}
    layout = timetable.lay_out(
        parts,
        start=start,
        weekdays=weekdays,
        sessions=SESSIONS,
        periods_per_lesson=PERIODS_PER_SESSION,
        bookings=timetable.bookings_for(cohort.pk, lecturer_ids, start, room.pk),
    )
    return timetable.timetable_save(
        user=office, cohort=cohort, layout=layout, place=place, venue=cohort.venue, room=room
    )


def _attendance_and_logs(office, lessons, enrollments, rnd, forced_absences=()) -> None:
    """Attendance with a few exceptions per lesson (never enough to bar anyone but the
    ``forced_absences`` (enrollment, lesson) pairs) and the lecture log of every lesson."""
    missed: dict[tuple[int, int], int] = {}
    forced = set(forced_absences)
    for number, lesson in enumerate(lessons):
        exceptions = {}
        for enrollment_id, lesson_id in forced:
            if lesson_id == lesson.pk:
                exceptions[enrollment_id] = "unexcused"
        if rnd.random() < 0.3:
            absent = rnd.choice(enrollments)
            key = (absent.pk, lesson.module_id)
            if missed.get(key, 0) == 0 and absent.pk not in exceptions:
                missed[key] = 1
                exceptions[absent.pk] = "excused"
        if rnd.random() < 0.3:
            late = rnd.choice(enrollments)
            exceptions.setdefault(late.pk, "late")
        teaching.attendance_record(user=office, lesson=lesson, exceptions=exceptions)
        methods = rnd.sample(ACTIVE, k=rnd.randint(1, 3)) + rnd.sample(REDUCED, k=rnd.randint(1, 3))
        if number % 23 == 7:  # now and then a lecture without active methods
            methods = [ActiveMethod.LESS_DICTATION]
        teaching.lecture_log_record(user=office, lesson=lesson, methods=[str(m) for m in methods])


def _scores(rnd, level: float) -> tuple[Decimal, Decimal]:
    def one() -> Decimal:
        value = max(5.0, min(10.0, rnd.gauss(level, 0.5)))
        return Decimal(str(round(value * 2) / 2))

    return one(), one()


def _grades(office, cohort, modules, enrollments, rnd, exam_takers, exam_marks=None) -> None:
    """Every grade of the class; the exam of ``BARRED_MODULE`` is marked by code
    (``demo/exams.py``), so its marks go to ``exam_marks`` (by enrollment id) instead."""
    levels = [rnd.uniform(7.0, 8.3) for _ in enrollments]
    levels[STRONG], levels[EXCELLENT], levels[RETAKER], levels[DISCIPLINED] = 8.4, 9.6, 9.5, 8.6
    for module in modules:
        assessments = list(module.assessments.order_by("order"))
        for index, enrollment in enumerate(enrollments):
            if module.kind == ModuleKind.GRADUATION and enrollment.pk not in exam_takers:
                continue  # an essay stands in place of the graduation exam
            if module.code == BARRED_MODULE and index == BARRED:
                assessments_now = [a for a in assessments if not a.is_exam]  # barred from the exam
            else:
                assessments_now = assessments
            test, exam = _scores(rnd, levels[index])
            for assessment in assessments_now:
                value = exam if assessment.is_exam else test
                if module.code == RETAKE_MODULE and index == RETAKER and assessment.is_exam:
                    value = Decimal("3.0")
                if module.code == BARRED_MODULE and assessment.is_exam and exam_marks is not None:
                    exam_marks[enrollment.pk] = str(value)
                    continue
                grading.grade_record(user=office, enrollment=enrollment, assessment=assessment, value=str(value))
    retake_exam = next(m for m in modules if m.code == RETAKE_MODULE).assessments.get(is_exam=True)
    grading.grade_record(user=office, enrollment=enrollments[RETAKER], assessment=retake_exam, attempt=2, value="9,0")


def _organisation(office, cohort, enrollments, lecturers_by_name, units, issues) -> None:
    for enrollment, role in zip(enrollments[4:7], ("monitor", "deputy_monitor", "party_cell_secretary"), strict=True):
        teaching.officer_set(user=office, enrollment=enrollment, role=role)
    for name, position, side, role, lecturer_name in td.COMMITTEE:
        teaching.committee_member_add(
            user=office,
            cohort=cohort,
            full_name=name,
            position=position,
            side=side,
            role=role,
            lecturer=lecturers_by_name.get(lecturer_name) if lecturer_name else None,
        )
    trip = td.FIELD_TRIP
    teaching.field_trip_record(
        user=office,
        cohort=cohort,
        locality=units[trip["locality"]],
        place=trip["place"],
        start_date=trip["start"],
        end_date=trip["end"],
        topics=[issue for issue in issues if issue.locality.code == trip["locality"]],
        report=ContentFile(_trip_report(cohort, trip), name="bao-cao-nghien-cuu-thuc-te.docx"),
        notes=trip["notes"],
    )


def _trip_report(cohort, trip) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(f"Báo cáo kết quả nghiên cứu thực tế – lớp {cohort.code}", level=1)
    dates = f"{format_date(trip['start'])} – {format_date(trip['end'])}"
    document.add_paragraph(f"Địa điểm: {trip['place']}. Thời gian: {dates}.")
    document.add_paragraph(trip["notes"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _local_issues(office, units) -> list[LocalIssue]:
    issues = []
    for code, year, title, description in td.LOCAL_ISSUES:
        issue = LocalIssue.objects.filter(title=title).first()
        if issue is None:
            issue = essays.local_issue_propose(
                user=office, locality=units[code], title=title, description=description, year=year
            )
        if issue.status != LocalIssueStatus.APPROVED:
            essays.local_issue_approve(user=office, issue=issue)
            issue.refresh_from_db()
        issues.append(issue)
    return issues


def _old_essay(units) -> None:
    """The essay of an earlier class that the new one repeats (kept as a historical record)."""
    if Essay.objects.filter(title=td.OLD_ESSAY_TITLE).exists():
        return
    enrollment = (
        Enrollment.objects.filter(
            cohort__program__code="TC-LLCT-HC", cohort__host_locality__code=td.OLD_ESSAY_CLASS_LOCALITY
        )
        .exclude(essay__isnull=False)
        .order_by("cohort__opening_date", "id")
        .first()
    )
    if enrollment is None:
        return
    Essay.objects.create(
        enrollment=enrollment,
        title=td.OLD_ESSAY_TITLE,
        text=td.OLD_ESSAY_TEXT,
        status=EssayStatus.GRADED,
        first_score=Decimal("8.0"),
        second_score=Decimal("8.5"),
        score=Decimal("8.3"),
    )


def _essays(office, cohort, enrollments, issues, lecturers) -> set[int]:
    """The first writers' essays; returns the enrollments who sit the graduation exam."""
    writers = enrollments[: td.TC_ESSAYS]
    by_title = {issue.title: issue for issue in issues}
    pool = [lecturer for lecturer in lecturers if lecturer.user_id is None] or lecturers
    rnd = random.Random(2026)
    for index, enrollment in enumerate(writers):
        if index == 4:
            title, text = td.NEW_ESSAY_TITLE, td.NEW_ESSAY_TEXT
        else:
            title, text = td.OTHER_ESSAYS[index if index < 4 else index - 1]
        issue = by_title.get(title)
        student_user = enrollment.student.user or office
        essay = essays.essay_register(
            user=student_user, enrollment=enrollment, local_issue=issue, title=None if issue else title
        )
        if essay.status != EssayStatus.APPROVED:
            essays.essay_topic_decide(user=office, essay=essay, approve=True)
        supervisor, first, second = rnd.sample(pool, 3)
        essays.essay_assign(user=office, essay=essay, supervisor=supervisor, first_grader=first, second_grader=second)
        essays.essay_submit(user=student_user, essay=essay, text=text)
        mark = Decimal(str(rnd.choice([7.5, 8.0, 8.5, 9.0])))
        other = mark + (Decimal("1.5") if index == td.FAR_APART_ESSAY else Decimal("0.5"))
        essays.essay_grade(user=office, essay=essay, grader=first, score=str(mark))
        essays.essay_grade(user=office, essay=essay, grader=second, score=str(min(other, Decimal(10))))
        essay.refresh_from_db()
        if essay.status == EssayStatus.NEEDS_RECONCILIATION:
            essays.essay_reconcile(user=office, essay=essay, score=str(mark + Decimal("1.0")))
    return {enrollment.pk for enrollment in enrollments[td.TC_ESSAYS :]}


def _finished_trung_cap(office, units, programs, lecturers_by_faculty, lecturers_by_name, issues, student_user):
    program = programs["TC-LLCT-HC"]
    host = units[td.TC_HOST]
    homeroom = lecturers_by_name[td.LECTURER_NAME]
    students = _students(td.TC_STUDENTS, units["X02"], seed=2025, serial=SERIAL_BASE)
    Student.objects.filter(pk=students[STRONG].pk).update(user=student_user)
    cohort, enrollments = _cohort(
        td.TC_CODE,
        "Lớp Trung cấp lý luận chính trị - hành chính phường Phú Mỹ, khóa 2025 - 2026",
        program,
        "non_concentrated",
        host,
        td.TC_OPENING,
        td.TC_CLOSING,
        homeroom,
        students,
    )
    modules = list(Module.objects.filter(program=program).order_by("order"))

    def faculty_of(module):
        block = module.code.split(".")[0]
        return td.BLOCK_FACULTY.get(block, homeroom.faculty.code)

    lecturers = _assign(office, cohort, modules, lecturers_by_faculty, faculty_of)
    taught = [m for m in modules if m.kind == ModuleKind.COURSE]
    room = _rooms(units)[TC_ROOM]
    lessons = _timetable(office, cohort, taught, lecturers, td.TC_OPENING, (0, 2, 4), "locality", room)
    barred_lessons = [lesson for lesson in lessons if lesson.module.code == BARRED_MODULE][:3]
    rnd = random.Random(2025)
    _attendance_and_logs(
        office, lessons, enrollments, rnd, [(enrollments[BARRED].pk, lesson.pk) for lesson in barred_lessons]
    )
    demo_alerts.warn_during_course(cohort)
    for lesson in lessons[5:60:11]:
        observer = next(x for x in lecturers_by_faculty[lesson.lecturer.faculty.code] if x != lesson.lecturer)
        teaching.observation_record(
            user=office, lesson=lesson, observer=observer, rating="good", notes="Tổ chức thảo luận nhóm tốt."
        )
    _organisation(office, cohort, enrollments, lecturers_by_name, units, issues)
    Discipline.objects.create(
        enrollment=enrollments[DISCIPLINED],
        measure="reprimand",
        date=dt.date(2025, 11, 14),
        decision_number="21-QĐ/TCT",
        reason="Sử dụng tài liệu trong giờ kiểm tra học phần.",
    )
    exam_takers = _essays(
        office, cohort, enrollments, issues, [x for pool in lecturers_by_faculty.values() for x in pool]
    )
    exam_marks: dict[int, str] = {}
    _grades(office, cohort, modules, enrollments, rnd, exam_takers, exam_marks)
    demo_exams.anonymised_exam(office, cohort, next(m for m in modules if m.code == BARRED_MODULE), exam_marks)
    number, date, signed_by = td.TC_GRADUATION
    decision = graduation.graduation_decide(user=office, cohort=cohort, number=number, date=date, signed_by=signed_by)
    diplomas = register.credentials_issue_for_decision(user=office, decision=decision, issued_on=dt.date(2026, 7, 6))
    if diplomas:
        register.credential_reissue(
            user=office,
            credential=diplomas[-1],
            reason="Sai ngày sinh trên bằng đã cấp; cấp lại theo đề nghị của học viên.",
            issued_on=dt.date(2026, 8, 3),
        )
    Cohort.objects.filter(pk=cohort.pk).update(status=CohortStatus.CLOSED)


def _fostering(office, units, programs, lecturers_by_faculty):
    program = programs["BD-CV"]
    students = _students(td.CV_STUDENTS, units["X01"], seed=2026, serial=SERIAL_BASE + 500)
    school = units[data.SCHOOL[0]]
    lecturers = [x for pool in lecturers_by_faculty.values() for x in pool]
    homeroom = lecturers[-1]
    cohort, enrollments = _cohort(
        td.CV_CODE,
        "Lớp Bồi dưỡng ngạch chuyên viên, đợt 3 năm 2026",
        program,
        "concentrated",
        school,
        td.CV_OPENING,
        td.CV_CLOSING,
        homeroom,
        students,
    )
    modules = list(Module.objects.filter(program=program).order_by("order"))
    chosen = _assign(office, cohort, modules, {"all": lecturers[4:]}, lambda module: "all")
    room = _rooms(units)[CV_ROOM]
    lessons = _timetable(office, cohort, modules, chosen, td.CV_OPENING, (0, 1, 2, 3, 4), "school", room)
    rnd = random.Random(2027)
    for lesson in lessons:
        exceptions = {enrollments[5].pk: "excused"} if lesson is lessons[10] else {}
        teaching.attendance_record(user=office, lesson=lesson, exceptions=exceptions)
        teaching.lecture_log_record(user=office, lesson=lesson, methods=[str(m) for m in rnd.sample(ACTIVE, k=2)])
    for index, enrollment in enumerate(enrollments):
        for module in modules:
            for assessment in module.assessments.all():
                score = "4,5" if index == 7 and module.code == "P2" else str(rnd.choice([6.5, 7.0, 7.5, 8.0, 8.5]))
                grading.grade_record(user=office, enrollment=enrollment, assessment=assessment, value=score)
    number, date, signed_by = td.CV_DECISION
    decision = graduation.graduation_decide(user=office, cohort=cohort, number=number, date=date, signed_by=signed_by)
    certificates = register.credentials_issue_for_decision(user=office, decision=decision, issued_on=date)
    if certificates:
        register.confirmation_issue(
            user=office,
            credential=certificates[0],
            reason="Học viên báo mất chứng chỉ (đơn ngày 16/11/2026).",
            issued_on=dt.date(2026, 11, 20),
        )
    Cohort.objects.filter(pk=cohort.pk).update(status=CohortStatus.CLOSED)


def _blank_forms(office, programs) -> None:
    """A batch of blank forms of each kind, received before its credentials were issued, its
    numbers following the register's serials (a demo loaded before forms were tracked keeps
    the serials it has, and its batches are received after them)."""
    today = timezone.localdate()
    for kind, code, prefix, count, received_on, reference in td.BLANK_FORM_BATCHES:
        if BlankFormBatch.objects.filter(kind=kind).exists():
            continue
        counter = RegisterCounter.objects.filter(kind=kind, year=register.SERIAL_YEAR).first()
        first = (counter.last_number if counter else 0) + 1
        last_issued = Credential.objects.filter(kind=kind).order_by("-issued_on").values_list("issued_on", flat=True)
        if last_issued:
            received_on = max(received_on, last_issued[0] + dt.timedelta(days=1))
        blank_forms.batch_receive(
            user=office,
            kind=kind,
            program=programs[code] if code else None,
            prefix=prefix,
            first_number=first,
            last_number=first + count - 1,
            received_on=min(received_on, today),
            reference=reference,
        )


def _spare_forms(office) -> None:
    """A blank spoiled in a test print and one damaged in transport: the last of their batch."""
    for prefix, state, reason in td.SPARE_FORMS:
        batch = BlankFormBatch.objects.filter(prefix=prefix).order_by("-last_number").first()
        if batch is None or batch.forms.exclude(state=BlankFormState.USED).exists():
            continue
        blank_forms.form_discard(user=office, serial=batch.serial(batch.last_number), state=state, reason=reason)


def _upcoming(office, lecturer: Lecturer, today: dt.date) -> None:
    """Lessons of this year's open class for the demo lecturer: the past fortnight with
    attendance taken, and the next fortnight."""
    cohort = Cohort.objects.filter(code__startswith="TCX01-", status=CohortStatus.OPEN).order_by("code").first()
    if cohort is None or cohort.lessons.exists():
        return
    module = Module.objects.get(program=cohort.program, code="I.1")
    teaching.assignment_add(user=office, cohort=cohort, module=module, lecturer=lecturer)
    start = max(cohort.opening_date, today - dt.timedelta(days=14))
    days_off = Holiday.objects.days_between(start, today + dt.timedelta(days=14))
    day = start
    while day <= today + dt.timedelta(days=14):
        if day.weekday() in (1, 3) and day not in days_off:
            lesson = teaching.lesson_schedule(
                user=office, cohort=cohort, module=module, lecturer=lecturer, date=day, session="morning", periods=5
            )
            if day < today:
                teaching.attendance_record(user=lecturer.user, lesson=lesson, exceptions={})
                teaching.lecture_log_record(
                    user=lecturer.user,
                    lesson=lesson,
                    methods=[str(ActiveMethod.DIALOGUE), str(ActiveMethod.LESS_DICTATION)],
                )
        day += dt.timedelta(days=1)


def load(units: dict[str, Unit], programs: dict[str, Program]) -> list[tuple[str, str, str]]:
    """Write the teaching demo once; returns the demo sign-ins it adds."""
    curricula.install()
    office = User.objects.get(username=data.USERS[0][0])
    student_user = _user(td.STUDENT_USERNAME, roles.STUDENT, "demo", "Học viên")
    logins = [
        (td.LECTURER_USERNAME, data.DEMO_PASSWORD, roles.LECTURER),
        (td.STUDENT_USERNAME, data.DEMO_PASSWORD, roles.STUDENT),
    ]
    _holidays()
    issues = _local_issues(office, units)
    _old_essay(units)
    lecturers_by_faculty: dict[str, list[Lecturer]] = {}
    for each in Lecturer.objects.filter(faculty__code__startswith="K-").select_related("faculty").order_by("sort_key"):
        lecturers_by_faculty.setdefault(each.faculty.code, []).append(each)
    lecturers_by_name = {x.full_name: x for pool in lecturers_by_faculty.values() for x in pool}
    _unavailable_days(lecturers_by_faculty)
    _blank_forms(office, programs)
    if not Cohort.objects.filter(code=td.TC_CODE).exists():
        _finished_trung_cap(office, units, programs, lecturers_by_faculty, lecturers_by_name, issues, student_user)
    if not Cohort.objects.filter(code=td.CV_CODE).exists():
        _fostering(office, units, programs, lecturers_by_faculty)
    _spare_forms(office)
    _upcoming(office, Lecturer.objects.get(full_name=td.LECTURER_NAME), timezone.localdate())
    workload_demo.load()
    finance_demo.load()
    return logins
