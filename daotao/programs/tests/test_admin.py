from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.programs import curricula
from daotao.programs.models import Module
from daotao.testing import WorldTestCase


def module_form(program, rows):
    data = {
        "program": program.pk,
        "code": "HPX",
        "name": "Học phần thử",
        "block": "",
        "kind": "course",
        "order": 1,
        "periods": 30,
        "assessments-TOTAL_FORMS": len(rows),
        "assessments-INITIAL_FORMS": 0,
        "assessments-MIN_NUM_FORMS": 0,
        "assessments-MAX_NUM_FORMS": 1000,
    }
    for index, (name, kind, weight, is_exam) in enumerate(rows):
        data.update(
            {
                f"assessments-{index}-order": index,
                f"assessments-{index}-name": name,
                f"assessments-{index}-kind": kind,
                f"assessments-{index}-weight": weight,
            }
        )
        if is_exam:
            data[f"assessments-{index}-is_exam"] = "on"
    return data


class ModuleAdminTests(WorldTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)
        self.program = self.programs["TC-LLCT-HC"]

    def test_scheme_must_weigh_100(self):
        rows = [("Kiểm tra", "test", 30, False), ("Thi viết", "written_exam", 60, True)]
        response = self.client.post("/admin/programs/module/add/", module_form(self.program, rows))
        self.assertContains(response, "Tổng trọng số các thành phần đánh giá phải bằng 100% (hiện là 90%).")
        self.assertFalse(Module.objects.exists())

    def test_one_exam_at_most(self):
        rows = [("Thi 1", "written_exam", 50, True), ("Thi 2", "oral_exam", 50, True)]
        response = self.client.post("/admin/programs/module/add/", module_form(self.program, rows))
        self.assertContains(response, "Mỗi học phần có nhiều nhất một môn thi kết thúc.")
        self.assertNotContains(response, "Tổng trọng số")
        self.assertFalse(Module.objects.exists())

    def test_valid_scheme_is_saved(self):
        rows = [("Kiểm tra", "test", 30, False), ("Thi viết", "written_exam", 70, True)]
        response = self.client.post("/admin/programs/module/add/", module_form(self.program, rows))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Module.objects.get().assessments.count(), 2)

    def test_list_without_a_query_per_row(self):
        curricula.install(["BD-BTX"])
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get("/admin/programs/module/").status_code, 200)
        curricula.install()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/admin/programs/module/")
        self.assertContains(response, "Triết học Mác - Lênin")
        self.assertEqual(len(many), len(few))
