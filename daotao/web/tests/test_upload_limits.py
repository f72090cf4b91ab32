"""Uploads over the size limit are refused with a message (issue 7), at every upload
endpoint of the site, as a user allowed to upload there: the page comes back (200 or 4xx,
never 500) with a Vietnamese message naming the file or the limit, and nothing is stored,
neither a row nor a file under MEDIA_ROOT. A request body over the whole-request limit
gets a page saying so (413).

The limits are settings (``daotao.web.uploads``); each test lowers its limit so that a
file "just over" it stays small."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from daotao.accounts import roles
from daotao.admissions.models import DocumentType, ProgramDocument
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.audit.models import ImportOutcome, ImportRecord
from daotao.essays.tests.world import EssayWorldTestCase, assigned
from daotao.portal.models import Category
from daotao.portal.tests.test_admin import GIF
from daotao.portal.tests.world import make_article, make_banner
from daotao.teaching import organisation
from daotao.testing import make_user

LIMIT = 2048  # "2 KB" in the messages
IMPORT_LIMIT = 104_858  # "0,1 MB" in the import's message
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def over(limit: int, name: str, content_type: str = "application/pdf", head: bytes = b"") -> SimpleUploadedFile:
    """A file one byte over ``limit``, starting with ``head`` (a real image's bytes)."""
    return SimpleUploadedFile(name, head + b"\0" * (limit + 1 - len(head)), content_type=content_type)


def row_counts() -> dict[str, int]:
    """Rows of every model but the sessions (which a signed-in request may touch) and the
    import records (a refused import is recorded ``refused``: ``assertRefused``)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model is not Session and model is not ImportRecord
    }


def admin_form_data(response) -> dict:
    """What a browser sends back from an admin change page as shown: the main form, and each
    inline formset with its management form (files left out)."""
    shown = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        shown += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in shown:
        for field in form:
            value = field.value()
            widget = field.field.widget
            if isinstance(field.field, forms.FileField) or field.field.disabled or value is None or value is False:
                continue
            if isinstance(widget, forms.MultiWidget):
                for index, (part_widget, part) in enumerate(zip(widget.widgets, widget.decompress(value), strict=True)):
                    data[f"{field.html_name}_{index}"] = part_widget.format_value(part) or ""
            elif isinstance(field.field, forms.BooleanField):
                data[field.html_name] = "on"
            elif isinstance(field.field, forms.ModelMultipleChoiceField):
                data[field.html_name] = [str(pk) for pk in field.field.prepare_value(value)]
            else:
                data[field.html_name] = getattr(widget, "widget", widget).format_value(value) or ""
    return data


class UploadLimitTestCase(EssayWorldTestCase, AdmissionsTestCase):
    """The essays world (teaching: ``cohort``, ``lecturer`` on m1, ``student_user``) with
    the admissions world (the 2026 plan, presets), an editor and a news category; uploads
    go to a MEDIA_ROOT of the test's own."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", roles.EDITOR)
        cls.category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)

    def setUp(self):
        media = tempfile.mkdtemp(prefix="daotao-test-uploads-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.media = Path(media)
        self.enterContext(override_settings(MEDIA_ROOT=media))
        self.before = row_counts()

    def post(self, user, url, data, **kwargs):
        self.client.force_login(user)
        self.before = row_counts()  # after signing in
        return self.client.post(url, data, **kwargs)

    def assertRefused(self, response, *texts: str, status=(200, 400)):
        """The page came back with ``texts`` (Vietnamese), and nothing was stored."""
        self.assertIn(response.status_code, status)
        for text in texts:
            self.assertContains(response, text, status_code=response.status_code)
        self.assertEqual(row_counts(), self.before)
        # An import refused is recorded so, with its file when it was read (a file over the
        # import limit is refused unread and not kept); nothing else is stored.
        self.assertFalse(ImportRecord.objects.exclude(outcome=ImportOutcome.REFUSED).exists())
        kept = {str(self.media / name) for name in ImportRecord.objects.exclude(file="").values_list("file", flat=True)}
        self.assertEqual({str(path) for path in self.media.rglob("*") if path.is_file()}, kept)


@override_settings(DAOTAO_MAX_IMPORT_BYTES=IMPORT_LIMIT, DAOTAO_IMPORT_INLINE=True)
class WorkbookImportTests(UploadLimitTestCase):
    """The xlsx imports refuse the file before opening it, with the import's problem list
    on the page of its job (the job's temporary copy of the file is gone)."""

    message = "Tệp quá lớn (0,1 MB); giới hạn là 0,1 MB."

    def setUp(self):
        super().setUp()
        uploads = tempfile.mkdtemp(prefix="daotao-test-temp-uploads-")
        self.addCleanup(shutil.rmtree, uploads, ignore_errors=True)
        self.uploads = Path(uploads)
        self.enterContext(override_settings(DAOTAO_UPLOAD_TEMP_DIR=uploads))

    def assertRefused(self, response, *texts: str, status=(200,)):
        self.assertEqual(response.redirect_chain[-1][0][:6], "/jobs/")
        super().assertRefused(response, *texts, status=status)
        self.assertEqual(list(self.uploads.iterdir()), [])

    def test_classes_and_students(self):
        data = {"workbook": over(IMPORT_LIMIT, "lop.xlsx", XLSX)}
        self.assertRefused(self.post(self.office, reverse("cohorts:import"), data, follow=True), self.message)

    def test_nominations(self):
        data = {"year": 2026, "workbook": over(IMPORT_LIMIT, "ho-so.xlsx", XLSX)}
        response = self.post(self.coordinator, reverse("admissions:import"), data, follow=True)
        self.assertRefused(response, "Chưa nhập dữ liệu nào", self.message)

    def test_quotas_of_the_plan(self):
        data = {"workbook": over(IMPORT_LIMIT, "chi-tieu.xlsx", XLSX)}
        response = self.post(self.office, reverse("planning:import", args=[2026]), data, follow=True)
        self.assertRefused(response, self.message)

    def test_grade_sheet(self):
        url = reverse("grading:sheet_import", args=[self.cohort.pk, self.m1.pk])
        response = self.post(self.lecturer_user, url, {"file": over(IMPORT_LIMIT, "bang-diem.xlsx", XLSX)}, follow=True)
        self.assertRefused(response, self.message)
        self.assertContains(response, reverse("grading:sheet", args=[self.cohort.pk, self.m1.pk]))

    def test_career_events(self):
        data = {"workbook": over(IMPORT_LIMIT, "qua-trinh.xlsx", XLSX)}
        response = self.post(self.coordinator, reverse("surveys:outcome_import"), data, follow=True)
        self.assertRefused(response, self.message)


@override_settings(
    DAOTAO_MAX_DOCUMENT_BYTES=LIMIT,
    DAOTAO_MAX_ESSAY_BYTES=LIMIT,
    DAOTAO_MAX_REPORT_BYTES=LIMIT,
    DAOTAO_MAX_IMAGE_BYTES=LIMIT,
)
class FileUploadTests(UploadLimitTestCase):
    """Documents, essays, reports and images: the form comes back with the file's name and
    the limit on the field."""

    def refusal(self, name: str) -> str:
        return f"Tệp “{name}” quá lớn: mỗi tệp không được vượt quá 2 KB."

    def test_a_file_at_the_limit_is_accepted(self):
        application = make_application(self.tc, self.h01, received=[])
        document = ProgramDocument.objects.filter(program=self.tc).first().document_type
        upload = SimpleUploadedFile("syll.pdf", b"%PDF" + b"\0" * (LIMIT - 4), content_type="application/pdf")
        response = self.post(
            self.coordinator, reverse("admissions:documents", args=[application.pk]), {f"file_{document.pk}": upload}
        )
        self.assertRedirects(response, reverse("admissions:detail", args=[application.pk]))
        self.assertEqual(len([path for path in self.media.rglob("*") if path.is_file()]), 1)

    def test_dossier_document(self):
        application = make_application(self.tc, self.h01, received=[])
        document = DocumentType.objects.get(code="SYLL")
        data = {f"received_{document.pk}": "on", f"file_{document.pk}": over(LIMIT, "so-yeu-ly-lich.pdf")}
        response = self.post(self.coordinator, reverse("admissions:documents", args=[application.pk]), data)
        self.assertRefused(response, self.refusal("so-yeu-ly-lich.pdf"))
        self.assertFalse(application.documents.exists())

    def test_essay(self):
        essay = assigned(self)
        data = {"action": "submit", "text": "", "file": over(LIMIT, "tieu-luan.pdf")}
        response = self.post(self.student_user, reverse("essays:my"), data)
        self.assertRefused(response, self.refusal("tieu-luan.pdf"), "PDF, Word hoặc OpenDocument, tối đa 2 KB.")
        essay.refresh_from_db()
        self.assertEqual((essay.status, essay.file.name), ("approved", ""))

    def test_field_trip_report(self):
        data = {
            "locality": self.x01.pk,
            "start_date": "11/05/2026",
            "end_date": "13/05/2026",
            "report": over(LIMIT, "bao-cao.pdf"),
        }
        response = self.post(self.office, reverse("teaching:field_trip_add", args=[self.cohort.pk]), data)
        self.assertRefused(response, self.refusal("bao-cao.pdf"))

    def test_field_trip_report_replaced(self):
        trip = organisation.field_trip_record(
            user=self.office, cohort=self.cohort, locality=self.x01, start_date=dt.date(2026, 5, 11),
            end_date=dt.date(2026, 5, 13),
        )  # fmt: skip
        data = {"locality": self.x01.pk, "start_date": "11/05/2026", "end_date": "14/05/2026"}
        data["report"] = over(LIMIT, "bao-cao-moi.docx")
        response = self.post(self.office, reverse("teaching:field_trip_edit", args=[trip.pk]), data)
        self.assertRefused(response, self.refusal("bao-cao-moi.docx"))
        trip.refresh_from_db()
        self.assertEqual((trip.end_date, trip.report.name), (dt.date(2026, 5, 13), ""))


@override_settings(DAOTAO_MAX_ESSAY_BYTES=LIMIT, DAOTAO_MAX_REPORT_BYTES=LIMIT, DAOTAO_MAX_IMAGE_BYTES=LIMIT)
class AdminUploadTests(UploadLimitTestCase):
    """The admin's file fields keep the same limits: the change form comes back with the
    message on the field, and no other error."""

    def post_change(self, user, url, field, upload):
        self.client.force_login(user)
        data = admin_form_data(self.client.get(url))
        data[field] = upload
        response = self.post(user, url, data)
        errors = response.context["adminform"].form.errors if response.status_code == 200 else None
        return response, errors

    def refusal(self, name: str) -> str:
        return f"Tệp “{name}” quá lớn: mỗi tệp không được vượt quá 2 KB."

    def test_admin_form_data_saves_unchanged(self):
        """The helper sends a change page back as it came: the admin saves it without error."""
        banner = make_banner("Ngày Sách", dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        url = reverse("admin:portal_banner_change", args=[banner.pk])
        self.client.force_login(self.editor)
        response = self.client.post(url, admin_form_data(self.client.get(url)))
        self.assertRedirects(response, reverse("admin:portal_banner_changelist"))

    def test_essay_file(self):
        essay = assigned(self)
        url = reverse("admin:essays_essay_change", args=[essay.pk])
        response, errors = self.post_change(self.superuser, url, "file", over(LIMIT, "tieu-luan.docx"))
        self.assertEqual(errors, {"file": [self.refusal("tieu-luan.docx")]})
        self.assertRefused(response, self.refusal("tieu-luan.docx"))

    def test_field_trip_report(self):
        trip = organisation.field_trip_record(
            user=self.office, cohort=self.cohort, locality=self.x01, start_date=dt.date(2026, 5, 11),
            end_date=dt.date(2026, 5, 13),
        )  # fmt: skip
        url = reverse("admin:teaching_fieldtrip_change", args=[trip.pk])
        response, errors = self.post_change(self.superuser, url, "report", over(LIMIT, "bao-cao.pdf"))
        self.assertEqual(errors, {"report": [self.refusal("bao-cao.pdf")]})
        self.assertRefused(response, self.refusal("bao-cao.pdf"))

    def test_banner_image(self):
        banner = make_banner("Ngày Sách", dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        url = reverse("admin:portal_banner_change", args=[banner.pk])
        response, errors = self.post_change(self.editor, url, "image", over(LIMIT, "bia.gif", "image/gif", GIF))
        self.assertEqual(errors, {"image": [self.refusal("bia.gif")]})
        self.assertRefused(response, self.refusal("bia.gif"))

    def test_article_cover_and_images(self):
        article = make_article(self.category, "Hội nghị tổng kết đào tạo")
        url = reverse("admin:portal_article_change", args=[article.pk])
        response, errors = self.post_change(self.editor, url, "cover_image", over(LIMIT, "bia.gif", "image/gif", GIF))
        self.assertEqual(errors, {"cover_image": [self.refusal("bia.gif")]})
        self.assertRefused(response, self.refusal("bia.gif"))

        image = over(LIMIT, "anh.gif", "image/gif", GIF)
        response, errors = self.post_change(self.editor, url, "images-0-image", image)
        self.assertEqual(errors, {})
        (images,) = response.context["inline_admin_formsets"]
        self.assertEqual(images.formset.errors[0], {"image": [self.refusal("anh.gif")]})
        self.assertRefused(response, self.refusal("anh.gif"))


class WholeRequestTests(UploadLimitTestCase):
    """Above the per-file limits, one limit for a whole request body."""

    @override_settings(DAOTAO_MAX_REQUEST_BYTES=LIMIT)
    def test_a_request_over_the_limit_is_refused_whole(self):
        essay = assigned(self)
        data = {"action": "submit", "text": "", "file": over(LIMIT, "tieu-luan.pdf")}
        response = self.post(self.student_user, reverse("essays:my"), data)
        self.assertRefused(response, "Dữ liệu gửi lên quá lớn", "nhiều hơn mức 2 KB", status=(413,))
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        essay.refresh_from_db()
        self.assertEqual(essay.file.name, "")

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
    def test_form_fields_over_djangos_limit_get_the_same_page(self):
        essay = assigned(self)
        data = {"action": "submit", "text": "Tiểu luận " * LIMIT}
        with self.assertLogs("django.security.RequestDataTooBig", "ERROR"):
            response = self.post(self.student_user, reverse("essays:my"), data)
        self.assertRefused(response, "Dữ liệu gửi lên quá lớn", "nhiều hơn mức 2 KB", status=(413,))
        essay.refresh_from_db()
        self.assertEqual(essay.text, "")

    def test_the_defaults_hold_the_largest_files(self):
        from django.conf import settings

        largest = max(
            settings.DAOTAO_MAX_IMPORT_BYTES,
            settings.DAOTAO_MAX_DOCUMENT_BYTES,
            settings.DAOTAO_MAX_ESSAY_BYTES,
            settings.DAOTAO_MAX_REPORT_BYTES,
            settings.DAOTAO_MAX_IMAGE_BYTES,
        )
        self.assertGreaterEqual(settings.DAOTAO_MAX_REQUEST_BYTES, largest + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
