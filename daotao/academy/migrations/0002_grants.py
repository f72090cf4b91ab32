"""The training office keeps the registered schools and sees the packages imported, in the
admin of an Academy installation (``role_permissions.py``; the admin shows neither elsewhere)."""

from django.db import migrations

from daotao.accounts.grants import grant


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0001_initial"),
        ("accounts", "0008_training_office_rooms"),
    ]
    operations = [
        grant(
            "training_office",
            {
                "academy": {
                    "registeredschool": ["view", "add", "change", "delete"],
                    "figurespackage": ["view"],
                }
            },
        )
    ]
