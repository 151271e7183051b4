import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The throttles count in Django's cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
