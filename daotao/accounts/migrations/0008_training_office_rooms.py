"""The training office keeps the rooms in the admin (``role_permissions.py``)."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_training_office_unavailability"),
        ("teaching", "0004_room_lesson_kind"),
    ]
    operations = [grant("training_office", {"teaching": {"room": ["view", "add", "change", "delete"]}})]
