"""Each unit's single successor (``Unit.successor``) becomes a succession row: the unit was
merged into its successor on the day after its validity ended (or, without an end, on the
day the successor starts, else on 01/07/2025, the day of the reorganisation)."""

import datetime as dt

from django.db import migrations

REORGANISATION = dt.date(2025, 7, 1)


def forwards(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Succession = apps.get_model("org", "Succession")
    rows = []
    for unit in Unit.objects.filter(successor__isnull=False).select_related("successor").order_by("pk"):
        if unit.valid_to is not None:
            day = unit.valid_to + dt.timedelta(days=1)
        else:
            day = unit.successor.valid_from or REORGANISATION
        rows.append(Succession(predecessor_id=unit.pk, successor_id=unit.successor_id, effective_date=day, kind="merged"))
    Succession.objects.bulk_create(rows, batch_size=500)


def backwards(apps, schema_editor):
    """The first successor of each unit (by date) back into the single field."""
    Unit = apps.get_model("org", "Unit")
    Succession = apps.get_model("org", "Succession")
    first = {}
    for row in Succession.objects.order_by("-effective_date", "-pk"):
        first[row.predecessor_id] = row.successor_id
    for pk, successor_id in first.items():
        Unit.objects.filter(pk=pk).update(successor_id=successor_id)


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0003_succession"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
