"""``GET /api/v1/students/{national_id}/record``: the record by national ID, for those who
see that number in full; 404 for anyone else, as for an unknown number."""

from __future__ import annotations

from daotao.demo import teaching_data as td
from daotao.people.privacy import mask_national_id
from daotao.records.tests.world import RecordWorld
from daotao.testing import make_user

JSON = "application/json; charset=utf-8"


class RecordApiTests(RecordWorld):
    def get(self, user, number=None):
        self.client.force_login(user)
        response = self.client.get(f"/api/v1/students/{number or self.student.national_id}/record")
        self.assertEqual(response["Content-Type"], JSON)
        return response

    def test_the_office_reads_the_record(self):
        response = self.get(self.office)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["student"]["national_id"], self.student.national_id)
        self.assertFalse(body["student"]["personal_data_masked"])
        self.assertEqual(body["student"]["full_name"], self.student.full_name)
        classes = body["classes"]
        self.assertEqual([c["code"] for c in classes], [td.TC_CODE, td.CV_CODE])
        self.assertEqual(classes[0]["average"], "8.54")
        self.assertEqual(classes[0]["classification"], "good")
        self.assertEqual(classes[0]["enrollment_status"], "completed")
        self.assertEqual([c["serial_number"] for c in classes[0]["credentials"]], ["TC 000028"])
        self.assertIsNone(classes[1]["average"])
        self.assertEqual(classes[1]["credentials"], [])
        self.assertEqual([a["program"] for a in body["applications"]], [self.cohort.program.code])
        self.assertEqual([e["score"] for e in body["essays"]], ["7.8"])
        self.assertEqual(len(body["survey_rounds"]), 5)  # not her manager's round about her
        for survey_round in body["survey_rounds"]:
            self.assertEqual(set(survey_round), {"cohort", "title", "phase", "audience", "closes_on", "closed"})
        self.assertEqual([e["decision_number"] for e in body["career_events"]], ["245/QĐ-UBND"])

    def test_her_coordinator_and_herself_read_it(self):
        self.assertEqual(self.get(self.coordinator).status_code, 200)
        body = self.get(self.student_user).json()
        self.assertEqual(body["applications"], [])  # not the student's to read
        self.assertEqual(len(body["classes"]), 2)

    def test_a_masked_viewer_cannot_confirm_the_number(self):
        unknown = self.get(self.office, number="052199000999")
        self.assertEqual(unknown.status_code, 404)
        for user in (self.board, self.lecturer):
            with self.subTest(user=user.username):
                response = self.get(user)  # the right number, seen masked
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["detail"], unknown.json()["detail"])
                self.assertNotIn(self.student.national_id, response.content.decode())

    def test_outside_the_scope_404(self):
        for user in (self.other_coordinator, self.agency, self.classmate_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)

    def test_no_role_403_and_anonymous_401(self):
        self.assertEqual(self.get(make_user("hoso.api.nobody")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(f"/api/v1/students/{self.student.national_id}/record").status_code, 401)

    def test_a_masked_or_malformed_number_is_refused_as_input(self):
        for number in (mask_national_id(self.student.national_id), "12345", "0521990009990"):
            with self.subTest(number=number):
                response = self.get(self.office, number=number)
                self.assertEqual(response.status_code, 422)
                self.assertEqual(response.json()["errors"][0]["field"], "national_id")
