"""Editing a report template in the admin: its title and summary must stay fillable by the
lines saved with them, or the reports built from it would fail."""

import datetime as dt

from django.urls import reverse

from daotao.reports.annual import annual_report, period_report
from daotao.reports.engine import Period, ReportInputError
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.testing import WorldTestCase

LINE_FIELDS = ["id", "order", "key", "label", "level", "relation", "program_codes", "category", "mode", "funding"]


class ReportTemplateAdminTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.template = ReportTemplate.objects.create(
            code="bd", name="Bồi dưỡng", title="Bồi dưỡng năm {year}", summary="Mở {cv.classes} lớp."
        )
        cls.line = ReportLine.objects.create(
            template=cls.template, key="cv", label="Chuyên viên", relation="opened", program_codes="BD-CV"
        )
        cls.url = reverse("admin:reports_reporttemplate_change", args=[cls.template.pk])

    def setUp(self):
        self.client.force_login(self.superuser)

    def post(self, *, title=None, summary=None, lines=None, delete=()):
        """Save the change form: the template's fields and every line (new ones without id)."""
        lines = lines if lines is not None else [self.line_data(self.line)]
        data = {
            "code": self.template.code,
            "name": self.template.name,
            "title": self.template.title if title is None else title,
            "summary": self.template.summary if summary is None else summary,
            "lines-TOTAL_FORMS": len(lines),
            "lines-INITIAL_FORMS": sum(1 for line in lines if line.get("id")),
            "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 1000,
        }
        for index, line in enumerate(lines):
            data.update({f"lines-{index}-{name}": value for name, value in line.items()})
            data[f"lines-{index}-template"] = self.template.pk
            if line.get("key") in delete:
                data[f"lines-{index}-DELETE"] = "on"
        return self.client.post(self.url, data)

    @staticmethod
    def line_data(line: ReportLine, **changes) -> dict:
        data = {name: getattr(line, name) for name in LINE_FIELDS}
        data["show_students"] = "on"
        data.update(changes)
        return data

    def assert_refused(self, response, placeholder: str):
        self.assertEqual(response.status_code, 200)  # the form again, not a redirect
        errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
        self.assertTrue(any(placeholder in error for error in errors), errors)  # shown above the lines
        self.template.refresh_from_db()
        self.assertEqual(self.template.summary, "Mở {cv.classes} lớp.")
        self.assertEqual(list(self.template.lines.values_list("key", flat=True)), ["cv"])
        annual_report(2020, self.office, self.template.code)  # the report still builds

    def test_a_stored_summary_reaching_for_attributes_is_not_filled(self):
        ReportTemplate.objects.filter(pk=self.template.pk).update(
            summary="{quota.__init__.__globals__[timezone].settings.SECRET_KEY}"
        )
        with self.assertRaises(ReportInputError):
            annual_report(2020, self.office, self.template.code)

    def test_deleting_a_line_the_summary_uses_is_refused(self):
        self.assert_refused(self.post(delete=["cv"]), "{cv.classes}")

    def test_renaming_a_key_the_summary_uses_is_refused(self):
        self.assert_refused(self.post(lines=[self.line_data(self.line, key="cvc")]), "{cv.classes}")

    def test_placeholders_python_cannot_fill_are_refused(self):
        for summary, title in (
            ("{year[0]}", None),  # TypeError
            ("{quota:d}", None),
            ("{year:>999999999}", None),
            ("{cv.classes", None),
            (None, "Năm {nam}"),
            (None, "Năm {year.real.x}"),
            # Attribute chains would reach the settings: only a line's figures and the quota
            # summary's two attributes may be named.
            ("{quota.__init__.__globals__[timezone].settings.SECRET_KEY}", None),
            ("{cv.__class__}", None),
            ("{quota.__dict__}", None),
            (None, "Năm {year.real}"),
            ("{cv.classes.upper}", None),
        ):
            with self.subTest(summary=summary, title=title):
                response = self.post(summary=summary, title=title)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["errors"])
                self.template.refresh_from_db()
                self.assertEqual(
                    (self.template.title, self.template.summary), ("Bồi dưỡng năm {year}", "Mở {cv.classes} lớp.")
                )

    def test_a_new_line_and_its_placeholder_are_saved_together(self):
        new = {"order": 2, "key": "cvc", "label": "Chuyên viên chính", "level": 0, "relation": "opened"}
        new.update({"program_codes": "BD-CVC", "show_students": "on"})
        response = self.post(summary="Mở {cv.classes} và {cvc.classes} lớp.", lines=[self.line_data(self.line), new])
        self.assertRedirects(response, reverse("admin:reports_reporttemplate_changelist"))
        report = annual_report(2020, self.office, self.template.code)
        self.assertEqual(report.summary, "Mở 0 và 0 lớp.")

    def test_a_line_still_running_and_the_period_placeholders(self):
        new = {"order": 2, "key": "running", "label": "Đang học đến {to}", "level": 0}
        new.update({"relation": "carried_over_running", "program_codes": "BD-CV", "show_students": "on"})
        response = self.post(
            title="Bồi dưỡng {period}",
            summary="Từ {from} đến {to}: {running.classes} lớp.",
            lines=[self.line_data(self.line), new],
        )
        self.assertRedirects(response, reverse("admin:reports_reporttemplate_changelist"))
        self.assertEqual(ReportLine.objects.get(key="running").relation, "carried_over_running")
        report = period_report(Period(dt.date(2020, 3, 1), dt.date(2020, 5, 31)), self.office, self.template.code)
        self.assertEqual(report.title, "Bồi dưỡng từ tháng 3 đến tháng 5 năm 2020")
        self.assertEqual(report.summary, "Từ 01/03/2020 đến 31/05/2020: 0 lớp.")
        self.assertEqual(report.lines[1].label, "Đang học đến 31/05/2020")

    def test_a_program_code_too_long_for_any_program_is_refused(self):
        response = self.post(lines=[self.line_data(self.line, program_codes="BD-CV, " + "X" * 40)])
        self.assertEqual(response.status_code, 200)
        [errors] = [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]
        self.assertIn("X" * 32 + "…", str(errors["program_codes"]))  # too long, rather than unknown
        self.assertEqual(ReportLine.objects.get(pk=self.line.pk).program_codes, "BD-CV")

    def test_a_new_template_and_its_lines_are_saved_together(self):
        data = {"code": "moi", "name": "Mới", "title": "Năm {year}", "summary": "{cv.classes} lớp, {cv.students} HV."}
        data.update({"lines-TOTAL_FORMS": 1, "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0})
        data.update({"lines-MAX_NUM_FORMS": 1000, "lines-0-order": 1, "lines-0-key": "cv", "lines-0-level": 0})
        data.update({"lines-0-label": "CV", "lines-0-relation": "opened", "lines-0-program_codes": "bd-cv"})
        response = self.client.post(reverse("admin:reports_reporttemplate_add"), data)
        self.assertRedirects(response, reverse("admin:reports_reporttemplate_changelist"))
        template = ReportTemplate.objects.get(code="moi")
        self.assertEqual(list(template.lines.values_list("key", "program_codes")), [("cv", "BD-CV")])
        self.assertEqual(annual_report(2020, self.office, "moi").summary, "0 lớp, 0 HV.")

    def test_a_line_nobody_uses_may_go(self):
        spare = ReportLine.objects.create(template=self.template, key="spare", label="x", relation="opened")
        response = self.post(lines=[self.line_data(self.line), self.line_data(spare)], delete=["spare"])
        self.assertRedirects(response, reverse("admin:reports_reporttemplate_changelist"))
        self.assertEqual(list(self.template.lines.values_list("key", flat=True)), ["cv"])
