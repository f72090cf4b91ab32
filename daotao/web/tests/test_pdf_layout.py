"""Every PDF DaoTao prints, read back word by word (``daotao.testing_documents``): no word
on another, none off the page. The demo's finished class TCX02-2025-01 fills them: its
graduation report, a results pack to its locality, a diploma, an evaluation round's
results."""

from django.test import SimpleTestCase
from django.urls import reverse

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.grading.models import Credential
from daotao.lib.pdf import html_to_pdf
from daotao.surveys.models import SurveyRound
from daotao.testing import DemoTestCase
from daotao.testing_documents import pdf_layout_problems, pdf_pages


class PrintedDocumentsTests(DemoTestCase):
    def test_no_word_sits_on_another_or_leaves_the_page(self):
        cohort = Cohort.objects.get(code=td.TC_CODE)
        student = User.objects.get(username=td.STUDENT_USERNAME).student
        survey_round = SurveyRound.objects.filter(cohort=cohort, phase="end").first()
        documents = {
            "graduation report": reverse("grading:report_pdf", args=[cohort.pk]),
            "results pack": reverse("twoway:pack_pdf", args=[cohort.pk, student.locality_id]),
            "diploma": reverse(
                "grading:credential_print", args=[Credential.objects.filter(enrollment__student=student).first().pk]
            )
            + "?format=pdf",
            "evaluation results": reverse("surveys:results_round_pdf", args=[survey_round.pk]),
        }
        self.client.force_login(User.objects.get(username="daotao"))
        for name, address in documents.items():
            with self.subTest(name):
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200, address)
                self.assertEqual(response["Content-Type"], "application/pdf", address)
                pages = pdf_pages(response.content)
                self.assertGreater(sum(len(page.words) for page in pages), 20, name)
                self.assertEqual(pdf_layout_problems(response.content), [], name)


class TheCheckBitesTests(SimpleTestCase):
    def test_text_on_text_and_text_off_the_page_are_found(self):
        html = """<html><body>
          <p style="position:absolute; top:40mm; left:30mm">Trường Chính trị</p>
          <p style="position:absolute; top:40mm; left:31mm">Bình An</p>
          <p style="position:absolute; top:80mm; left:30mm">Học viên</p>
          <p style="position:absolute; top:90mm; left:30mm">Lớp học</p>
          <p style="position:absolute; top:120mm; left:190mm; white-space:nowrap">Ngoài trang giấy</p>
        </body></html>"""
        problems = pdf_layout_problems(html_to_pdf(html))
        self.assertTrue(any("overlap" in problem and "Bình" in problem for problem in problems), problems)
        self.assertTrue(any("off the page" in problem for problem in problems), problems)
        self.assertFalse(any("Học" in problem or "Lớp" in problem for problem in problems), problems)
