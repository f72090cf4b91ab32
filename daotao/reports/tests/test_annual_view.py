"""The yearly report page and its downloads: figures, scope, access, bad input, query count."""

import datetime as dt
import io

import openpyxl
import time_machine
from django.urls import reverse
from docx import Document

from daotao.cohorts.models import Cohort
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.reports.tests.world import H01_FIGURES, SCHOOL_FIGURES, ReportWorldTestCase
from daotao.testing import enroll, make_cohort
from daotao.testing_documents import pdf_lines, pdf_text

URL = reverse("reports:annual")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download_url(year, fmt, template="coordination-yearly"):
    return reverse("reports:annual_download", args=[year, fmt]) + f"?template={template}"


class AnnualReportPageTests(ReportWorldTestCase):
    def login(self, user):
        self.client.force_login(user)

    def test_office_sees_the_whole_school(self):
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020})
        self.assertEqual(response.status_code, 200)
        report = response.context["report"]
        self.assertEqual(self.figures(report), SCHOOL_FIGURES)
        self.assertEqual(response.context["scope_name"], "")
        self.assertContains(response, "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ năm 2020")
        self.assertContains(response, "mở 10 lớp Trung cấp lý luận chính trị")  # the summary paragraph
        self.assertContains(response, '<td class="num">10</td><td class="num">1.070</td>', html=False)
        self.assertContains(response, '<tr class="level-1"><td>Trong đó: được hỗ trợ kinh phí đào tạo</td>'
                                      '<td class="num">07</td><td class="num">70</td></tr>')  # fmt: skip
        self.assertContains(response, "Thị xã Phú Mỹ")

    def test_quota_table_marks_what_is_not_met(self):
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020})
        self.assertEqual(len(response.context["report"].unmet_locality_names), 2)
        self.assertContains(response, '<tr class="unmet">', count=2)
        self.assertContains(response, 'class="badge bad"', count=2)
        self.assertContains(response, 'class="badge ok"', count=1)
        self.assertContains(response, '<td class="num">83,33%</td>')
        self.assertContains(response, '<td class="num">1.200</td><td class="num">1.000</td>')

    def test_coordinator_sees_only_their_locality(self):
        self.login(self.coordinator)
        response = self.client.get(URL, {"year": 2020})
        self.assertEqual(self.figures(response.context["report"]), H01_FIGURES)
        self.assertEqual(response.context["scope_name"], self.h01.name)
        self.assertContains(response, self.h01.name)
        self.assertNotContains(response, "Thị xã Phú Mỹ")
        self.assertNotContains(response, "1.070")
        self.assertEqual([row.locality_code for row in response.context["report"].quota], ["H01"])

    def test_the_other_coordinator_sees_theirs(self):
        self.login(self.other_coordinator)
        report = self.client.get(URL, {"year": 2020}).context["report"]
        self.assertEqual(self.figures(report)["tc_opened"], (3, 1000))
        self.assertEqual(self.figures(report)["tc_carried_over"], (0, 0))

    def test_default_year_is_the_last_with_classes_the_user_sees(self):
        make_cohort("TC21-H02", self.programs["TC-LLCT-HC"], self.h02, dt.date(2021, 2, 1))
        self.login(self.office)
        response = self.client.get(URL)
        self.assertEqual(response.context["report"].year, 2021)
        self.assertEqual(response.context["form"]["template"].value(), "coordination-yearly")
        self.login(self.coordinator)
        self.assertEqual(self.client.get(URL).context["report"].year, 2020)

    @time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    def test_default_year_without_classes_is_this_year(self):
        Cohort.objects.all().delete()
        self.login(self.office)
        self.assertEqual(self.client.get(URL).context["report"].year, 2026)

    def test_choosing_another_template(self):
        template = ReportTemplate.objects.create(code="bd-cv", name="Bồi dưỡng chuyên viên", title="Bồi dưỡng {year}")
        ReportLine.objects.create(
            template=template, key="cv", label="Lớp chuyên viên năm {year}", relation="opened", program_codes="BD-CV"
        )
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020, "template": "bd-cv"})
        self.assertContains(response, "Lớp chuyên viên năm 2020")
        self.assertEqual(self.figures(response.context["report"]), {"cv": (1, 40)})
        self.assertContains(response, download_url(2020, "xlsx", "bd-cv"))
        self.assertContains(response, '<option value="bd-cv" selected>Bồi dưỡng chuyên viên</option>', html=True)

    def test_download_links(self):
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020})
        self.assertContains(response, f'href="{download_url(2020, "xlsx")}"')
        self.assertContains(response, f'href="{download_url(2020, "docx")}"')

    def test_bad_input_redisplays_the_form(self):
        self.login(self.office)
        for params, field in (
            ({"year": "abc"}, "year"),
            ({"year": ""}, "year"),
            ({"year": 1800}, "year"),
            ({"year": 20200}, "year"),
            ({"year": 2020, "template": "khong-co"}, "template"),
            ({"year": 2020, "template": ""}, "template"),
        ):
            with self.subTest(params=params):
                response = self.client.get(URL, params)
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["report"])
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, 'class="errorlist"')
                self.assertNotContains(response, "reports/annual/2020.xlsx")

    def test_a_broken_template_is_an_error_not_a_500(self):
        template = ReportTemplate.objects.create(code="hong", name="Hỏng", title="Hỏng {year}")
        ReportLine.objects.create(template=template, key="x", label="x", relation="opened", program_codes="KHONG-CO")
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020, "template": "hong"})
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["report"])
        self.assertContains(response, "KHONG-CO")

    def test_a_stored_summary_that_cannot_be_filled_is_an_error_not_a_500(self):
        ReportTemplate.objects.create(code="hong", name="Hỏng", title="Năm {year}", summary="{year[0]} {gone.classes}")
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020, "template": "hong"})
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["report"])
        self.assertIn("“hong”", response.context["form"].errors["template"][0])
        response = self.client.get(download_url(2020, "xlsx", "hong"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("template", response.context["form"].errors)

    def test_anonymous_is_sent_to_sign_in_and_others_refused(self):
        for url in (URL, download_url(2020, "xlsx")):
            with self.subTest(url=url):
                self.client.logout()
                response = self.client.get(url)
                self.assertRedirects(response, f"{reverse('login')}?next={url.replace('?', '%3F').replace('=', '%3D')}")
                for user in (self.nobody, self.unscoped):
                    self.login(user)
                    response = self.client.get(url)
                    self.assertContains(response, "<h1>Không được phép</h1>", status_code=403)
                    self.assertNotContains(response, "1.070", status_code=403)

    def test_only_get_and_head(self):
        self.login(self.office)
        for url, content_type in ((URL, "text/html; charset=utf-8"), (download_url(2020, "xlsx"), XLSX)):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 405)
                response = self.client.head(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)

    def test_school_board_and_superuser_may_read(self):
        for user in (self.board, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(URL, {"year": 2020})
                self.assertEqual(self.figures(response.context["report"]), SCHOOL_FIGURES)
                self.assertContains(response, "Số liệu toàn trường.")
                self.assertContains(response, '<td class="num">10</td><td class="num">1.070</td>', html=False)

    def test_query_count_is_constant(self):
        self.login(self.office)
        self.client.get(URL, {"year": 2020})  # warm the session
        # session, user, roles, templates; the report: template with its lines, program codes,
        # the count (lines and quota classes), quotas, the students who transferred
        with self.assertNumQueries(9):
            self.client.get(URL, {"year": 2020})
        with self.assertNumQueries(10):  # + the last year with classes
            self.client.get(URL)
        for number in range(5):
            cohort = make_cohort(f"MORE-{number}", self.programs["TC-LLCT-HC"], self.h03, dt.date(2020, 7, 1 + number))
            enroll(cohort, 20)
        with self.assertNumQueries(9):
            response = self.client.get(URL, {"year": 2020})
        self.assertEqual(self.figures(response.context["report"])["tc_opened"], (15, 1170))

    def test_coordinator_query_count_is_constant(self):
        self.login(self.coordinator)
        self.client.get(URL, {"year": 2020})
        # + the coordinator's unit, and the classes of the quota lines counted whole apart
        with self.assertNumQueries(11):
            self.client.get(URL, {"year": 2020})
        enroll(make_cohort("MORE", self.programs["TC-LLCT-HC"], self.x01, dt.date(2020, 7, 1)), 20)
        with self.assertNumQueries(11):
            self.client.get(URL, {"year": 2020})

    def test_page_is_in_vietnamese(self):
        self.login(self.office)
        response = self.client.get(URL, {"year": 2020})
        self.assertContains(response, '<span class="badge bad">Chưa đạt</span>', count=2)
        self.assertContains(response, "Số liệu toàn trường.")
        self.assertContains(response, "Tải về .xlsx")
        self.login(self.coordinator)
        response = self.client.get(URL, {"year": 2020})
        scope = "các đơn vị trực thuộc: các lớp mở tại đó và học viên của đơn vị học ở lớp nơi khác."
        self.assertContains(response, f"Số liệu của {self.h01.name} và {scope}")
        response = self.client.get(URL, {"year": 1800})
        self.assertContains(response, "Năm phải từ 1950 đến 2100.")


class AnnualReportDownloadTests(ReportWorldTestCase):
    def login(self, user):
        self.client.force_login(user)

    def test_xlsx(self):
        self.login(self.office)
        response = self.client.get(download_url(2020, "xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="bao-cao-2020-coordination-yearly.xlsx"'
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["BaoCao"]
        self.assertEqual([cell.value for cell in sheet[6]][1:], [10, 1070])

    def test_docx(self):
        self.login(self.office)
        response = self.client.get(download_url(2020, "docx"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], DOCX)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="bao-cao-2020-coordination-yearly.docx"'
        )
        document = Document(io.BytesIO(response.content))
        self.assertEqual([cell.text for cell in document.tables[1].rows[1].cells][2:], ["10", "1.070"])

    def test_without_template_the_builtin_one_is_used(self):
        self.login(self.office)
        response = self.client.get(reverse("reports:annual_download", args=[2020, "xlsx"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="bao-cao-2020-coordination-yearly.xlsx"'
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["BaoCao"]
        self.assertEqual(sheet["A1"].value, "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ năm 2020")
        self.assertEqual([cell.value for cell in sheet[6]][1:], [10, 1070])

    def test_pdf(self):
        self.login(self.coordinator)
        page = self.client.get(URL, {"year": 2020})
        self.assertContains(page, f'href="{download_url(2020, "pdf")}"')
        response = self.client.get(download_url(2020, "pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="bao-cao-2020-coordination-yearly.pdf"')
        text = pdf_text(response.content)
        self.assertIn("BÁO CÁO KẾT QUẢ PHỐI HỢP ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM 2020", text)
        self.assertIn(f"(Số liệu của {self.h01.name} và các đơn vị trực thuộc", text)
        opened = next(line for line in pdf_lines(response.content) if line[:2] == ["1", "Lớp"])
        self.assertEqual(opened[-2:], ["07", "70"])  # H01's figures, not the school's
        self.assertNotIn("Thị xã Phú Mỹ", text)

    def test_coordinator_downloads_their_figures_with_the_scope_stated(self):
        self.login(self.coordinator)
        document = Document(io.BytesIO(self.client.get(download_url(2020, "docx")).content))
        self.assertEqual([cell.text for cell in document.tables[1].rows[1].cells][2:], ["07", "70"])
        scope = f"(Số liệu của {self.h01.name} và các đơn vị trực thuộc, gồm cả học viên của đơn vị học ở lớp nơi khác)"
        self.assertIn(scope, [p.text for p in document.paragraphs])
        sheet = openpyxl.load_workbook(io.BytesIO(self.client.get(download_url(2020, "xlsx")).content))["ChiTieu"]
        self.assertEqual([row[0] for row in sheet.iter_rows(min_row=2, values_only=True)], [self.h01.name, "Tổng cộng"])

    def test_unknown_format_is_404(self):
        self.login(self.office)
        for fmt in ("PDF", "csv", "XLSX", "exe"):
            with self.subTest(fmt=fmt):
                self.assertEqual(self.client.get(download_url(2020, fmt)).status_code, 404)

    def test_bad_input_shows_the_form(self):
        self.login(self.office)
        for url in (download_url(2020, "xlsx", "khong-co"), download_url(1800, "docx")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertTemplateUsed(response, "reports/annual.html")
                self.assertTrue(response.context["form"].errors)

    def test_query_count_is_constant(self):
        self.login(self.office)
        self.client.get(download_url(2020, "xlsx"))
        with self.assertNumQueries(9):
            self.client.get(download_url(2020, "xlsx"))
        enroll(make_cohort("MORE", self.programs["BD-LDP"], self.h03, dt.date(2020, 7, 1)), 20)
        with self.assertNumQueries(9):
            self.client.get(download_url(2020, "docx"))
