"""Migration 0005: each program's stored thresholds become its bands, with today's codes and
names, so that every stored classification and every figure stays as it was."""

from decimal import Decimal as D

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from daotao.grading.models import GradingRules
from daotao.grading.rules import DEFAULT_BANDS, Band, rules_for
from daotao.programs.models import Program, ProgramKind

BEFORE = [("grading", "0004_decision_signer_lines")]
AFTER = [("grading", "0005_classification_bands")]


def migrate_to_latest() -> None:
    """Leave the database as the other tests expect it: every migration applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


class ThresholdsToBandsTests(TransactionTestCase):
    def tearDown(self):
        migrate_to_latest()
        super().tearDown()

    def test_a_programs_thresholds_become_its_bands(self):
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("grading", "GradingRules")
        program = Program.objects.create(code="TC-X", name="Trung cấp X", kind=ProgramKind.TRAINING)
        plain = Program.objects.create(code="TC-Y", name="Trung cấp Y", kind=ProgramKind.TRAINING)
        old.objects.create(program_id=program.pk, pass_mark=D("5.5"), excellent_from=D("9.5"), fair_from=D("6.5"))
        old.objects.create(program_id=plain.pk)
        executor = MigrationExecutor(connection)  # the graph as it is now
        executor.migrate(AFTER)
        rules = rules_for(Program.objects.get(pk=program.pk))
        self.assertEqual(
            rules.bands,
            (
                Band("excellent", "Xuất sắc", D("9.5")),
                Band("good", "Giỏi", D("8.0")),
                Band("fair", "Khá", D("6.5")),
                Band("average", "Trung bình", D("5.5")),
            ),
        )
        self.assertEqual(rules_for(Program.objects.get(pk=plain.pk)).bands, DEFAULT_BANDS)
        for row in GradingRules.objects.all():
            row.full_clean()  # the bands migrated are well formed
