import pytest


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
