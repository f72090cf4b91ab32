import pytest


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    """Tests see the product as a user does: in Vietnamese, the school's time zone."""
    from django.utils import translation

    with translation.override("vi"):
        yield
