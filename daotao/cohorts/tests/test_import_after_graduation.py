"""Re-importing a class's workbook after its graduation decision: an import never undoes a
later decision, and says so (the service, the page's job with and without "only check",
the command)."""

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.cohorts.importing import cohorts_import
from daotao.cohorts.importing.results import KEPT_LISTED, ImportResult
from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from daotao.cohorts.tests.workbooks import cccd, cohort_row, student_row, workbook
from daotao.grading import graduation, register
from daotao.grading.models import Credential, CredentialStatus, Grade, GraduationEntry
from daotao.lib.xlsx import CONTENT_TYPE
from daotao.people.models import Student
from daotao.programs.models import Assessment
from daotao.testing import WorldTestCase, make_module
from daotao.web.import_results import ImportProblem

CODE = "CV-2026-01"
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
NIDS = [cccd() for _name in NAMES]


def class_file(statuses=("Đang học",) * 4, cohort_status="Đang học", extra=(), phone="0912345678") -> bytes:
    """The workbook that made the class: four students, each with the status given."""
    cohort = cohort_row(CODE, **{"Mã chương trình": "BD-CV", "Trạng thái": cohort_status, "Năm kế hoạch": 2026})
    cohort.update({"Ngày khai giảng": dt.datetime(2026, 3, 2), "Ngày bế giảng": "30/06/2026"})
    students = [
        student_row(CODE, name, nid=NIDS[index], **{"Trạng thái": status, "Điện thoại": phone})
        for index, (name, status) in enumerate(zip(NAMES, statuses, strict=True))
    ]
    return workbook([cohort], students + list(extra))


