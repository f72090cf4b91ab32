"""The national evaluation rules (Thông tư 10/2017/TT-BNV) as the school's default."""

from decimal import Decimal

from django.db import migrations


def install(apps, schema_editor):
    EvaluationRules = apps.get_model("surveys", "EvaluationRules")
    if not EvaluationRules.objects.exists():
        EvaluationRules.objects.create(
            name="Thông tư 10/2017/TT-BNV",
            active=True,
            scale_min=1,
            scale_max=10,
            max_blank_percent=Decimal("5"),
            bands=[[0, "Kém"], [2, "Yếu"], [4, "Trung bình"], [6, "Khá"], [8, "Tốt"]],
            min_answers=5,
            target_course_percent=Decimal("20"),
            target_learner_percent=Decimal("10"),
            target_after_courses=1,
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
