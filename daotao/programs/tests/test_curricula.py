from io import StringIO

from django.core.management import call_command

from daotao.programs import curricula
from daotao.programs.models import Assessment, Module, ModuleKind
from daotao.testing import WorldTestCase


class CurriculaTests(WorldTestCase):
    def test_trung_cap_has_its_published_shape(self):
        self.assertEqual(curricula.knowledge_periods(), 1056)
        kinds = [spec.kind for spec in curricula.TRUNG_CAP]
        self.assertEqual(kinds.count(ModuleKind.FIELD_RESEARCH), 1)
        self.assertEqual(kinds[-1], ModuleKind.GRADUATION)

    def test_every_scheme_weighs_100_with_at_most_one_exam(self):
        for code, specs in curricula.CURRICULA.items():
            for spec in specs:
                with self.subTest(program=code, module=spec.code):
                    self.assertEqual(sum(part[2] for part in spec.scheme), 100)
                    self.assertLessEqual(sum(1 for part in spec.scheme if part[3]), 1)

    def test_install_is_idempotent_and_keeps_a_schools_changes(self):
        out = StringIO()
        call_command("install_curricula", stdout=out)
        tc = self.programs["TC-LLCT-HC"]
        self.assertEqual(tc.modules.count(), len(curricula.TRUNG_CAP))
        self.assertEqual(sum(tc.modules.filter(kind="course").values_list("periods", flat=True)), 1056)
        self.assertEqual(Assessment.objects.filter(module__program=tc, is_exam=True).count(), 17)
        Module.objects.filter(program=tc, code="I.1").update(periods=90)
        before = Module.objects.count()
        call_command("install_curricula", stdout=out)
        self.assertEqual(Module.objects.count(), before)
        self.assertEqual(Module.objects.get(program=tc, code="I.1").periods, 90)
        self.assertIn("TC-LLCT-HC", out.getvalue())
