from django.db import migrations


def install_builtin(apps, schema_editor):
    from daotao.reports import builtin

    builtin.install(apps.get_model("reports", "ReportTemplate"), apps.get_model("reports", "ReportLine"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(install_builtin, migrations.RunPython.noop)]
