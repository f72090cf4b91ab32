"""The demo's evaluation of training: rounds before, during, at the end of and after the
finished Trung cấp class, each answered by part of the class through the same services as
the answer page; a fostering round with too few answers to show; email addresses of the
units and students so that invitations and results packs have somewhere to go.

Mail is sent through an in-memory connection: the demo never sends real mail."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.demo import data
from daotao.demo import teaching_data as td
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.surveys import mailing, outcomes, pool, services
from daotao.surveys.models import Invitation, QuestionKind, Questionnaire, SurveyRound
from daotao.surveys.presets import install_presets
from daotao.teaching.models import TeachingAssignment
from daotao.twoway import services as twoway
from daotao.twoway.packs import recipients_for

D = dt.date
MAIL_DOMAIN = "binhan.example.vn"
AGENCY_CODE, AGENCY_USERNAME = "CQ-SNV", "coquan.snv"  # the demo's sending-agency account

FREE_TEXTS = [
    "Nên tăng thời lượng thảo luận tình huống ở địa phương.",
    "Tài liệu cần cập nhật các văn bản sau sắp xếp đơn vị hành chính.",
    "Giảng viên liên hệ thực tiễn rất tốt.",
    "Đề nghị bố trí lịch học tránh mùa vụ.",
    "Mong có thêm chuyên đề về chuyển đổi số.",
    "Phòng học cần thêm máy chiếu dự phòng.",
]


def _emails() -> None:
    """Addresses for the units that receive results and surveys, and for the students of
    the demo classes (the generated students have none)."""
    for unit in Unit.objects.filter(kind__in=[UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.AGENCY], email=""):
        unit.email = f"{unit.code.lower().replace('-', '.')}@{MAIL_DOMAIN}"
        unit.save(update_fields=["email"])
    students = Student.objects.filter(enrollments__cohort__code__in=[td.TC_CODE, td.CV_CODE], email="")
    for student in students:
        student.email = f"hv{student.national_id[-6:]}@{MAIL_DOMAIN}"
        student.save(update_fields=["email"])
    # Four of the Trung cấp class work at Sở Nội vụ, which sent them: its pack and its
    # managers' survey go there.
    tc_students = Student.objects.filter(enrollments__cohort__code=td.TC_CODE).order_by("sort_key")
    if not tc_students.filter(agency__isnull=False).exists():
        agency = Unit.objects.get(code=AGENCY_CODE)
        Student.objects.filter(pk__in=[s.pk for s in tc_students[2:6]]).update(agency=agency)


def _values(questions, rnd: random.Random, level: float, text_share: float = 0.4) -> dict:
    """One respondent's answers, around ``level`` on the 1-10 scale."""
    values = {}
    for question in questions:
        if question.kind == QuestionKind.RATING:
            score = round(rnd.gauss(level, 1.1))
            values[question.pk] = max(question.scale_min, min(question.scale_max, score))
        elif question.kind == QuestionKind.SINGLE:
            values[question.pk] = rnd.choices(
                range(len(question.choices)), weights=[5, 3, 1, 1][: len(question.choices)]
            )[0]
        elif question.kind == QuestionKind.MULTIPLE:
            values[question.pk] = sorted(rnd.sample(range(len(question.choices)), k=rnd.randint(1, 3)))
        elif question.kind == QuestionKind.NUMBER:
            values[question.pk] = Decimal(rnd.randint(3, 25))
        elif rnd.random() < text_share:
            values[question.pk] = rnd.choice(FREE_TEXTS)
    return values


def _round(office, questionnaire_title: str, answers: int, level: float, seed: int, answered_on: dt.date, **fields):
    """A round, its invitations sent (in memory) and ``answers`` of them answered."""
    questionnaire = Questionnaire.objects.get(title=questionnaire_title)
    survey_round = services.round_create(user=office, version=questionnaire.latest_version(), **fields)
    sent_at = timezone.make_aware(dt.datetime.combine(survey_round.sends_on(), dt.time(8)))
    mailing.round_send(
        survey_round, now=sent_at, connection=mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    )
    rnd = random.Random(seed)
    questions = services.questions_of(survey_round)
    invitations = list(Invitation.objects.filter(round=survey_round).select_related("round").order_by("id"))
    for invitation in rnd.sample(invitations, k=min(answers, len(invitations))):
        services.response_submit(invitation=invitation, values=_values(questions, rnd, level), today=answered_on)
    return survey_round


# (position in the class list of graduates, kind, date, decision number, content, recorded by the agency)
CAREER_EVENTS = [
    (0, "appointment", D(2026, 8, 3), "215-QĐ/HU", "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc phường", False),
    (2, "appointment", D(2026, 9, 1), "1024/QĐ-SNV", "Phó Trưởng phòng Công chức, viên chức", True),
    (3, "reward", D(2026, 10, 15), "318/QĐ-UBND", "Bằng khen của Chủ tịch UBND tỉnh", True),
    (7, "promotion", D(2026, 10, 1), "87-QĐ/ĐU", "Phó Bí thư Đảng ủy phường", False),
    (11, "rotation", D(2026, 9, 15), "93-QĐ/ĐU", "Luân chuyển về công tác tại Phường Bình An", False),
    (15, "reward", D(2026, 11, 10), "52/QĐ-UBND", "Giấy khen của Chủ tịch UBND phường", False),
    (19, "appointment", D(2026, 11, 2), "240-QĐ/ĐU", "Trưởng ban Xây dựng Đảng", False),
    (23, "discipline", D(2026, 10, 20), "12-QĐ/UBKT", "Khiển trách", False),
]


