"""The shipped coefficients (valid until the school's first decision; the admin changes them)
and the training office's permissions to keep them (``role_permissions.py``)."""

from decimal import Decimal

from django.db import migrations

from daotao.accounts.grants import grant

SHIPPED_YEAR = 2020
BANDS = [(60, Decimal("1.1")), (100, Decimal("1.2"))]


def install_defaults(apps, schema_editor):
    WorkloadRules = apps.get_model("workload", "WorkloadRules")
    ClassSizeBand = apps.get_model("workload", "ClassSizeBand")
    if WorkloadRules.objects.exists():
        return
    rules = WorkloadRules.objects.create(year=SHIPPED_YEAR)
    ClassSizeBand.objects.bulk_create(
        [ClassSizeBand(rules=rules, more_than=more_than, coefficient=coefficient) for more_than, coefficient in BANDS]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workload", "0001_initial"),
        ("accounts", "0008_training_office_rooms"),
    ]
    operations = [
        migrations.RunPython(install_defaults, migrations.RunPython.noop),
        grant(
            "training_office",
            {
                "workload": {
                    "workloadrules": ["view", "add", "change", "delete"],
                    "programcoefficient": ["view", "add", "change", "delete"],
                    "classsizeband": ["view", "add", "change", "delete"],
                    "lecturernorm": ["view", "add", "change", "delete"],
                }
            },
        ),
    ]
