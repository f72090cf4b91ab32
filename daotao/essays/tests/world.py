"""The essays test world: the teaching world plus a graduation module in the Trung cấp
program, a third lecturer who grades (``grader``, account gv3), an approved topic of the
bank (``issue``, of the commune X0101 below H01) and builders of essays at each step."""

from __future__ import annotations

import datetime as dt

from daotao.accounts import roles
from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus
from daotao.programs.models import ModuleKind
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_lecturer, make_module, make_user

TEXT = (
    "Sinh hoạt chi bộ là hình thức cơ bản để lãnh đạo, giáo dục, quản lý đảng viên. Chất lượng sinh hoạt chi bộ "
    "ở các thôn, khu phố đã có chuyển biến, song nội dung còn chung chung, ít thảo luận vấn đề cụ thể của địa phương. "
    "Tiểu luận đề xuất bồi dưỡng kỹ năng chủ trì cho bí thư chi bộ và đổi mới nội dung sinh hoạt theo chuyên đề."
)
OTHER_TEXT = (
    "Các cơ sở chế biến hải sản nhỏ lẻ ven biển gây ô nhiễm nguồn nước, ảnh hưởng đời sống nhân dân và hoạt động "
    "du lịch. Tiểu luận kiến nghị quy hoạch cụm chế biến tập trung, hỗ trợ vốn di dời và tăng cường giám sát."
)
TITLE = "Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố"


class EssayWorldTestCase(TeachingWorldTestCase):
    """Adds ``graduation`` (the Trung cấp graduation module), ``grader`` (gv3, not teaching
    the class), ``issue`` (approved, X0101, 2026), ``proposal`` (proposed by the H01
    coordinator, 2026), ``commune_coordinator`` (X0101) and ``own`` (the student's enrollment)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.graduation = make_module(
            cls.tc, "TN", 0, (("Tiểu luận tốt nghiệp", "essay", 100, True),), kind=ModuleKind.GRADUATION
        )
        cls.grader = make_lecturer("Phạm Văn Chấm", cls.faculty, "gv3")
        cls.grader_user = cls.grader.user
        cls.issue = services.local_issue_propose(
            user=cls.coordinator, locality=cls.x01, title="Chuyển đổi số ở phường Nam Sơn", year=2026
        )
        services.local_issue_approve(user=cls.office, issue=cls.issue)
        cls.proposal = services.local_issue_propose(
            user=cls.coordinator, locality=cls.h01, title="Giảm nghèo bền vững ở thành phố Bình An", year=2026
        )
        cls.commune_coordinator = make_user("coord-x", roles.LOCALITY_COORDINATOR, cls.x01)
        cls.own = cls.enrollments[0]


def register(test, enrollment=None, **kwargs) -> Essay:
    """A topic registered by the office for ``enrollment`` (the student's own by default)."""
    return services.essay_register(user=test.office, enrollment=enrollment or test.own, **kwargs)


def assigned(test, enrollment=None, title=None, supervisor=None) -> Essay:
    """An approved essay with supervisor ``lecturer``, graders ``other_lecturer`` and ``grader``."""
    essay = register(test, enrollment, local_issue=None if title else test.issue, title=title)
    if essay.status == EssayStatus.REGISTERED:
        services.essay_topic_decide(user=test.office, essay=essay, approve=True)
    return services.essay_assign(
        user=test.office,
        essay=essay,
        supervisor=supervisor or test.lecturer,
        first_grader=test.other_lecturer,
        second_grader=test.grader,
    )


def submitted(test, enrollment=None, text=TEXT, title=None) -> Essay:
    essay = assigned(test, enrollment, title=title)
    return services.essay_submit(user=test.office, essay=essay, text=text)


def graded(test, first, second, enrollment=None) -> Essay:
    essay = submitted(test, enrollment)
    services.essay_grade(user=test.other_lecturer_user, essay=essay, grader=test.other_lecturer, score=first)
    return services.essay_grade(user=test.grader_user, essay=essay, grader=test.grader, score=second)


def old_essay(test, title, text="", year=2019, host=None) -> Essay:
    """A graded essay of a class of an earlier year (records kept as they were)."""
    cohort = make_cohort(
        f"TC{year}-{Essay.objects.count()}", test.tc, host or test.h02, dt.date(year, 3, 4), dt.date(year + 1, 9, 30)
    )
    (enrollment,) = enroll(cohort, 1)
    return Essay.objects.create(enrollment=enrollment, title=title, text=text, status=EssayStatus.GRADED)


def queries(test, url) -> int:
    """How many queries a GET of ``url`` runs (after a first, warming request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    test.assertEqual(test.client.get(url).status_code, 200)
    with CaptureQueriesContext(connection) as context:
        test.assertEqual(test.client.get(url).status_code, 200)
    return len(context.captured_queries)
