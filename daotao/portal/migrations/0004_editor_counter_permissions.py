"""Editors read the daily visits and set the visits carried over from the previous site."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"  # daotao.accounts.roles.EDITOR, frozen here as migrations should be
CODENAMES = ["view_dailyvisits", "view_visitoffset", "add_visitoffset", "change_visitoffset"]


def grant(apps, schema_editor):
    portal = apps.get_app_config("portal")
    portal.models_module = True
    create_permissions(portal, apps=apps, verbosity=0)
    portal.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="portal", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editor in Group.objects.filter(name=EDITOR):
        editor.permissions.remove(*Permission.objects.filter(content_type__app_label="portal", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_editor_permissions")]
    operations = [migrations.RunPython(grant, revoke)]
