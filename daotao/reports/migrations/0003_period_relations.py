from django.db import migrations, models


def install_period_template(apps, schema_editor):
    from daotao.reports import builtin

    builtin.install(
        apps.get_model("reports", "ReportTemplate"),
        apps.get_model("reports", "ReportLine"),
        codes=("coordination-period",),
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_builtin_templates")]
    operations = [
        migrations.AlterField(
            model_name="reportline",
            name="relation",
            field=models.CharField(
                choices=[
                    ("opened", "Opened in the period"),
                    ("carried_over", "Carried over into the period"),
                    ("active", "Running in the period"),
                    ("closed", "Closed in the period"),
                    ("carried_over_running", "Carried over into the period and still running at its end"),
                ],
                max_length=24,
                verbose_name="relation",
            ),
        ),
        migrations.AlterField(
            model_name="reportline",
            name="label",
            field=models.CharField(
                help_text="May use {year}, {prev_year}, {period}, {from} and {to}.",
                max_length=255,
                verbose_name="label",
            ),
        ),
        migrations.AlterField(
            model_name="reporttemplate",
            name="title",
            field=models.CharField(
                help_text="May use {year}, {period}, {from} and {to}, e.g. “Báo cáo ... năm {year}”.",
                max_length=255,
                verbose_name="document title",
            ),
        ),
        migrations.AlterField(
            model_name="reporttemplate",
            name="summary",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Text with placeholders: {year} (the year the period ends in), {prev_year}, {period} "
                    "(“từ 01/03/2026 đến 30/04/2026”, or “năm 2026” for a calendar year), {from}, {to}, "
                    "{KEY.classes} and {KEY.students} for each line key, {quota.unmet_count} and {quota.unmet_names}."
                ),
                verbose_name="summary paragraph",
            ),
        ),
        migrations.RunPython(install_period_template, migrations.RunPython.noop),
    ]
