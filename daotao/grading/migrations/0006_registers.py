# The register a numbered record belongs to (issue 23, a school merged into this one): empty,
# the school's own, for every row there is; a merged school's credentials and blank forms keep
# their numbers in its own register. Register and serial numbers, a register year's sequence
# and a form's serial are unique within a register, no longer school-wide.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0005_student_index_from_constraint'),
        ('grading', '0005_classification_bands'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='credential',
            name='credential_sequence_unique',
        ),
        migrations.AddField(
            model_name='blankform',
            name='register',
            field=models.CharField(blank=True, default='', help_text="Empty: this school's own register. A school merged into this one keeps its numbers in its own register, named here.", max_length=64, verbose_name='register'),
        ),
        migrations.AddField(
            model_name='blankformbatch',
            name='register',
            field=models.CharField(blank=True, default='', help_text="Empty: this school's own register. A school merged into this one keeps its numbers in its own register, named here.", max_length=64, verbose_name='register'),
        ),
        migrations.AddField(
            model_name='credential',
            name='register',
            field=models.CharField(blank=True, default='', help_text="Empty: this school's own register. A school merged into this one keeps its numbers in its own register, named here.", max_length=64, verbose_name='register'),
        ),
        migrations.AlterField(
            model_name='blankform',
            name='serial',
            field=models.CharField(max_length=32, verbose_name='serial number'),
        ),
        migrations.AlterField(
            model_name='credential',
            name='register_number',
            field=models.CharField(max_length=32, verbose_name='register number'),
        ),
        migrations.AlterField(
            model_name='credential',
            name='serial_number',
            field=models.CharField(max_length=32, verbose_name='serial number'),
        ),
        migrations.AddConstraint(
            model_name='blankform',
            constraint=models.UniqueConstraint(fields=('register', 'serial'), name='blank_form_serial_unique'),
        ),
        migrations.AddConstraint(
            model_name='credential',
            constraint=models.UniqueConstraint(fields=('register', 'kind', 'year', 'sequence'), name='credential_sequence_unique'),
        ),
        migrations.AddConstraint(
            model_name='credential',
            constraint=models.UniqueConstraint(fields=('register', 'register_number'), name='credential_register_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='credential',
            constraint=models.UniqueConstraint(fields=('register', 'serial_number'), name='credential_serial_number_unique'),
        ),
    ]
