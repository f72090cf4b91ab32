"""The training office sees the payments in the admin (``role_permissions.py``); the finance
pages record and void them."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
        ("accounts", "0008_training_office_rooms"),
    ]
    operations = [grant("training_office", {"finance": {"payment": ["view"]}})]
