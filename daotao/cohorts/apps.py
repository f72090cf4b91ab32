from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from daotao.web.signals import restored


def _ensure_count_triggers(sender, using, **kwargs):
    """After every migrate (and flush): SQLite drops a table's triggers when a migration
    rebuilds the table, so the class count triggers are put back if one is missing."""
    # cohorts.counts reads the models, which are not loaded when this module is imported.
    from daotao.cohorts import counts

    if counts.ENROLLMENT_TABLE in connections[using].introspection.table_names():
        counts.ensure_triggers(using)


def _recount_after_restore(sender, using, **kwargs):
    """A restore saves each class with the count its backup holds, and the triggers count
    its enrollments again as they come in: the counts are set from the enrollments."""
    from daotao.cohorts import counts

    counts.recount(using)


class CohortsConfig(AppConfig):
    name = "daotao.cohorts"
    verbose_name = _("Classes")

    def ready(self):
        post_migrate.connect(_ensure_count_triggers, sender=self, dispatch_uid="cohorts_count_triggers")
        restored.connect(_recount_after_restore, dispatch_uid="cohorts_recount_after_restore")
