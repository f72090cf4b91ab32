"""Blank diploma and certificate forms (phôi): the batches received with their serial ranges
and the forms used, spoiled or voided. The training office may read both in the admin; they
change only through the blank forms' pages (``grading/blank_forms.py``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from daotao.accounts.grants import grant


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_training_office_admin_permissions'),
        ('grading', '0002_credential_verification_code'),
        ('programs', '0002_module_assessment_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BlankFormBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('diploma', 'Diploma'), ('certificate', 'Certificate'), ('confirmation', 'Confirmation of completion')], max_length=16, verbose_name='kind')),
                ('prefix', models.CharField(max_length=8, verbose_name='series')),
                ('first_number', models.PositiveIntegerField(verbose_name='first number')),
                ('last_number', models.PositiveIntegerField(verbose_name='last number')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('reference', models.CharField(blank=True, max_length=128, verbose_name='delivery note')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('program', models.ForeignKey(blank=True, help_text='Leave empty for any program of the kind.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='blank_form_batches', to='programs.program', verbose_name='program')),
                ('received_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='received by')),
            ],
            options={
                'verbose_name': 'batch of blank forms',
                'verbose_name_plural': 'batches of blank forms',
                'ordering': ['kind', 'prefix', 'first_number'],
            },
        ),
        migrations.CreateModel(
            name='BlankForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='number')),
                ('serial', models.CharField(max_length=32, unique=True, verbose_name='serial number')),
                ('state', models.CharField(choices=[('used', 'Used'), ('spoiled', 'Spoiled in printing'), ('voided', 'Voided (lost or damaged)')], max_length=16, verbose_name='state')),
                ('reason', models.CharField(blank=True, max_length=255, verbose_name='reason')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('credential', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='blank_forms', to='grading.credential', verbose_name='credential')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forms', to='grading.blankformbatch', verbose_name='batch')),
            ],
            options={
                'verbose_name': 'blank form',
                'verbose_name_plural': 'blank forms used, spoiled or voided',
                'ordering': ['batch_id', 'number'],
            },
        ),
        migrations.AddConstraint(
            model_name='blankformbatch',
            constraint=models.CheckConstraint(condition=models.Q(('first_number__gte', 1), ('last_number__gte', models.F('first_number'))), name='blank_form_batch_range'),
        ),
        migrations.AddConstraint(
            model_name='blankform',
            constraint=models.UniqueConstraint(fields=('batch', 'number'), name='blank_form_once'),
        ),
        migrations.AddConstraint(
            model_name='blankform',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'used')), fields=('credential',), name='blank_form_one_used_per_credential'),
        ),
        migrations.AddConstraint(
            model_name='blankform',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'used'), _negated=True), ('credential__isnull', False), _connector='OR'), name='blank_form_used_has_credential'),
        ),
        migrations.AddConstraint(
            model_name='blankform',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'used'), models.Q(('reason', ''), _negated=True), _connector='OR'), name='blank_form_discarded_has_reason'),
        ),
        grant('training_office', {'grading': {'blankformbatch': ['view'], 'blankform': ['view']}}),
    ]
