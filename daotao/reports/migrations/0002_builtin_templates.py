from django.db import migrations


def install_builtin(apps, schema_editor):
    from daotao.reports import builtin

    # The yearly template only: the later ones use relations added by later migrations.
    builtin.install(
        apps.get_model("reports", "ReportTemplate"),
        apps.get_model("reports", "ReportLine"),
        codes=("coordination-yearly",),
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(install_builtin, migrations.RunPython.noop)]
