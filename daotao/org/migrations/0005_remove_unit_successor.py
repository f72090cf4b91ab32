"""The single successor of a unit gives way to its successions (0003, 0004), which the
training office keeps in the admin with the units (``accounts/role_permissions.py``)."""

from django.db import migrations, models

from daotao.accounts.grants import grant


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0004_succession_from_successor'),
        ('accounts', '0004_training_office_permissions'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='unit',
            name='successor',
        ),
        migrations.AddField(
            model_name='unit',
            name='successors',
            field=models.ManyToManyField(blank=True, related_name='predecessors', through='org.Succession', through_fields=('predecessor', 'successor'), to='org.unit', verbose_name='successors'),
        ),
        grant("training_office", {"org": {"succession": ["view", "add", "change", "delete"]}}),
    ]
