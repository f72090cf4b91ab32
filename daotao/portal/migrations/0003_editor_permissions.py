"""The editor role may add, change, delete and view the portal's articles, their images,
categories and banners; its members work in the admin, so they are staff."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "editor"  # daotao.accounts.roles.EDITOR, frozen here as migrations should be
MODELS = ["article", "articleimage", "category", "banner"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create the portal's now.
    portal = apps.get_app_config("portal")
    portal.models_module = True
    create_permissions(portal, apps=apps, verbosity=0)
    portal.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="portal", codename__in=codenames))
    User.objects.filter(groups=editor, is_staff=False).update(is_staff=True)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for editor in Group.objects.filter(name=EDITOR):
        editor.permissions.remove(*editor.permissions.filter(content_type__app_label="portal"))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_articles_banners"),
        ("accounts", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
