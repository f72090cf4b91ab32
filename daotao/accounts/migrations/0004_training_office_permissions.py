"""The training office keeps the school's records in the admin: its group may view, add,
change and delete them (without these a training-office user sees an empty admin).

A model added to these apps later needs its own migration granting the same."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "training_office"
MANAGED_MODELS = {
    "org": ["unit", "lecturer"],
    "people": ["student"],
    "programs": ["program"],
    "planning": ["annualplan", "quota"],
    "cohorts": ["cohort", "enrollment"],
    "reports": ["reporttemplate", "reportline"],
}
ACTIONS = ["view", "add", "change", "delete"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    codenames = {f"{action}_{model}" for models in MANAGED_MODELS.values() for model in models for action in ACTIONS}
    return Permission.objects.filter(content_type__app_label__in=MANAGED_MODELS, codename__in=codenames)


def grant(apps, schema_editor):
    # Django creates permissions after the last migration has run; on a new database they
    # do not exist yet at this point, so create them now (the later run finds them made).
    for app_config in apps.get_app_configs():
        if app_config.label in MANAGED_MODELS:
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0001_initial"),
        ("people", "0001_initial"),
        ("programs", "0001_initial"),
        ("planning", "0001_initial"),
        ("cohorts", "0001_initial"),
        ("reports", "0002_builtin_templates"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
