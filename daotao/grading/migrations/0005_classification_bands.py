# The classification bands of each program's rules become a list (issue: classification
# bands and percentages): a row's thresholds (excellent, good, fair from and the pass mark,
# from which Trung bình started) are copied into its bands, with today's codes and names,
# so that every stored classification and every figure stays as it was.

import daotao.grading.models
from django.db import migrations, models

NAMES = (("excellent", "Xuất sắc"), ("good", "Giỏi"), ("fair", "Khá"), ("average", "Trung bình"))


def thresholds_to_bands(apps, schema_editor):
    GradingRules = apps.get_model("grading", "GradingRules")
    for row in GradingRules.objects.all():
        floors = (row.excellent_from, row.good_from, row.fair_from, row.pass_mark)
        row.bands = [
            {"code": code, "name": name, "from": str(floor)} for (code, name), floor in zip(NAMES, floors, strict=True)
        ]
        row.save(update_fields=["bands"])


def bands_to_thresholds(apps, schema_editor):
    GradingRules = apps.get_model("grading", "GradingRules")
    for row in GradingRules.objects.all():
        floors = {item["code"]: item["from"] for item in row.bands if isinstance(item, dict)}
        row.excellent_from = floors.get("excellent", "9.0")
        row.good_from = floors.get("good", "8.0")
        row.fair_from = floors.get("fair", "7.0")
        row.save(update_fields=["excellent_from", "good_from", "fair_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0004_decision_signer_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="gradingrules",
            name="bands",
            field=models.JSONField(
                default=daotao.grading.models.default_bands,
                help_text="From the best down: each band's code, its name as printed and the average it starts from.",
                verbose_name="classification bands",
            ),
        ),
        migrations.RunPython(thresholds_to_bands, bands_to_thresholds, elidable=False),
        migrations.RemoveField(model_name="gradingrules", name="excellent_from"),
        migrations.RemoveField(model_name="gradingrules", name="fair_from"),
        migrations.RemoveField(model_name="gradingrules", name="good_from"),
        migrations.AlterField(
            model_name="graduationentry",
            name="classification",
            field=models.CharField(blank=True, max_length=16, verbose_name="classification"),
        ),
    ]
