"""``{% student_link %}``: a student's name in a list leads to their training record for
those who may open it, and stays text for the others; and the lists that use it."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from daotao.records.tests.world import RecordWorld
from daotao.twoway.packs import pack_for

TAG = Template("{% load student_links %}{% student_link student %}|{% student_link student_id name %}")


class StudentLinkTagTests(RecordWorld):
    def render(self, user, student, name=None):
        request = RequestFactory().get("/")
        request.user = user
        context = Context({"request": request, "student": student, "student_id": student.pk, "name": name or "An"})
        return TAG.render(context)

    def test_staff_get_links(self):
        record = reverse("records:student", args=[self.student.pk])
        for user in (self.office, self.board, self.coordinator):
            with self.subTest(user=user.username):
                linked, by_id = self.render(user, self.student).split("|")
                self.assertEqual(linked, f'<a href="{record}">{self.student.full_name}</a>')
                self.assertEqual(by_id, f'<a href="{record}">An</a>')

    def test_a_student_links_only_her_own_name(self):
        own = self.render(self.student_user, self.student)
        self.assertIn(reverse("records:student", args=[self.student.pk]), own)
        classmate = self.render(self.student_user, self.classmate)
        self.assertEqual(classmate, f"{self.classmate.full_name}|An")

    def test_a_lecturer_gets_text(self):
        self.assertEqual(self.render(self.lecturer, self.student), f"{self.student.full_name}|An")

    def test_markup_is_escaped_linked_or_not(self):
        self.student.set_name("<b>Lê</b> An")
        for user in (self.office, self.lecturer):
            with self.subTest(user=user.username):
                rendered = self.render(user, self.student, name="<i>An</i>")
                self.assertNotIn("<b>", rendered)
                self.assertNotIn("<i>", rendered)
                self.assertIn("&lt;b&gt;Lê&lt;/b&gt; An", rendered)
                self.assertIn("&lt;i&gt;An&lt;/i&gt;", rendered)


class ListsLinkToTheRecordTests(RecordWorld):
    def setUp(self):
        self.record = f'href="{reverse("records:student", args=[self.student.pk])}"'

    def get(self, user, address, params=None):
        self.client.force_login(user)
        response = self.client.get(address, params or {})
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_student_search(self):
        self.assertContains(
            self.get(self.office, reverse("people:students"), {"q": self.student.full_name}), self.record
        )

    def test_the_grading_pages(self):
        for address in (
            reverse("grading:cohort", args=[self.cohort.pk]),
            reverse("grading:decisions", args=[self.cohort.pk]),
            reverse("grading:report", args=[self.cohort.pk]),
            reverse("grading:register") + f"?cohort={self.cohort.code}",
        ):
            with self.subTest(address=address):
                self.assertContains(self.get(self.office, address), self.record)

    def test_the_grade_sheet_links_for_staff_not_for_the_lecturer(self):
        module = self.cohort.assignments.filter(lecturer=self.lecturer.lecturer).first().module
        address = reverse("grading:sheet", args=[self.cohort.pk, module.pk])
        self.assertContains(self.get(self.office, address), self.record)
        response = self.get(self.lecturer, address)
        self.assertContains(response, self.student.full_name)
        self.assertNotContains(response, self.record)

    def test_the_results_pack_links_and_its_pdf_does_not(self):
        address = reverse("twoway:pack", args=[self.cohort.pk, self.student.locality.pk])
        self.assertContains(self.get(self.office, address), self.record)
        pack = pack_for(self.cohort, self.student.locality)
        self.assertIn(self.student.pk, [row.student_id for row in pack.rows])

    def test_the_career_events_and_essays(self):
        self.assertContains(self.get(self.office, reverse("surveys:outcome_list")), self.record)
        self.assertContains(
            self.get(self.office, reverse("surveys:outcome_student", args=[self.student.pk])), self.record
        )
        self.assertContains(self.get(self.office, reverse("essays:cohort", args=[self.cohort.pk])), self.record)

    def test_an_application_of_a_known_cadre_links_to_her_record(self):
        address = reverse("admissions:detail", args=[self.application.pk])
        self.assertContains(self.get(self.office, address), self.record)
        self.assertContains(self.get(self.coordinator, address), self.record)
        # Someone never enrolled: no record to link.
        other = self.get(self.office, reverse("admissions:detail", args=[self.other_application.pk]))
        self.assertNotRegex(other.content.decode(), r'href="/students/\d+/"')
