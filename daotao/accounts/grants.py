"""Data migrations that give a role group the admin permissions on some models.

Django creates permissions after the last migration has run, so on a new database they do
not exist yet when such a migration runs: ``grant`` creates them first (the later run
finds them made)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _permissions(apps, models: dict[str, dict[str, list[str]]]):
    Permission = apps.get_model("auth", "Permission")
    codenames = {
        f"{action}_{model}" for per_app in models.values() for model, actions in per_app.items() for action in actions
    }
    return Permission.objects.filter(content_type__app_label__in=list(models), codename__in=codenames)


def grant(group_name: str, models: dict[str, dict[str, list[str]]]) -> migrations.RunPython:
    """``models``: app label -> model name -> actions (view, add, change, delete)."""

    def forward(apps, schema_editor):
        for app_config in apps.get_app_configs():
            if app_config.label in models:
                app_config.models_module = True
                create_permissions(app_config, apps=apps, verbosity=0)
                app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*_permissions(apps, models))

    def backward(apps, schema_editor):
        group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, models))

    return migrations.RunPython(forward, backward)
