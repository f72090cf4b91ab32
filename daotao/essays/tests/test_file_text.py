"""The text of an uploaded .docx or .pdf is read and compared with the other essays; a file
that is not what its name says, a bomb or a damaged file is refused and changes nothing; a
file without text asks for the text to be pasted; the command reads the files handed in
before."""

import tempfile
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus
from daotao.essays.tests.files import docx_bomb, docx_bytes, pdf_bytes, scanned_pdf_bytes
from daotao.essays.tests.world import OTHER_TEXT, TEXT, EssayWorldTestCase, assigned, old_essay
from daotao.lib.vietnamese import fold

NEAR_COPY = fold(TEXT.replace("khu phố", "tổ dân phố"))
SENTENCES = TEXT.split(". ")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


class FileTextTestCase(EssayWorldTestCase):
    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.settings_override = self.settings(MEDIA_ROOT=media.name)
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)

    def flags(self, essay) -> set[tuple[int, str]]:
        essay.refresh_from_db()
        return {(item["essay"], item["field"]) for item in essay.similar}

    @property
    def essay(self) -> Essay:
        """The student's essay, approved, with its supervisor and graders (made once)."""
        if not hasattr(self, "_essay"):
            self._essay = assigned(self)
        return self._essay

    def submit(self, name, data, text="", essay=None):
        essay = essay or self.essay
        return services.essay_submit(user=self.student_user, essay=essay, text=text, file=upload(name, data))

    def assert_refused(self, name, data, *words, field="file"):
        essay = self.essay
        with self.assertRaises(ValidationError) as raised:
            self.submit(name, data, essay=essay)
        message = " ".join(raised.exception.message_dict[field])
        for word in (name, *words):
            self.assertIn(word, message)
        essay.refresh_from_db()
        self.assertEqual((essay.status, essay.file.name, essay.file_text), (EssayStatus.APPROVED, "", ""))


class ReadFileTests(FileTextTestCase):
    def test_a_docx_is_read_and_its_near_copy_found(self):
        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=NEAR_COPY, year=2021)
        essay = self.submit("tieu-luan.docx", docx_bytes(*SENTENCES))
        self.assertEqual(essay.text, "")
        self.assertIn("Sinh hoạt chi bộ là hình thức cơ bản", essay.file_text)
        self.assertTrue(essay.file_read)
        self.assertEqual(self.flags(essay), {(old.pk, "text")})
        self.assertEqual(self.flags(old), {(essay.pk, "text")})

    def test_a_pdf_is_read_and_its_near_copy_found(self):
        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=NEAR_COPY, year=2021)
        essay = self.submit("tieu-luan.pdf", pdf_bytes(*SENTENCES))
        self.assertIn("bồi dưỡng kỹ năng chủ trì", essay.file_text)
        self.assertEqual(self.flags(essay), {(old.pk, "text")})
        self.assertEqual(Essay.objects.get(pk=essay.pk).file_text, essay.file_text)

    def test_a_file_unlike_the_others_is_not_flagged(self):
        old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=OTHER_TEXT, year=2021)
        essay = self.submit("tieu-luan.docx", docx_bytes(*SENTENCES))
        self.assertEqual(self.flags(essay), set())

    def test_a_copied_file_is_found_even_beside_an_original_pasted_text(self):
        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=NEAR_COPY, year=2021)
        essay = self.submit("tieu-luan.pdf", pdf_bytes(*SENTENCES), text=OTHER_TEXT)
        self.assertEqual(self.flags(essay), {(old.pk, "text")})
        # The command that recomputes every flag reads both texts too.
        Essay.objects.update(similar=[])
        call_command("check_essay_similarity", stdout=StringIO())
        self.assertEqual(self.flags(essay), {(old.pk, "text")})

    def test_a_file_without_text_asks_for_the_text(self):
        self.assert_refused("scan.pdf", scanned_pdf_bytes(), field="text")
        essay = self.submit("scan.pdf", scanned_pdf_bytes(), text=TEXT)
        self.assertTrue(essay.file_unreadable)
        self.assertEqual(essay.compared_text, TEXT)
        self.client.force_login(self.office)
        page = self.client.get(reverse("essays:detail", args=[essay.pk]))
        self.assertContains(page, 'id="file-unreadable"')

    def test_a_word_97_file_is_kept_without_its_text(self):
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        essay = self.submit("tieu-luan.doc", ole, text=TEXT)
        self.assertTrue(essay.file_unreadable)


