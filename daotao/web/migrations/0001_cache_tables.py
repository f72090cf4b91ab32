"""The database cache's table comes with the migrations, as ``manage.py createcachetable``
would make it: ``migrate`` alone gives a working site (the cache is the database cache
unless CACHE_URL says otherwise, and every portal page reads it).

Made: the default table (``daotao_cache``, even while CACHE_URL points at Redis or locmem,
so that switching to the default database cache later needs nothing more) and the table of
every database cache configured now. A table already there (an install that ran
createcachetable) is left as it is. Reversed, the tables are dropped."""

from io import StringIO

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, router

DEFAULT_TABLE = "daotao_cache"  # CACHE_URL's default: db://daotao_cache (daotao/lib/env.py)


def cache_tables() -> list[str]:
    tables = {DEFAULT_TABLE}
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache):
            tables.add(cache._table)
    return sorted(tables)


def create(apps, schema_editor):
    command = CreateCacheTable(stdout=StringIO())
    command.verbosity = 0
    for table in cache_tables():
        # Django's own code: the same columns and index, skipped when the table exists.
        command.create_table(schema_editor.connection.alias, table, dry_run=False)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for table in cache_tables():
        model = BaseDatabaseCache(table, {}).cache_model_class
        if table in existing and router.allow_migrate_model(connection.alias, model):
            schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop, elidable=False)]
