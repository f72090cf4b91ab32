"""The training office keeps, in the admin, the records of admissions, teaching, essays,
grading and the audit trail as well (``role_permissions.py``; before this only superusers
could open them there). Grades, decisions, the register and the audit trail are read-only."""

from django.db import migrations

from daotao.accounts.grants import grant

ALL = ["view", "add", "change", "delete"]
READ = ["view"]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_training_office_permissions"),
        ("admissions", "0001_initial"),
        ("audit", "0001_initial"),
        ("essays", "0002_topic_note_submitted_at"),
        ("grading", "0001_initial"),
        ("programs", "0002_module_assessment_and_more"),
        ("surveys", "0003_office_permissions"),
        ("teaching", "0001_initial"),
    ]
    operations = [
        grant(
            "training_office",
            {
                "programs": {"module": ALL, "assessment": ALL},
                "admissions": {
                    "positioncategory": ALL,
                    "documenttype": ALL,
                    "programdocument": ALL,
                    "eligibilityrule": ALL,
                    "application": ["view", "change"],
                    "applicationdocument": READ,
                    "ruleexception": ["view", "add", "change"],
                },
                "teaching": {
                    "teachingassignment": ALL,
                    "lesson": ALL,
                    "lecturelog": ALL,
                    "attendance": ALL,
                    "peerobservation": ALL,
                    "classofficer": ALL,
                    "steeringcommitteemember": ALL,
                    "fieldtrip": ALL,
                },
                "essays": {"localissue": ALL, "essay": ["view", "change"]},
                "grading": {
                    "gradingrules": ALL,
                    "discipline": ALL,
                    "grade": READ,
                    "graduationdecision": READ,
                    "graduationentry": READ,
                    "registercounter": READ,
                    "credential": READ,
                },
                "audit": {"auditentry": READ},
            },
        )
    ]
