"""The thresholds a school starts with: 50% and 80% of the absence limit, and the limit
reached (100%); the training office changes them in the admin."""

from django.db import migrations

DEFAULT_THRESHOLDS = (50, 80, 100)  # as alerts.models.DEFAULT_THRESHOLDS when written


def seed(apps, schema_editor):
    Threshold = apps.get_model("alerts", "AbsenceThreshold")
    for percent in DEFAULT_THRESHOLDS:
        Threshold.objects.get_or_create(percent=percent)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