class RefusedFileTests(FileTextTestCase):
    def test_a_zip_bomb_is_refused_before_it_is_inflated(self):
        bomb = docx_bomb()
        self.assertLess(len(bomb), 200_000)
        self.assert_refused("bom.docx", bomb, "64 MB")

    def test_a_fake_pdf_is_refused(self):
        self.assert_refused("tieu-luan.pdf", docx_bytes(*SENTENCES), "PDF")
        self.assert_refused("tieu-luan.pdf", b"<html>tieu luan</html>", "PDF")

    def test_a_fake_docx_is_refused(self):
        self.assert_refused("tieu-luan.docx", pdf_bytes(TEXT), "Word (.docx)")
        self.assert_refused("tieu-luan.odt", docx_bytes(TEXT), "OpenDocument (.odt)")
        self.assert_refused("tieu-luan.doc", docx_bytes(TEXT), "Word 97 (.doc)")

    def test_a_damaged_pdf_is_refused(self):
        self.assert_refused("tieu-luan.pdf", b"%PDF-1.4 tieu luan")
        self.assert_refused("tieu-luan.pdf", pdf_bytes(TEXT)[:2000])

    def test_the_page_shows_the_refusal_on_the_file(self):
        essay = self.essay
        self.client.force_login(self.student_user)
        data = {"action": "submit", "text": TEXT, "file": upload("tieu-luan.pdf", docx_bytes(TEXT))}
        response = self.client.post(reverse("essays:my"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("tieu-luan.pdf", " ".join(response.context["submit_form"].errors["file"]))
        essay.refresh_from_db()
        self.assertEqual((essay.status, essay.text), (EssayStatus.APPROVED, ""))


class EarlierFilesTests(FileTextTestCase):
    def test_the_command_reads_the_files_handed_in_before(self):
        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=NEAR_COPY, year=2021)
        essay = self.essay
        essay.file.save("tieu-luan.docx", ContentFile(docx_bytes(*SENTENCES)), save=False)
        Essay.objects.filter(pk=essay.pk).update(file=essay.file.name, status=EssayStatus.SUBMITTED)
        fake = old_essay(self, "Đề tài thứ ba", year=2020)
        fake.file.save("gia.pdf", ContentFile(b"not a pdf"), save=False)
        Essay.objects.filter(pk=fake.pk).update(file=fake.file.name)
        out, err = StringIO(), StringIO()
        call_command("read_essay_files", stdout=out, stderr=err)
        self.assertIn("1", out.getvalue())
        self.assertIn("gia.pdf", err.getvalue())
        essay.refresh_from_db()
        self.assertTrue(essay.file_read)
        self.assertEqual(self.flags(essay), {(old.pk, "text")})
        self.assertFalse(Essay.objects.get(pk=fake.pk).file_read)
        out = StringIO()
        call_command("read_essay_files", stdout=out, stderr=StringIO())  # nothing left but the refused one
        self.assertRegex(out.getvalue(), r"(^|\s)0 ")  # no file read this time

    def test_the_admin_reads_a_file_too(self):
        from daotao.web.tests.test_upload_limits import admin_form_data

        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=NEAR_COPY, year=2021)
        essay = self.essay
        url = reverse("admin:essays_essay_change", args=[essay.pk])
        self.client.force_login(self.superuser)
        data = admin_form_data(self.client.get(url))
        data["file"] = upload("tieu-luan.pdf", docx_bytes(TEXT))
        response = self.client.post(url, data)
        self.assertIn("tieu-luan.pdf", " ".join(response.context["adminform"].form.errors["file"]))
        data["file"] = upload("tieu-luan.docx", docx_bytes(*SENTENCES))
        self.assertEqual(self.client.post(url, data).status_code, 302)
        essay.refresh_from_db()
        self.assertIn("Sinh hoạt chi bộ", essay.file_text)
        self.assertEqual(self.flags(essay), {(old.pk, "text")})
