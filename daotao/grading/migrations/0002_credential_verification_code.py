"""Every credential gets a random verification code: added empty, filled one by one (a
callable default gives every existing row the same value), then made unique."""

from django.db import migrations, models

import daotao.grading.models


def fill_codes(apps, schema_editor):
    Credential = apps.get_model("grading", "Credential")
    taken = set()
    for credential in Credential.objects.filter(verification_code__isnull=True).only("pk").iterator():
        code = daotao.grading.models.new_verification_code()
        while code in taken:
            code = daotao.grading.models.new_verification_code()
        taken.add(code)
        Credential.objects.filter(pk=credential.pk).update(verification_code=code)


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="verification_code",
            field=models.CharField(editable=False, max_length=10, null=True, verbose_name="verification code"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="credential",
            name="verification_code",
            field=models.CharField(
                default=daotao.grading.models.new_verification_code,
                editable=False,
                help_text="Printed with its QR code on the credential; opens the public verification page.",
                max_length=10,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
