# The register a receipt belongs to (issue 23, a school merged into this one): empty, the
# school's own, for every payment there is; a receipt number is unique in its register's year.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0005_student_index_from_constraint'),
        ('finance', '0002_grants'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='payment',
            name='payment_receipt_number_once_a_year',
        ),
        migrations.AddField(
            model_name='payment',
            name='register',
            field=models.CharField(blank=True, default='', help_text="Empty: this school's own register. A school merged into this one keeps its numbers in its own register, named here.", max_length=64, verbose_name='register'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(fields=('register', 'year', 'number'), name='payment_receipt_number_once_a_year'),
        ),
    ]
