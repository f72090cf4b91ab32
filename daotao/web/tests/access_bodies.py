"""The bodies the matrix posts and what it checks a post changed, by app: the functions that
``access_posts.CASES`` names.

A body is built from the view's own form where it has one (``form_data``: the values the
page shows, as the browser sends them back), with the few fields a person would change.
``t`` is the running ``AccessMatrixTests`` (``access_world.MatrixWorld``): ``t.users``,
``t.kwargs`` and the records named in its ``setUpTestData``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django import forms
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from daotao.accounts.models import ApiToken, User
from daotao.admissions.forms import ApplicationForm
from daotao.admissions.models import Application, ApplicationDocument, RuleException
from daotao.audit.models import ImportOutcome, ImportRecord
from daotao.cohorts.models import Cohort, Enrollment
from daotao.demo import teaching_data as td
from daotao.essays.models import Essay, LocalIssue, LocalIssueStatus
from daotao.exams.models import ExamSession, Script
from daotao.finance.fees import fee_status
from daotao.finance.models import Budget
from daotao.grading.models import (
    BlankForm,
    BlankFormBatch,
    Credential,
    Grade,
    GradingRules,
    GraduationDecision,
    GraduationEntry,
)
from daotao.lib import national_id
from daotao.lib.vietnamese import format_date
from daotao.planning.models import AnnualPlan
from daotao.portal.models import Article
from daotao.programs.models import Assessment, Module
from daotao.school.models import DocumentSigner, School
from daotao.surveys.models import Answer, CareerEvent, Invitation, SurveyRound
from daotao.teaching.forms import FieldTripForm, LessonForm
from daotao.teaching.models import (
    Attendance,
    FieldTrip,
    Lesson,
    PeerObservation,
    Session,
    TeachingAssignment,
)
from daotao.testing import PASSWORD
from daotao.twoway.models import ResultPackDispatch

PDF = b"%PDF-1.4 matrix\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def form_data(form: forms.Form) -> dict:
    """What a browser sends back for an unbound form as its page shows it."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        if value in (None, "") or isinstance(bound.field, forms.FileField):
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif isinstance(value, dt.date):
            data[bound.html_name] = value.strftime("%d/%m/%Y")
        else:
            data[bound.html_name] = str(value)
    return data


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# --- accounts, portal -------------------------------------------------------------------------


def signed_in_as(expected):
    def effect(t, persona, response):
        session = response.wsgi_request.session
        t.assertEqual(
            session.get("_auth_user_id"), None if expected(t, persona) is None else str(expected(t, persona).pk)
        )

    return effect


def login_user(t, persona):
    return t.users[persona] or t.users["nobody"]  # an anonymous visitor signs in to an account


def token_created(t, persona, response):
    t.assertTrue(ApiToken.objects.filter(user=t.users[persona], name="ma trận").exists())


NEW_PASSWORD = "Mat-khau-ma-tran-2026"
RESET_ADDRESS = "ma-tran@truong.test"


