"""The training office builds questionnaires and rounds and keeps career events in the
admin; invitations and results-pack logs it may only read."""

from django.db import migrations

from daotao.accounts.grants import grant

ALL = ["view", "add", "change", "delete"]


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_national_rules"),
        ("twoway", "0001_initial"),
        ("accounts", "0004_training_office_permissions"),
    ]
    operations = [
        grant(
            "training_office",
            {
                "surveys": {
                    "evaluationrules": ["view", "change"],
                    "questionnaire": ALL,
                    "questionnaireversion": ALL,
                    "section": ALL,
                    "question": ALL,
                    "surveyround": ALL,
                    "invitation": ["view"],
                    "careerevent": ALL,
                },
                "twoway": {"resultpackdispatch": ["view"]},
            },
        )
    ]
