import pytest

# Passwords in tests are the tests' own: hashed with MD5 instead of PBKDF2's 1.000.000 rounds
# (0,2 s a user), they are still checked for real at every sign-in. This holds in the test
# process (the browser tests' in-process live server too); the processes the tests start
# (gunicorn in daotao.lib.liveserver, manage.py) keep the product's hashers.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    """Settings for this test run only, before any test class builds its data. Uploads, and
    the copies every import keeps (``daotao.audit.imports``), go to a folder of the run's own
    unless a test names another."""
    import tempfile

    from django.test import override_settings

    config._daotao_media = tempfile.TemporaryDirectory(prefix="daotao-test-media-")
    override_settings(
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        MEDIA_ROOT=config._daotao_media.name,
        DAOTAO_FIGURES_KEY_FILE=_figures_key(config),
    ).enable()
    _check_class_counts_after_every_test()


def _figures_key(config) -> str:
    """The run's own key that signs the school's figures packages (``export_figures``, the
    API's ``figures``), in a folder of the run's own: as a school that made one."""
    import tempfile
    from pathlib import Path

    from daotao.lib import signing

    config._daotao_keys = tempfile.TemporaryDirectory(prefix="daotao-test-keys-")
    path = Path(config._daotao_keys.name) / "figures-key.pem"
    signing.write_private_key(signing.new_private_key(), path)
    return str(path)


def _check_class_counts_after_every_test():
    """Every test that touches the database ends by comparing each class's stored count of
    students with a count of its enrollments (``daotao.cohorts.counts``), before its
    changes are rolled back: whatever path the test wrote through (a form, an import, the
    admin, the API, a restore), the triggers must have kept the counts true. One query a test."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        connection = connections[DEFAULT_DB_ALIAS]
        if DEFAULT_DB_ALIAS in self.databases and not connection.needs_rollback:
            from daotao.cohorts import counts

            try:
                wrong = counts.differences()
            except DatabaseError:  # a transaction the test left broken on purpose: nothing to read
                wrong = []
            if wrong:
                original(self)
                raise AssertionError(f"stored class counts differ from the enrollments after the test: {wrong[:5]}")
        original(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_unconfigure(config):
    for folder in (getattr(config, "_daotao_media", None), getattr(config, "_daotao_keys", None)):
        if folder is not None:
            folder.cleanup()


def _shares_the_demo(item) -> bool:
    from daotao.testing import DemoTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, DemoTestCase)


def pytest_collection_modifyitems(items):
    """The classes on the demo (``daotao.testing.DemoTestCase``) first, one after the other,
    so that they share one load of it; the order of the others is pytest-django's."""
    items.sort(key=lambda item: not _shares_the_demo(item))


def pytest_runtest_setup(item):
    """A test off the demo never runs inside it: when the demo classes ended early (the
    last one skipped, say), the demo is left here."""
    if not _shares_the_demo(item):
        from daotao.testing import leave_shared_demo

        leave_shared_demo()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a demo class is torn down: keep the demo for the next test if it is on the demo too."""
    from daotao.testing import DemoTestCase

    DemoTestCase.keep_demo = nextitem is not None and _shares_the_demo(nextitem)


@pytest.fixture(autouse=True)
def _school_identity(request, settings):
    """Each test starts from the identity its data holds (a test's changes roll back, the
    process's snapshot must not outlive them), read before the test so that no query count
    depends on which test ran first; it is never read again by age during a test."""
    from django.test import TransactionTestCase

    from daotao.school import identity

    settings.DAOTAO_IDENTITY_TTL = None
    identity.forget()
    cls = getattr(request.node, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        identity.current()
    else:  # no database: the unnamed school
        identity.keep(identity.unnamed())
    yield
    identity.forget()


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    """Tests see the product as a user does: in Vietnamese, the school's time zone. Imports
    run their background job inline, in the request (``daotao.web.jobs``)."""
    from django.utils import translation

    settings.DAOTAO_IMPORT_INLINE = True
    with translation.override("vi"):
        yield


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''} {database['NAME']}"
