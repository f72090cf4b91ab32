"""The nomination import service: good files, idempotence, scope, and every way a file is refused."""

import datetime as dt
import io
import zipfile

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.accounts.scope import SYSTEM, scope_of
from daotao.admissions.importing import NOMINATIONS, ImportRejected, import_applications
from daotao.admissions.importing.columns import EDUCATION_LEVELS, GRADES, PARTY_STATUSES, RATINGS, THEORY_LEVELS
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    CivilServiceGrade,
    Decision,
    EducationLevel,
    PartyStatus,
    Rating,
    Status,
    TheoryLevel,
)
from daotao.admissions.tests.workbooks import HOSO, cccd, nomination, workbook
from daotao.admissions.tests.world import YEAR, AdmissionsTestCase, make_application
from daotao.lib.vietnamese import format_decimal
from daotao.people.models import NATIONAL_ID_MESSAGES


class ImportTestCase(AdmissionsTestCase):
    def counts(self):
        return Application.objects.count(), ApplicationDocument.objects.count()

    def imported(self, content: bytes, user=None, **options):
        return import_applications(content, year=YEAR, user=user or self.office, **options)

    def rejected(self, content: bytes, user=None, year=YEAR):
        """Import a file that must be refused; nothing may be written."""
        before = self.counts()
        with self.assertRaises(ImportRejected) as caught:
            import_applications(content, year=year, user=user or self.office)
        self.assertEqual(self.counts(), before)
        return caught.exception.problems

    def assertProblem(self, problems, message, row=None, column="", sheet="HoSo"):
        """One problem names this row, column (header; the letter may follow) and reason."""
        for problem in problems:
            if (problem.sheet, problem.row, problem.message) == (
                sheet if row or column else problem.sheet,
                row,
                message,
            ):
                if problem.column.split(" (")[0] == column:
                    return
        self.fail(f"no problem ({sheet}, {row}, {column}, {message!r}) in:\n" + "\n".join(map(str, problems)))


