"""The training office keeps the holiday calendar in the admin (``role_permissions.py``)."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_training_office_admin_permissions"),
        ("teaching", "0002_holiday"),
    ]
    operations = [grant("training_office", {"teaching": {"holiday": ["view", "add", "change", "delete"]}})]