class ReimportAfterGraduationTests(WorldTestCase):
    """An, Bình graduate (An has her certificate), Cường withdrew before the decision and
    Dung still studies (a retake); the class is closed. Then the first file comes back."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        program = cls.programs["BD-CV"]
        make_module(program, "CV1", 8, (("Kiểm tra", "test", 100, False),))
        cohorts_import(class_file())
        cls.cohort = Cohort.objects.get(code=CODE)
        cls.enrollments = {e.student.full_name: e for e in cls.cohort.enrollments.select_related("student")}
        assessment = Assessment.objects.get(module__program=program)
        for name in NAMES[:2]:
            Grade.objects.create(enrollment=cls.enrollments[name], assessment=assessment, score=Decimal("8.0"))
        Enrollment.objects.filter(pk=cls.enrollments[NAMES[2]].pk).update(status=EnrollmentStatus.WITHDRAWN)
        cls.decision = graduation.graduation_decide(
            user=cls.office, cohort=cls.cohort, number="12/QĐ-TCT", date=dt.date(2026, 7, 1)
        )
        cls.credential = register.credential_issue(
            user=cls.office, enrollment=cls.enrollments[NAMES[0]], issued_on=dt.date(2026, 7, 6)
        )
        Cohort.objects.filter(pk=cls.cohort.pk).update(status=CohortStatus.CLOSED)

    def statuses(self):
        return dict(self.cohort.enrollments.values_list("student__full_name", "status"))

    def expected_statuses(self):
        return {
            NAMES[0]: EnrollmentStatus.COMPLETED,
            NAMES[1]: EnrollmentStatus.COMPLETED,
            NAMES[2]: EnrollmentStatus.WITHDRAWN,
            NAMES[3]: EnrollmentStatus.STUDYING,
        }

    def kept_lines(self):
        graduates = ngettext(
            "%(count)s graduated student kept the status “Completed”: an import never undoes a graduation decision.",
            "%(count)s graduated students kept the status “Completed”: an import never undoes a graduation decision.",
            2,
        ) % {"count": 2}
        leavers = ngettext(
            "%(count)s student who left the class before its graduation decision kept their status.",
            "%(count)s students who left their class before its graduation decision kept their status.",
            1,
        ) % {"count": 1}
        classes = ngettext(
            "%(count)s class with a graduation decision kept its status.",
            "%(count)s classes with a graduation decision kept their status.",
            1,
        ) % {"count": 1}
        return [graduates, leavers, classes]

    def assert_decisions_stand(self):
        self.assertEqual(self.statuses(), self.expected_statuses())
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).status, CohortStatus.CLOSED)
        self.assertEqual(GraduationEntry.objects.filter(decision=self.decision).count(), 2)
        credential = Credential.objects.get()
        self.assertEqual(
            (credential.pk, credential.status, credential.serial_number, credential.enrollment_id),
            (self.credential.pk, CredentialStatus.VALID, self.credential.serial_number, self.credential.enrollment_id),
        )

    def test_graduates_keep_their_status_and_the_result_says_so(self):
        result = cohorts_import(class_file())
        self.assert_decisions_stand()
        self.assertEqual((result.kept_graduates, result.kept_leavers, result.kept_classes), (2, 1, 1))
        self.assertEqual((result.enrollments.updated, result.enrollments.unchanged), (0, 4))
        lines = result.lines()
        for line in self.kept_lines():
            self.assertIn(line, lines)
        an = _("%(name)s graduated by decision %(number)s: the status stays “%(kept)s” (the file says “%(file)s”).") % {
            "name": NAMES[0],
            "number": "12/QĐ-TCT",
            "kept": EnrollmentStatus.COMPLETED.label,
            "file": EnrollmentStatus.STUDYING.label,
        }
        self.assertIn(
            _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s")
            % {"sheet": "HocVien", "row": 2, "column": "Trạng thái (M)", "message": an},
            lines,
        )
        cuong = _(
            "%(name)s had left the class before its graduation decision: the status stays “%(kept)s” "
            "(the file says “%(file)s”)."
        ) % {"name": NAMES[2], "kept": EnrollmentStatus.WITHDRAWN.label, "file": EnrollmentStatus.STUDYING.label}
        self.assertTrue(any(line.endswith(cuong) for line in lines), lines)
        closed = _(
            "The class %(code)s has a graduation decision: its status stays “%(kept)s” (the file says “%(file)s”)."
        ) % {"code": CODE, "kept": CohortStatus.CLOSED.label, "file": CohortStatus.OPEN.label}
        self.assertTrue(any(line.endswith(closed) for line in lines), lines)

    def test_a_dry_run_says_the_same_and_writes_nothing(self):
        result = cohorts_import(class_file(), dry_run=True)
        self.assert_decisions_stand()
        self.assertEqual(result.lines()[0], _("The file is valid; nothing was written (check only)."))
        for line in self.kept_lines():
            self.assertIn(line, result.lines())

    def test_what_no_decision_settled_is_still_imported(self):
        """The student still studying may withdraw, a new student may join, the graduates'
        other data (their phone) is updated, and the file may close the class."""
        newcomer = student_row(CODE, "Hoàng Văn Em", nid=cccd(), **{"Trạng thái": "Đang học"})
        statuses = ("Đang học", "Hoàn thành", "Thôi học", "Thôi học")
        result = cohorts_import(class_file(statuses, "Đã kết thúc", extra=[newcomer], phone="0987654321"))
        self.assertEqual((result.kept_graduates, result.kept_leavers, result.kept_classes), (1, 0, 0))
        expected = {**self.expected_statuses(), NAMES[3]: EnrollmentStatus.WITHDRAWN}
        expected["Hoàng Văn Em"] = EnrollmentStatus.STUDYING
        self.assertEqual(self.statuses(), expected)
        self.assertEqual(Student.objects.get(national_id=NIDS[0]).phone, "0987654321")

    def test_a_reopened_class_is_kept_closed_but_may_stay_open_until_closed(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(status=CohortStatus.OPEN)
        result = cohorts_import(class_file(cohort_status="Dự kiến"))
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).status, CohortStatus.OPEN)
        self.assertEqual(result.kept_classes, 1)
        result = cohorts_import(class_file(cohort_status="Đã kết thúc"))
        self.assertEqual(Cohort.objects.get(pk=self.cohort.pk).status, CohortStatus.CLOSED)
        self.assertEqual(result.kept_classes, 0)

    def test_the_page_shows_the_message_checked_or_imported(self):
        self.client.force_login(self.office)
        for data in ({"dry_run": "on"}, {}):
            upload = SimpleUploadedFile("lop.xlsx", class_file(), content_type=CONTENT_TYPE)
            response = self.client.post(reverse("cohorts:import"), {"workbook": upload, **data}, follow=True)
            for line in self.kept_lines():
                self.assertContains(response, line)
            self.assert_decisions_stand()

    def test_the_command_prints_the_message(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "lop.xlsx"
            path.write_bytes(class_file())
            out = io.StringIO()
            call_command("import_cohorts", str(path), stdout=out, stderr=io.StringIO())
        for line in self.kept_lines():
            self.assertIn(line, out.getvalue())
        self.assert_decisions_stand()

    def test_only_the_first_rows_are_named(self):
        result = ImportResult()
        for row in range(KEPT_LISTED + 3):
            result.keep("kept_graduates", ImportProblem("x", "HocVien", row + 2))
        self.assertEqual(len(result.kept), KEPT_LISTED)
        more = ngettext("… and %(count)s more row kept.", "… and %(count)s more rows kept.", 3) % {"count": 3}
        self.assertEqual(result.kept_lines()[-1], more)