def password_change_body(t, persona):
    return {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def password_changed(t, persona, response):
    t.assertTrue(User.objects.get(pk=t.users[persona].pk).check_password(NEW_PASSWORD))


def password_reset_body(t, persona):
    """The office's account has an address (in the post's savepoint); the outbox is emptied."""
    User.objects.filter(username="daotao").update(email=RESET_ADDRESS)
    del mail.outbox[:]
    return {"email": RESET_ADDRESS}


def reset_link_sent(t, persona, response):
    t.assertEqual([message.to for message in mail.outbox], [[RESET_ADDRESS]])
    t.assertIn("/accounts/password/reset/", mail.outbox[0].body)


def language_chosen(t, persona, response):
    t.assertEqual(response.cookies["django_language"].value, "en")


def draft_made(t, persona, response):
    t.assertTrue(Article.objects.filter(author=t.users[persona], status="draft").exists())


# --- admissions -------------------------------------------------------------------------------


def application_body(t, persona, instance=None) -> dict:
    user = t.users[persona]
    form = ApplicationForm(instance=instance or t.application, user=user)
    body = form_data(form)
    if instance is None:  # a new candidate: another person, from the user's own locality
        born = t.application.date_of_birth
        number = national_id.make("052", t.application.gender, born, 900_000 + list(t.users).index(persona))
        body.update(full_name="Ứng Viên Ma Trận", national_id=number)
        unit = user.unit
        if unit is not None and form.fields["locality"].queryset.filter(pk=unit.pk).exists():
            body["locality"] = str(unit.pk)
        # An agency's candidates are its own staff whatever the body says (the field is not
        # on its form): another agency posted here is ignored (``nominated``).
        body.setdefault("agency", str(t.other_agency.pk))
    body["notes"] = "Hồ sơ do ma trận gửi."
    return body


def nominated(t, persona, response):
    user = t.users[persona]
    created = Application.objects.get(full_name="Ứng Viên Ma Trận")
    t.assertEqual(created.submitted_by, user)
    t.assertTrue(Application.objects.visible_to(user).filter(pk=created.pk).exists())
    if user.unit is not None and user.unit.kind == "agency":
        t.assertEqual(created.agency, user.unit)


def application_changed(field, value):
    def effect(t, persona, response):
        t.assertEqual(getattr(Application.objects.get(pk=t.application.pk), field), value)
        t.assertEqual(response.headers["Location"], f"/admissions/{t.application.pk}/")

    return effect


def documents_body(t, persona):
    body = {
        f"received_{d}": "on"
        for d in t.application.documents.filter(received=True).values_list("document_type_id", flat=True)
    }
    body |= {f"received_{t.missing_document}": "on", f"file_{t.missing_document}": pdf("ban-sao.pdf")}
    return body


def document_received(t, persona, response):
    document = ApplicationDocument.objects.get(application=t.application, document_type_id=t.missing_document)
    t.assertTrue(document.received)
    t.assertTrue(document.file.name)


def exception_recorded(t, persona, response):
    t.assertTrue(RuleException.objects.filter(application=t.application, rule=t.rule).exists())


def placed(t, persona, response):
    placed = Application.objects.select_related("enrollment").get(pk=t.admitted.pk)
    t.assertEqual(placed.enrollment.cohort_id, t.open_cohort.pk)


# --- planning ---------------------------------------------------------------------------------


def plan(year: int) -> AnnualPlan:
    return AnnualPlan.objects.get(year=year)


# --- teaching ---------------------------------------------------------------------------------


def free_half_day(cohort, lecturer) -> dt.date:
    """A morning within the class's dates when neither the class nor the lecturer teaches."""
    mornings = Lesson.objects.filter(session=Session.MORNING)
    taken = set(mornings.filter(cohort=cohort).values_list("date", flat=True))
    taken |= set(mornings.filter(lecturer=lecturer).values_list("date", flat=True))
    day = cohort.opening_date
    while day in taken:
        day += dt.timedelta(days=1)
    return day


def lesson_body(t, persona):
    assignment = t.cohort.assignments.filter(lecturer=t.lecturer).first()
    day = free_half_day(t.cohort, t.lecturer)
    form = LessonForm(cohort=t.cohort, initial={"place": "locality"})
    body = form_data(form) | {
        "date": day.strftime("%d/%m/%Y"),
        "session": Session.MORNING,
        "module": str(assignment.module_id),
        "lecturer": str(t.lecturer.pk),
        "topic": "Buổi học ma trận",
    }
    return body


def timetable_body(t, persona):
    """The timetable page's choices with every module of the program in and the class's
    lecturer for each: the modules with periods left (the field research) are laid out."""
    modules = list(Module.objects.filter(program=t.cohort.program_id).order_by("order", "code"))
    body = {
        "action": "preview",
        "start": format_date(t.cohort.opening_date),
        "weekdays": ["0", "2", "4"],
        "sessions": [Session.MORNING],
        "periods_per_lesson": "5",
        "place": "locality",
        "room": "",
        "venue": "",
        "m-TOTAL_FORMS": str(len(modules)),
        "m-INITIAL_FORMS": str(len(modules)),
    }
    for index, module in enumerate(modules):
        body |= {
            f"m-{index}-module": str(module.pk),
            f"m-{index}-include": "on",
            f"m-{index}-order": str(index + 1),
            f"m-{index}-lecturers": [str(t.lecturer.pk)],
        }
    return body


def timetable_previewed(t, persona, response):
    t.assertTrue(response.context["preview"])
    t.assertGreater(response.context["count"], 0)


def lesson_added(t, persona, response):
    t.assertTrue(Lesson.objects.filter(cohort=t.cohort, topic="Buổi học ma trận").exists())


def lesson_edit_body(t, persona):
    lesson = t.lesson
    initial = {name: getattr(lesson, name) for name in ("date", "session", "periods", "place", "venue", "topic")}
    initial |= {"module": lesson.module_id, "lecturer": lesson.lecturer_id}
    return form_data(LessonForm(cohort=lesson.cohort, initial=initial)) | {"topic": "Chủ đề đã sửa"}


def unheld_lesson(t) -> dict:
    assignment = t.cohort.assignments.filter(lecturer=t.lecturer).first()
    lesson = Lesson.objects.create(
        cohort=t.cohort,
        module_id=assignment.module_id,
        lecturer=t.lecturer,
        date=free_half_day(t.cohort, t.lecturer),
        session=Session.MORNING,
        periods=5,
        topic="Buổi chưa học",
    )
    t.prepared = lesson
    return {"lesson_id": lesson.pk}


def attendance_body(t, persona):
    """Every student's status as the page shows it, one of them changed; and a student of
    another class, which the page never lists, posted too (ignored: ``attendance_taken``)."""
    marked = dict(t.lesson.attendance.values_list("enrollment_id", "status"))
    enrollments = t.cohort.enrollments.on_roll().values_list("pk", flat=True)
    body = {f"status-{pk}": marked.get(pk, "present") for pk in enrollments}
    body[f"status-{t.enrollment.pk}"] = "unexcused"
    body[f"status-{t.foreign_enrollment.pk}"] = "unexcused"
    return body


def attendance_taken(t, persona, response):
    t.assertEqual(Attendance.objects.get(lesson=t.lesson, enrollment=t.enrollment).status, "unexcused")
    t.assertFalse(Attendance.objects.filter(enrollment=t.foreign_enrollment, lesson=t.lesson).exists())


def observation_body(t, persona):
    # The office names the observer; a lecturer observes as themself, whoever the body names.
    return {"observer": str(t.third_lecturer.pk), "rating": "good", "notes": "Giờ dạy sinh động."}


def observed(t, persona, response):
    expected = t.third_lecturer if persona in ("superuser", "office") else t.users[persona].lecturer
    observation = PeerObservation.objects.get(lesson=t.lesson, notes="Giờ dạy sinh động.")
    t.assertEqual(observation.observer, expected)


def assignment_for_removal(t) -> dict:
    assignment = TeachingAssignment.objects.create(cohort=t.cohort, module=t.module, lecturer=t.third_lecturer)
    t.prepared = assignment
    return {"record_id": assignment.pk}


def gone(model):
    def effect(t, persona, response):
        t.assertFalse(model.objects.filter(pk=t.prepared.pk).exists())

    return effect


def field_trip_body(t, persona):
    return {
        "locality": str(t.locality.pk),
        "place": "Xã Châu Pha",
        "start_date": t.cohort.opening_date.strftime("%d/%m/%Y"),
        "end_date": (t.cohort.opening_date + dt.timedelta(days=2)).strftime("%d/%m/%Y"),
        "topics": [str(t.issue.pk)],
        "report": pdf("bao-cao.pdf"),
        "notes": "Chuyến đi ma trận",
    }


def field_trip_edit_body(t, persona):
    trip = t.trip
    initial = {
        "locality": trip.locality_id,
        "place": trip.place,
        "start_date": trip.start_date,
        "end_date": trip.end_date,
        "topics": list(trip.topics.values_list("pk", flat=True)),
        "notes": trip.notes,
    }
    return form_data(FieldTripForm(user=t.users[persona], initial=initial)) | {"notes": "Chuyến đi ma trận"}


def trip_recorded(t, persona, response):
    t.assertTrue(FieldTrip.objects.filter(cohort=t.cohort, notes="Chuyến đi ma trận").exists())


# --- grading ----------------------------------------------------------------------------------


def cell_body(t, persona):
    return {
        "enrollment": str(t.enrollment.pk),
        "assessment": str(t.assessment.pk),
        "attempt": "1",
        "value": "3,5",
    }


def graded(t, persona, response):
    grade = Grade.objects.get(enrollment=t.enrollment, assessment=t.assessment, attempt=1)
    t.assertEqual(str(grade.score), "3.5")


def graduate_again(t) -> dict:
    """A classmate taken out of the decision (with their credential), so that one student
    can graduate now."""
    entry = GraduationEntry.objects.get(enrollment=t.classmate_enrollment)
    _remove_credentials(t.classmate_enrollment)
    entry.delete()
    return {}


def _remove_credentials(enrollment) -> None:
    """The student's credentials and the blank forms they were printed on."""
    BlankForm.objects.filter(credential__enrollment=enrollment).delete()
    Credential.objects.filter(enrollment=enrollment).delete()


def decided(t, persona, response):
    decision = GraduationDecision.objects.get(number="99-QĐ/MT")
    t.assertEqual(list(decision.entries.values_list("enrollment", flat=True)), [t.classmate_enrollment.pk])


def credential_to_issue(t) -> dict:
    _remove_credentials(t.classmate_enrollment)
    return {}


def issued(t, persona, response):
    t.assertEqual(Credential.objects.filter(enrollment=t.classmate_enrollment, status="valid").count(), 1)


def corrected(t, persona, response):
    t.assertEqual(GraduationEntry.objects.get(pk=t.kwargs["entry_id"]).classification, t.other_classification)


def reissued(t, persona, response):
    old = Credential.objects.get(pk=t.kwargs["credential_id"])
    t.assertEqual(old.status, "replaced")
    t.assertEqual(response.headers["Location"], f"/grading/register/{Credential.objects.get(replaces=old).pk}/")


def reprinted(t, persona, response):
    credential = Credential.objects.get(pk=t.kwargs["credential_id"])
    t.assertEqual(BlankForm.objects.get(credential=credential, state="used").serial, credential.serial_number)
    t.assertTrue(BlankForm.objects.filter(credential=credential, state="spoiled").exists())
    t.assertEqual(response.headers["Location"], f"/grading/register/{credential.pk}/")


def blank_form_batch_body(t, persona):
    """The next diploma forms after the demo's batch."""
    last = BlankFormBatch.objects.filter(kind="diploma").order_by("-last_number").first().last_number
    return {
        "kind": "diploma",
        "program": "",
        "prefix": "TC",
        "first_number": str(last + 1),
        "last_number": str(last + 100),
        "received_on": today(),
        "reference": "PX-MATRIX",
        "note": "",
    }


def blank_forms_received(t, persona, response):
    t.assertTrue(BlankFormBatch.objects.filter(reference="PX-MATRIX", received_by=t.users[persona]).exists())


def _spare_serial() -> str:
    """A diploma form still in stock: the one before the last of the demo's batch."""
    batch = BlankFormBatch.objects.filter(kind="diploma").order_by("first_number").first()
    return batch.serial(batch.last_number - 1)


def blank_form_mark_body(t, persona):
    return {"serial": _spare_serial(), "state": "voided", "reason": "Mất khi vận chuyển"}


def blank_form_voided(t, persona, response):
    t.assertEqual(BlankForm.objects.get(serial=_spare_serial()).state, "voided")


# --- essays, surveys, results packs -----------------------------------------------------------


def issue_body(t, persona):
    unit = t.users[persona].unit
    locality = unit if unit is not None and unit.kind in ("district", "commune") else t.locality
    return {"locality": str(locality.pk), "title": "Vấn đề ma trận", "description": "", "year": "2026"}


def issue_proposed(t, persona, response):
    issue = LocalIssue.objects.get(title="Vấn đề ma trận")
    t.assertEqual(issue.proposed_by, t.users[persona])
    t.assertTrue(LocalIssue.objects.visible_to(t.users[persona]).filter(pk=issue.pk).exists())


def issue_proposed_state(t) -> dict:
    LocalIssue.objects.filter(pk=t.issue.pk).update(status=LocalIssueStatus.PROPOSED)
    return {}


def issue_status(status):
    def effect(t, persona, response):
        t.assertEqual(LocalIssue.objects.get(pk=t.issue.pk).status, status)

    return effect


def topic_registered(t, persona, response):
    enrollment = t.users[persona].student.enrollments.get(cohort=t.cohort)
    t.assertEqual(Essay.objects.get(enrollment=enrollment).local_issue, t.issue)


def assign_body(t, persona):
    essay = t.essay
    return {
        "action": "assign",
        "assign-supervisor": str(t.third_lecturer.pk),
        "assign-first_grader": str(essay.first_grader_id),
        "assign-second_grader": str(essay.second_grader_id),
    }


def assigned(t, persona, response):
    t.assertEqual(Essay.objects.get(pk=t.essay.pk).supervisor, t.third_lecturer)


def outcome_body(t, persona):
    return {
        "national_id": t.recordable[persona].national_id,
        "kind": "appointment",
        "date": today(),
        "decision_number": f"{list(t.users).index(persona)}/QĐ-MATRAN",
        "description": "Bổ nhiệm",
    }


def event_recorded(t, persona, response):
    event = CareerEvent.objects.get(decision_number=outcome_body(t, persona)["decision_number"])
    t.assertEqual(event.student, t.recordable[persona])
    t.assertEqual(event.recorded_by, t.users[persona])


def answer_body(t, persona):
    """Every question of the round answered; and an answer to a question of another round,
    which the form does not have (ignored: ``answered``)."""
    body = {}
    for question in t.open_questions:
        if question.kind == "rating":
            body[f"q{question.pk}"] = str(question.scale_max)
        elif question.kind == "single":
            body[f"q{question.pk}"] = "0"
        elif question.kind == "multiple":
            body[f"q{question.pk}"] = ["0"]
        elif question.kind == "number":
            body[f"q{question.pk}"] = "1"
        else:
            body[f"q{question.pk}"] = "Góp ý của ma trận"
    body[f"q{t.foreign_question.pk}"] = "Trả lời lạc"
    return body


def survey_still_open(t) -> dict:
    """The link's round open today, whatever day the test runs (the demo's dates are fixed)."""
    survey_round = t.open_invitation.round
    today = timezone.localdate()
    SurveyRound.objects.filter(pk=survey_round.pk).update(closes_on=max(survey_round.closes_on, today))
    return {"token": t.open_invitation.token}


def answered(t, persona, response):
    t.assertTrue(Invitation.objects.get(pk=t.open_invitation.pk).answered)
    t.assertFalse(Answer.objects.filter(question=t.foreign_question, text="Trả lời lạc").exists())


def pack_sent(t, persona, response):
    t.assertTrue(ResultPackDispatch.objects.filter(cohort=t.cohort, unit=t.locality, sent_by=t.users[persona]))


# --- imports: the workbook, then the job's page -----------------------------------------------


def xlsx_file(content: bytes, name: str = "nhap.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def job_state(t, client, response) -> dict | None:
    """The state the job's page shows (the import ran in the request: DAOTAO_IMPORT_INLINE)."""
    location = response.headers.get("Location", "")
    t.assertTrue(location.startswith("/jobs/"), location)
    page = client.get(location)
    return page.context["state"] if page.status_code == 200 else None


def imported(check=None):
    """The job finished; its page is its starter's alone; the import is recorded as the
    poster's with the file it kept (``daotao.audit.imports``); ``check`` sees what it wrote."""

    def effect(t, persona, response):
        state = job_state(t, t._client(persona), response)
        t.assertEqual(state["state"], "done", state)
        record = ImportRecord.objects.order_by("-pk").first()
        t.assertEqual((record.user, record.outcome), (t.users[persona], ImportOutcome.DONE))
        with record.file.open("rb") as kept:
            t.assertEqual(hashlib.sha256(kept.read()).hexdigest(), record.sha256)
        other = "office" if persona != "office" else "superuser"
        t.assertIsNone(job_state(t, t._client(other), response), "another user's job is found")
        if check:
            check(t, persona)

    return effect


def cohorts_workbook(t, persona) -> dict:
    from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook

    code, opened = t.locality.code, dt.datetime(2026, 9, 1)
    cohort = cohort_row(
        "MA-TRAN-01", **{"Mã địa phương": code, "Ngày khai giảng": opened, "Ngày bế giảng": "30/06/2027"}
    )
    content = workbook([{**cohort, "Năm kế hoạch": 2026}], [student_row("MA-TRAN-01", **{"Mã địa phương": code})])
    return {"workbook": xlsx_file(content)}


def nominations_workbook(t, persona, **cells) -> dict:
    from daotao.admissions.tests.workbooks import nomination, workbook

    unit = t.users[persona].unit
    locality = unit.code if unit is not None and unit.kind in ("district", "commune") else t.locality.code
    row = nomination("Ứng Viên Nhập Tệp", **{"Mã địa phương": locality, **cells})
    return {"year": "2026", "workbook": xlsx_file(workbook([row]))}


def nominations_imported(t, persona):
    created = Application.objects.get(full_name="Ứng Viên Nhập Tệp")
    t.assertTrue(Application.objects.visible_to(t.users[persona]).filter(pk=created.pk).exists())


def events_workbook(t, persona, national_id=None) -> dict:
    from daotao.surveys.tests.test_outcome_import import workbook

    number = national_id or t.recordable[persona].national_id
    return {"workbook": xlsx_file(workbook([[number, "Bổ nhiệm", today(), "77/QĐ-MATRAN", "Nhập tệp"]]))}


def events_imported(t, persona):
    event = CareerEvent.objects.get(decision_number="77/QĐ-MATRAN")
    t.assertEqual(event.student, t.recordable[persona])


def quotas_workbook(t, persona) -> dict:
    from daotao.planning.tests.base import workbook

    return {"workbook": xlsx_file(workbook(("TC-LLCT-HC", t.locality.code, "self_funded", 1, 30)))}


def grade_sheet(t, persona, cohort, module, rows: dict) -> dict:
    """The module's sheet as the page exports it, with the cells of ``rows`` (enrollment id
    -> {column number: value}) changed, or new rows (enrollment id -> [name, values...])."""
    import io

    import openpyxl

    exported = t._client(persona).get(f"/grading/cohorts/{cohort.pk}/modules/{module.pk}/grades.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    keys = {row[2].value: row for row in sheet.iter_rows(min_row=3)}
    for key, change in rows.items():
        if isinstance(change, list):
            sheet.append([len(keys) + 1, *change[:1], key, *change[1:]])
            continue
        for column, value in change.items():
            keys[key][column].value = value
    output = io.BytesIO()
    book.save(output)
    return {"file": xlsx_file(output.getvalue(), "bang-diem.xlsx")}


def sheet_body(t, persona):
    return grade_sheet(
        t, persona, t.cohort, t.module, {t.enrollment.pk: {3 + column_of(t.module, t.assessment): "3,5"}}
    )


def column_of(module, assessment) -> int:
    from daotao.grading.sheet import columns_of

    return next(i for i, column in enumerate(columns_of(module)) if column.assessment.pk == assessment.pk)


# --- setting up the school (daotao.onboarding) ---------------------------------------------


def catalogue_incomplete(t) -> dict:
    GradingRules.objects.filter(program__code="BD-BTX").delete()
    return {}


def catalogue_complete(t, persona, response):
    t.assertTrue(GradingRules.objects.filter(program__code="BD-BTX").exists())


def identity_body(t, persona) -> dict:
    """The identity page's form as it opens on the demo, with a new address."""
    from daotao.school.models import DocumentKind

    school = School.objects.get()
    fields = ("name", "parent", "province", "place", "address", "phone", "email", "website", "document_style",
              "document_code")  # fmt: skip
    body = {field: getattr(school, field) for field in fields}
    body["address"] = "Số 9 đường Ma Trận"
    signers = {signer.kind: signer for signer in DocumentSigner.objects.all()}
    for kind in DocumentKind.values:
        signer = signers.get(kind)
        body.update({f"{kind}-title": signer.title if signer else "HIỆU TRƯỞNG",
                     f"{kind}-deputy_title": signer.deputy_title if signer else "",
                     f"{kind}-name": signer.name if signer else ""})  # fmt: skip
    return body


def identity_saved(t, persona, response):
    t.assertEqual(School.objects.get().address, "Số 9 đường Ma Trận")


def units_workbook(t, persona) -> dict:
    from daotao.onboarding.tests.test_import_units import unit, workbook

    return {"workbook": xlsx_file(workbook([unit("MA-TRAN-X", "Xã Ma Trận", "Cấp xã", t.locality.code)]))}


def units_imported(t, persona):
    from daotao.org.models import Unit

    t.assertEqual(Unit.objects.get(code="MA-TRAN-X").parent, t.locality)


def people_workbook(t, persona) -> dict:
    from daotao.onboarding.tests.test_import_people import account, workbook

    row = account("ma.tran", "Nguyễn Văn Ma Trận", "Cán bộ điều phối địa phương", **{"Mã đơn vị": t.locality.code})
    return {"workbook": xlsx_file(workbook(accounts=[row]))}


def people_imported(t, persona):
    made = User.objects.get(username="ma.tran")
    t.assertEqual((made.unit, made.has_usable_password()), (t.locality, False))


def history_workbook(t, persona) -> dict:
    """A graduate of a demo class that closed in 2019 and has no graduation decision."""
    from daotao.onboarding.tests.test_import_history import history_book, result

    enrollment = (
        Enrollment.objects.filter(cohort__closing_date__year=2019, cohort__program__code="TC-LLCT-HC",
                                  cohort__graduation_decisions__isnull=True, status__in=["studying", "completed"])
        .select_related("cohort", "student").order_by("pk").first()
    )  # fmt: skip
    t.history_enrollment = enrollment
    decided = dt.datetime.combine(enrollment.cohort.closing_date, dt.time()) + dt.timedelta(days=5)
    row = result(
        enrollment.student.national_id, "7,5", None, cohort=enrollment.cohort.code, number="MT/QĐ", date=decided
    )
    return {"workbook": xlsx_file(history_book([row]))}


def history_imported(t, persona):
    entry = GraduationEntry.objects.get(enrollment=t.history_enrollment)
    t.assertEqual((entry.decision.number, entry.classification), ("MT/QĐ", "fair"))


# --- exams ------------------------------------------------------------------------------------


def exam(t):
    """The demo's exam session of the class (I.2, marked by code and decoded)."""
    return ExamSession.objects.get(pk=t.kwargs["exam_id"])


def exam_in_state(status: str):
    """Put the demo's session back to ``status`` (being prepared, or sealed and marking)."""

    def prepare(t) -> dict:
        ExamSession.objects.filter(pk=t.kwargs["exam_id"]).update(status=status)
        return {}

    return prepare


def script(t):
    """A script of the demo's session whose mark is not the 9,5 the post gives it (the demo's
    marks and codes are drawn at random); the same one for every persona (each post is
    rolled back)."""
    if getattr(t, "marked_script_id", None) is None:
        scripts = Script.objects.filter(exam=t.kwargs["exam_id"]).exclude(score=Decimal("9.5"))
        t.marked_script_id = scripts.order_by("code").values_list("pk", flat=True).first()
    return Script.objects.get(pk=t.marked_script_id)


def script_marked(t, persona, response):
    t.assertEqual(script(t).score, Decimal("9.5"))


def _unexamined(t):
    return (
        Assessment.objects.filter(module__program=t.cohort.program_id, is_exam=True)
        .exclude(exam_sessions__cohort=t.cohort)
        .order_by("module__order")
        .first()
    )


def exam_body(t, persona) -> dict:
    return {
        "assessment": str(_unexamined(t).pk),
        "attempt": "1",
        "date": "20/06/2026",
        "session": "morning",
        "anonymised": "on",
    }


def exam_added(t, persona, response):
    t.assertTrue(ExamSession.objects.filter(cohort=t.cohort, date=dt.date(2026, 6, 20), anonymised=True).exists())


# --- finance ----------------------------------------------------------------------------------


def budget_unsettled(t) -> dict:
    """The class's budget as before its settlement (the demo's is settled)."""
    Budget.objects.filter(cohort=t.cohort).update(settled_on=None, settled_by=None)
    return {}


def fostering_class(t) -> dict:
    """The demo's self-funded class (its fee and payments)."""
    return {"cohort_id": Cohort.objects.get(code=td.CV_CODE).pk}


def budget_body(t, persona) -> dict:
    body = {"source": "locality", "pay_rate": "160.000", "notes": "Ma trận"}
    for item in ("teaching", "materials", "field_trip", "certificates", "other"):
        body[f"planned_{item}"] = "1.000.000"
        if item != "teaching":
            body[f"settled_{item}"] = "900.000"
    return body


def payment_body(t, persona) -> dict:
    owing = next(line for line in fee_status(Cohort.objects.get(code=td.CV_CODE)).lines if line.owed)
    return {"enrollment": str(owing.enrollment.pk), "amount": "100.000", "paid_on": today()}