class GoodImportTests(ImportTestCase):
    def test_creates_checked_applications_with_their_documents(self):
        rows = [
            nomination("nguyễn văn an"),
            nomination("Trần Thị Bích", gender="female", born=dt.date(1990, 7, 1), **{"Mã địa phương": "X0101"}),
            nomination("Lê Văn Cường", **{"Hồ sơ đã nộp": "QD-CU", "Mã cơ quan": "SNV", "Mã địa phương": "H02"}),
        ]
        result = self.imported(workbook(rows))
        self.assertEqual((result.created, result.updated, result.unchanged, result.documents), (3, 0, 0, 13))
        an = Application.objects.get(national_id=rows[0]["Số CCCD"])
        self.assertEqual(an.full_name, "Nguyễn Văn An")
        self.assertEqual((an.plan.year, an.program, an.locality), (YEAR, self.tc, self.h01))
        self.assertEqual(an.party_status, PartyStatus.FULL)
        self.assertEqual(an.party_joined_on, dt.date(2012, 5, 19))
        self.assertEqual(an.education_level, EducationLevel.UNIVERSITY)
        self.assertEqual(an.theory_level, TheoryLevel.ELEMENTARY)
        self.assertEqual(an.grade, CivilServiceGrade.SPECIALIST)
        self.assertEqual((an.rating_last_year, an.rating_year_before), (Rating.GOOD, Rating.EXCELLENT))
        self.assertEqual(an.position_category.code, "PHO-PHONG")
        self.assertEqual(an.submitted_by, self.office)
        self.assertEqual(an.status, Status.ELIGIBLE)
        cuong = Application.objects.get(national_id=rows[2]["Số CCCD"])
        self.assertEqual((cuong.agency, cuong.status), (self.agency, Status.INCOMPLETE))
        self.assertIn("SYLL", cuong.missing_documents)

    def test_importing_the_same_file_again_changes_nothing(self):
        content = workbook([nomination("Nguyễn Văn An"), nomination("Phạm Văn Bảo")])
        self.imported(content)
        stamps = list(Application.objects.values_list("pk", "updated_at", "status"))
        again = self.imported(content)
        self.assertEqual((again.created, again.updated, again.unchanged, again.documents), (0, 0, 2, 0))
        self.assertEqual(list(Application.objects.values_list("pk", "updated_at", "status")), stamps)
        self.assertEqual(ApplicationDocument.objects.count(), 12)

    def test_updates_a_pending_application_and_adds_documents(self):
        application = make_application(self.tc, self.h01, received=["QD-CU"], rating_last_year=Rating.COMPLETED)
        row = nomination(
            application.full_name,
            born=application.date_of_birth,
            nid=application.national_id,
            **{"Xếp loại năm trước": "Hoàn thành tốt nhiệm vụ", "Ngày vào Đảng": "19/05/2012", "Ghi chú": ""},
        )
        result = self.imported(workbook([row]))
        self.assertEqual((result.created, result.updated, result.documents), (0, 1, 5))
        application.refresh_from_db()
        self.assertEqual(application.rating_last_year, Rating.GOOD)
        self.assertEqual(application.status, Status.ELIGIBLE)
        self.assertEqual(application.documents.filter(received=True).count(), 6)

    def test_a_document_on_record_not_yet_received_is_marked_received(self):
        application = make_application(self.tc, self.h01, received=["QD-CU"])
        waiting = ApplicationDocument.objects.create(application=application, document_type=self.documents["SYLL"])
        self.assertEqual(Application.objects.get(pk=application.pk).status, Status.INCOMPLETE)
        row = nomination(
            application.full_name,
            born=application.date_of_birth,
            nid=application.national_id,
            **{"Hồ sơ đã nộp": "QD-CU, SYLL", "Ngày vào Đảng": "19/05/2012"},
        )
        result = self.imported(workbook([row]))
        self.assertEqual((result.updated, result.documents), (1, 1))
        waiting.refresh_from_db()
        self.assertEqual((waiting.received, waiting.received_on), (True, timezone.localdate()))
        self.assertEqual(application.documents.count(), 2)  # marked, not inserted again
        self.assertNotIn("SYLL", Application.objects.get(pk=application.pk).missing_documents)
        self.assertEqual(self.imported(workbook([row])).unchanged, 1)

    def test_empty_optional_cells_keep_what_is_on_record(self):
        application = make_application(self.tc, self.h01, phone="0987654321", notes="Đã phỏng vấn")
        row = nomination(
            application.full_name,
            born=application.date_of_birth,
            nid=application.national_id,
            **{"Điện thoại": None, "Ghi chú": None, "Hồ sơ đã nộp": None, "Đơn vị công tác": None},
            **{"Trình độ lý luận chính trị": None},
        )
        self.assertEqual(self.imported(workbook([row])).unchanged, 1)
        application.refresh_from_db()
        self.assertEqual((application.phone, application.notes), ("0987654321", "Đã phỏng vấn"))

    def test_dry_run_counts_and_writes_nothing(self):
        before = self.counts()
        result = self.imported(workbook([nomination(), nomination("Lê Thị Hoa", gender="female")]), dry_run=True)
        self.assertEqual((result.created, result.dry_run), (2, True))
        self.assertEqual(self.counts(), before)

    def test_headers_after_a_title_in_any_order_with_aliases(self):
        columns = [("STT", "STT"), ("Họ tên", "Họ và tên"), *[h for h in HOSO if h != "Họ và tên"]]
        result = self.imported(workbook([nomination()], columns=columns, title_rows=2))
        self.assertEqual(result.created, 1)

    def test_the_system_user_imports_anything(self):
        result = import_applications(workbook([nomination(**{"Mã địa phương": "H03"})]), year=YEAR, user=SYSTEM)
        self.assertEqual(result.created, 1)
        self.assertIsNone(Application.objects.get().submitted_by)

    def test_progress_is_reported_up_to_the_end(self):
        calls = []
        self.imported(
            workbook([nomination(f"Nguyễn Văn {name}") for name in "ABCDE"]), progress=lambda *a: calls.append(a)
        )
        self.assertEqual(calls[0], (0, 10))
        self.assertEqual(calls[-1], (10, 10))
        self.assertEqual(calls, sorted(calls))

    def test_lookups_take_a_fixed_number_of_queries(self):
        scope_of(self.office)  # the user's roles, read once per request

        def queries(count):
            content = workbook([nomination(f"Nguyễn Văn {i}") for i in range(count)])
            with CaptureQueriesContext(connection) as captured:
                self.imported(content, dry_run=True)
            return len(captured)

        self.assertEqual(queries(3), 8)  # plan, programs, positions, documents, checklists, units, applications x2
        self.assertEqual(queries(60), 8)

    def test_choice_labels_cover_every_model_choice(self):
        for choices, model in (
            (PARTY_STATUSES, PartyStatus),
            (EDUCATION_LEVELS, EducationLevel),
            (THEORY_LEVELS, TheoryLevel),
            (RATINGS, Rating),
            (GRADES, CivilServiceGrade),
        ):
            self.assertEqual(set(choices.labels), set(model.values), model)