def _career_events(office, tc: Cohort) -> None:
    """Later appointments, rewards and a discipline of the class's graduates: the outcome
    report shows the share appointed or rewarded within 12 months."""
    agency_user = User.objects.filter(username=AGENCY_USERNAME).first()
    graduates = [
        enrollment.student
        for enrollment in tc.enrollments.filter(graduation__isnull=False).select_related("student").in_class_order()
    ]
    for position, kind, date, number, content, by_agency in CAREER_EVENTS:
        student = graduates[position]
        user = agency_user if by_agency and agency_user and student.agency_id else office
        outcomes.career_event_record(
            user=user, student=student, kind=kind, date=date, decision_number=number, description=content
        )


def _memory():
    return mail.get_connection("django.core.mail.backends.locmem.EmailBackend")


def _result_packs(office, tc: Cohort) -> None:
    """The packs of the demo classes closed this year, sent once when they closed, and one
    sent again on demand by the office."""
    twoway.packs_send_for_closed(since=D(2026, 1, 1), connection=_memory())
    unit, email = next((unit, email) for unit, email in recipients_for(tc) if email)
    twoway.pack_send(cohort=tc, unit=unit, user=office, email=email, connection=_memory())


def load() -> None:
    """Write the evaluation demo once (skipped when its rounds exist)."""
    install_presets()
    _emails()
    tc = Cohort.objects.filter(code=td.TC_CODE).first()
    cv = Cohort.objects.filter(code=td.CV_CODE).first()
    if tc is None or SurveyRound.objects.filter(cohort=tc).exists():
        pool.flush_due()  # the daily step's work, for a demo loaded while rounds were open
        return
    office = User.objects.get(username=data.USERS[0][0])
    _result_packs(office, tc)
    _career_events(office, tc)
    lecturer = Lecturer.objects.get(full_name=td.LECTURER_NAME)
    module = TeachingAssignment.objects.filter(cohort=tc, lecturer=lecturer).order_by("module__order").first().module
    _round(
        office, "Phiếu khảo sát nhu cầu học tập (đầu khóa)", 27, 8.4, 1, D(2025, 8, 8),
        title="Nhu cầu học tập đầu khóa", cohort=tc, phase="before", subject="course",
        opens_on=D(2025, 8, 4), closes_on=D(2025, 8, 15),
    )  # fmt: skip
    _round(
        office, "Phiếu đánh giá giảng viên (học viên)", 24, 8.6, 2, D(2025, 10, 20),
        title=f"Đánh giá giảng viên {lecturer.full_name} – {module.name}", cohort=tc, phase="during",
        subject="lecturer", lecturer=lecturer, module=module, opens_on=D(2025, 10, 13), closes_on=D(2025, 10, 31),
    )  # fmt: skip
    _round(
        office, "Phiếu học viên tự đánh giá kết quả học tập", 26, 7.6, 3, D(2026, 3, 10),
        title="Học viên tự đánh giá sau khối kiến thức III", cohort=tc, phase="during", subject="learners",
        opens_on=D(2026, 3, 2), closes_on=D(2026, 3, 20),
    )  # fmt: skip
    _round(
        office, "Phiếu đánh giá khóa học (học viên)", 28, 8.1, 4, D(2026, 6, 24),
        title="Đánh giá khóa học cuối khóa", cohort=tc, phase="end", subject="course",
        opens_on=D(2026, 6, 19), closes_on=D(2026, 6, 30),
    )  # fmt: skip
    _round(
        office, "Phiếu khảo sát học viên sau khóa học", 17, 8.0, 5, D(2026, 10, 5),
        title="Học viên tốt nghiệp: hiệu quả sau 3 tháng", cohort=tc, phase="after", subject="effect",
        audience="graduates", anonymous=False, months_after=3, closes_on=D(2026, 12, 31),
    )  # fmt: skip
    _round(
        office, "Phiếu khảo sát cơ quan quản lý sau khóa học", 11, 7.8, 6, D(2026, 10, 12),
        title="Cơ quan quản lý: hiệu quả sau 3 tháng", cohort=tc, phase="after", subject="effect",
        audience="managers", anonymous=False, months_after=3, closes_on=D(2026, 12, 31),
    )  # fmt: skip
    if cv is not None:
        # Three answers of twenty: below the threshold of five, its results stay hidden.
        _round(
            office, "Phiếu đánh giá khóa học (học viên)", 3, 8.3, 7, D(2026, 10, 30),
            title="Đánh giá khóa học cuối khóa", cohort=cv, phase="end", subject="course",
            opens_on=D(2026, 10, 28), closes_on=D(2026, 11, 6),
        )  # fmt: skip
    # What the daily step would have done by now: the anonymous forms of closed rounds
    # written out of the pool.
    pool.flush_due()
