"""The training office keeps the absence warning thresholds in the admin and reads the
warnings sent there (``accounts/role_permissions.py``)."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_training_office_rooms"),
        ("alerts", "0002_default_thresholds"),
    ]
    operations = [
        grant(
            "training_office",
            {"alerts": {"absencethreshold": ["view", "add", "change", "delete"], "absencewarning": ["view"]}},
        )
    ]