class ScopeTests(ImportTestCase):
    def test_a_coordinator_imports_their_locality_and_below(self):
        rows = [nomination(), nomination("Lê Thị Hoa", gender="female", **{"Mã địa phương": "X0101"})]
        self.assertEqual(self.imported(workbook(rows), user=self.coordinator).created, 2)

    def test_a_coordinator_cannot_import_another_locality(self):
        rows = [nomination(), nomination("Lê Thị Hoa", gender="female", **{"Mã địa phương": "H02"})]
        problems = self.rejected(workbook(rows), user=self.coordinator)
        self.assertProblem(
            problems,
            _("Your account may nominate only for its own locality and the units below it."),
            3,
            "Mã địa phương",
        )
        self.assertEqual(len(problems), 1)

    def test_an_agency_imports_its_own_staff_and_an_empty_agency_is_its_own(self):
        rows = [
            nomination(**{"Mã địa phương": "H02"}),
            nomination("Lê Thị Hoa", gender="female", **{"Mã cơ quan": "SNV"}),
        ]
        self.assertEqual(self.imported(workbook(rows), user=self.agency_user).created, 2)
        self.assertEqual(set(Application.objects.values_list("agency__code", flat=True)), {"SNV"})

    def test_an_agency_cannot_import_another_agencys_staff(self):
        problems = self.rejected(workbook([nomination(**{"Mã cơ quan": "STC"})]), user=self.agency_user)
        self.assertProblem(problems, _("Your account may nominate only the staff of its own agency."), 2, "Mã cơ quan")

    def test_the_board_and_users_without_a_role_may_not_import(self):
        for user in (self.board, self.nobody, self.unscoped):
            problems = self.rejected(workbook([nomination()]), user=user)
            self.assertEqual([p.message for p in problems], [_("Your account may not nominate candidates.")])

    def test_a_candidate_nominated_by_another_locality_is_refused(self):
        other = make_application(self.tc, self.h02)
        row = nomination(other.full_name, born=other.date_of_birth, nid=other.national_id)
        problems = self.rejected(workbook([row]), user=self.coordinator)
        self.assertProblem(
            problems,
            _("This candidate is already nominated for %(program)s in %(year)s by another locality or agency.")
            % {"program": "TC-LLCT-HC", "year": YEAR},
            2,
            "Số CCCD",
        )

    def test_a_decided_application_is_not_changed(self):
        decided = make_application(self.tc, self.h01)
        Application.objects.filter(pk=decided.pk).update(decision=Decision.REJECTED, decision_reason="Không đủ")
        row = nomination(decided.full_name, born=decided.date_of_birth, nid=decided.national_id)
        problems = self.rejected(workbook([row]))
        self.assertProblem(
            problems,
            _("The nomination of this candidate for %(program)s in %(year)s is already decided (%(decision)s).")
            % {"program": "TC-LLCT-HC", "year": YEAR, "decision": str(Decision.REJECTED.label).lower()},
            2,
            "Số CCCD",
        )


