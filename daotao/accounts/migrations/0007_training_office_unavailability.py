"""The training office keeps lecturers' unavailable days in the admin (``role_permissions.py``)."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_training_office_holidays"),
        ("teaching", "0003_unavailability"),
    ]
    operations = [grant("training_office", {"teaching": {"unavailability": ["view", "add", "change", "delete"]}})]