class BrokenWorkbookTests(ImportTestCase):
    """The corpus of broken workbooks: each refused with a clear message, nothing written."""

    def test_no_plan_for_the_year(self):
        problems = self.rejected(workbook([nomination()]), year=2031)
        self.assertProblem(
            problems,
            _("There is no annual plan for %(year)s: the training office must create it first.") % {"year": 2031},
        )

    def test_missing_and_wrong_headers(self):
        columns = [h for h in HOSO if h not in ("Số CCCD", "Ngày sinh")] + ["Ngày  sinh (*)"]
        problems = self.rejected(workbook([nomination()], columns=columns))
        message = ngettext(
            "The required column %(columns)s is missing.", "The required columns %(columns)s are missing.", 1
        )
        self.assertProblem(problems, message % {"columns": "Số CCCD"}, 1)
        self.assertEqual(len(problems), 1)

    def test_a_column_twice(self):
        problems = self.rejected(workbook([nomination()], columns=[*HOSO, ("CCCD", "Số CCCD")]))
        message = _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
        self.assertProblem(problems, message % {"column": "Số CCCD", "first": "F", "second": "AA"}, 1)

    def test_no_sheet_of_that_name(self):
        problems = self.rejected(workbook([nomination()], sheet="Sheet1"))
        self.assertProblem(problems, _("The workbook has no sheet named %(sheet)s.") % {"sheet": "HoSo"}, sheet="")

    def test_an_empty_sheet(self):
        problems = self.rejected(workbook([], columns=[]))
        self.assertProblem(problems, _("The sheet is empty."))

    def test_headers_without_rows(self):
        problems = self.rejected(workbook([]))
        self.assertProblem(problems, _("The sheet has no data rows below its header."), 1)

    def test_bad_dates(self):
        rows = [
            nomination(**{"Ngày sinh": "31/02/1985"}),
            nomination("Lê Văn Bảo", **{"Ngày vào Đảng": "hôm qua"}),
            nomination("Lê Văn Cường", **{"Ngày sinh": dt.datetime(2090, 1, 1)}),
        ]
        problems = self.rejected(workbook(rows))
        not_a_date = _("“%(value)s” is not a date: write it as dd/mm/yyyy.")
        self.assertProblem(problems, not_a_date % {"value": "31/02/1985"}, 2, "Ngày sinh")
        self.assertProblem(problems, not_a_date % {"value": "hôm qua"}, 3, "Ngày vào Đảng")
        self.assertProblem(problems, _("The date of birth must be in the past."), 4, "Ngày sinh")

    def test_invalid_national_ids(self):
        rows = [
            nomination(nid="12345"),
            nomination("Lê Văn Bảo", nid=cccd(dt.date(1970, 1, 1))),
            nomination("Lê Thị Cúc", nid=cccd(dt.date(1986, 3, 9), "female"), gender="male"),
        ]
        problems = self.rejected(workbook(rows))
        self.assertProblem(problems, str(NATIONAL_ID_MESSAGES["format"]), 2, "Số CCCD")
        self.assertProblem(problems, str(NATIONAL_ID_MESSAGES["birth_year"]), 3, "Số CCCD")
        self.assertProblem(problems, str(NATIONAL_ID_MESSAGES["gender"]), 4, "Số CCCD")

    def test_duplicate_national_ids_in_the_file(self):
        number = cccd()
        rows = [nomination(nid=number), nomination("Lê Văn Bảo"), nomination("Nguyễn Văn Ân", nid=number)]
        problems = self.rejected(workbook(rows))
        self.assertProblem(problems, _("This national ID is already on row %(row)s.") % {"row": 2}, 4, "Số CCCD")

    def test_unknown_codes(self):
        rows = [
            nomination(**{"Mã chương trình": "TC-XYZ"}),
            nomination("Lê Văn Bảo", **{"Mã địa phương": "H99"}),
            nomination("Lê Văn Cường", **{"Mã địa phương": "SNV"}),
            nomination("Lê Văn Dũng", **{"Mã cơ quan": "H02"}),
            nomination("Lê Văn Em", **{"Mã loại chức vụ": "GIAM-DOC"}),
            nomination("Lê Văn Giang", **{"Hồ sơ đã nộp": "QD-CU, ABC"}),
            nomination("Lê Văn Hải", **{"Hồ sơ đã nộp": "CC-CV"}),
        ]
        problems = self.rejected(workbook(rows))
        self.assertProblem(problems, _("Unknown program code “%(code)s”.") % {"code": "TC-XYZ"}, 2, "Mã chương trình")
        self.assertProblem(problems, _("Unknown unit code “%(code)s”.") % {"code": "H99"}, 3, "Mã địa phương")
        unit = {"code": "SNV", "name": "Sở Nội vụ"}
        self.assertProblem(problems, _("The unit “%(code)s” (%(name)s) is not a locality.") % unit, 4, "Mã địa phương")
        unit = {"code": "H02", "name": "Thị xã Phú Mỹ"}
        message = _("The unit “%(code)s” (%(name)s) is not a sending agency.")
        self.assertProblem(problems, message % unit, 5, "Mã cơ quan")
        message = _("Unknown position category code “%(code)s”; use one of: %(codes)s.")
        codes = "CAP-UY, CONG-AN, CONG-CHUC-XA, DOANH-NGHIEP, KHAC, PHO-PHONG, QUAN-DOI"
        self.assertProblem(problems, message % {"code": "GIAM-DOC", "codes": codes}, 6, "Mã loại chức vụ")
        message = _("Unknown document code “%(code)s”; use one of: %(codes)s.")
        codes = "BANG, CC-CV, DANG-VIEN, DANH-GIA, QD-CU, QD-NGACH, QUY-HOACH, SUC-KHOE, SYLL"
        self.assertProblem(problems, message % {"code": "ABC", "codes": codes}, 7, "Hồ sơ đã nộp")
        message = _("The document “%(code)s” is not on the dossier checklist of %(program)s.")
        self.assertProblem(problems, message % {"code": "CC-CV", "program": "TC-LLCT-HC"}, 8, "Hồ sơ đã nộp")

    def test_bad_choices_and_model_rules(self):
        rows = [
            nomination(**{"Hình thức": "Từ xa"}),
            nomination("Lê Văn Bảo", **{"Đảng viên": "Không", "Ngày vào Đảng": "19/05/2012"}),
            nomination("Lê Văn Cường", **{"Mã chức vụ quy hoạch": "CAP-UY"}),
            nomination("Lê Văn Dũng", **{"Email": "khong-phai-email"}),
        ]
        problems = self.rejected(workbook(rows))
        message = _("“%(value)s” is not an accepted value; use one of: %(choices)s.") % {
            "value": "Từ xa",
            "choices": "Tập trung, Không tập trung, concentrated, non_concentrated",
        }
        self.assertProblem(problems, message, 2, "Hình thức")
        self.assertProblem(
            problems, _("A candidate who is not a Party member has no date of joining."), 3, "Ngày vào Đảng"
        )
        self.assertProblem(
            problems,
            _("A planned position is given only for a candidate in the planning pool."),
            4,
            "Mã chức vụ quy hoạch",
        )
        message = _("“%(value)s” is not a valid email address.") % {"value": "khong-phai-email"}
        self.assertProblem(problems, message, 5, "Email")

    def test_formulas_in_cells(self):
        def edit(sheet):
            sheet["G2"] = '=CONCATENATE("Nguyễn ","Văn An")'
            sheet["H3"] = "=DATE(1986,3,9)"

        problems = self.rejected(workbook([nomination(), nomination("Lê Văn Bảo")], edit=edit))
        formula = _("The cell holds a formula (%(formula)s): type its value instead.")
        self.assertProblem(problems, formula % {"formula": '=CONCATENATE("Nguyễn ","Văn An")'}, 2, "Họ và tên")
        self.assertProblem(problems, formula % {"formula": "=DATE(1986,3,9)"}, 3, "Ngày sinh")

    def test_a_formula_behind_spaces_is_refused_like_a_formula(self):
        """`` =HYPERLINK(...)`` is text in the cell, but would be stored as a formula once its
        spaces are stripped: refused like one (exports neutralise what is on record)."""
        link = '=HYPERLINK("http://example.com","Bấm vào")'
        problems = self.rejected(workbook([nomination(**{"Chức vụ": "  " + link}), nomination(**{"Ghi chú": "a = b"})]))
        formula = _("The cell holds a formula (%(formula)s): type its value instead.")
        self.assertProblem(problems, formula % {"formula": link[:40]}, 2, "Chức vụ")
        self.assertEqual(len(problems), 1)  # an equals sign inside the text is fine

    def test_merged_cells(self):
        def edit(sheet):
            sheet.insert_rows(1)
            sheet["A1"] = "DANH SÁCH"
            sheet.merge_cells("A1:F1")  # a merged title above the header is fine
            sheet.merge_cells("B3:C3")

        problems = self.rejected(workbook([nomination(), nomination("Lê Văn Bảo")], edit=edit))
        message = _("The cells %(cells)s are merged: unmerge them and fill in every cell.") % {"cells": "B3:C3"}
        self.assertProblem(problems, message, 3, "Hình thức")
        self.assertEqual(len(problems), 1)

    def test_not_an_xlsx(self):
        problems = self.rejected("Họ và tên;Số CCCD\nNguyễn Văn An;052086000001\n".encode())
        self.assertProblem(problems, _("The file is not an Excel workbook (.xlsx)."), sheet="")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as other:
            other.writestr("word/document.xml", "<w:document/>")
        self.assertProblem(self.rejected(archive.getvalue()), _("The file is not an Excel workbook (.xlsx)."), sheet="")

    @override_settings(DAOTAO_MAX_IMPORT_BYTES=2_000)
    def test_a_file_too_large(self):
        content = workbook([nomination()])
        problems = self.rejected(content)
        message = _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
        self.assertProblem(problems, message % {"size": format_decimal(len(content) / 1_048_576, 1), "limit": "0,0"})

    def test_every_bad_row_is_listed(self):
        rows = [nomination(**{"Ngày sinh": "x"}), nomination("B"), nomination("C", **{"Mã địa phương": "H99"})]
        problems = self.rejected(workbook(rows))
        self.assertEqual({p.row for p in problems}, {2, 4})
        self.assertTrue(all(p.sheet == NOMINATIONS.name for p in problems))
