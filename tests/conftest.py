import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _persian(settings):
    """Every test starts in Persian, as the users do."""
    settings.LANGUAGE_CODE = "fa"
    from django.utils import translation

    with translation.override("fa"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the public bulletins are cached by id, and a rolled-back
    test's ids come back in the next test's database (SQLite reuses them)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency(db):
    return factories.AgencyFactory(code="education", name="آموزش و پرورش")


@pytest.fixture
def other_agency(db):
    return factories.AgencyFactory(code="gas", name="شرکت گاز")


@pytest.fixture
def director_user(db):
    return factories.director(username="director")


@pytest.fixture
def officer_user(agency):
    return factories.officer(agency, username="officer-education")


@pytest.fixture
def other_officer_user(other_agency):
    return factories.officer(other_agency, username="officer-gas")


@pytest.fixture
def evaluator_user(db):
    return factories.evaluator(username="evaluator")


@pytest.fixture
def viewer_user(db):
    return factories.viewer(username="viewer")


@pytest.fixture(scope="module")
def url_world(django_db_setup, django_db_blocker):
    """Agency A and B, a person in every role and objects to open: the URL × role tables walk it.

    Built once per module inside an outer transaction; each test's own transaction (the `db`
    fixture, which `url_world_db` asks for) is a savepoint in it, so a test's writes are undone.
    """
    from django.db import transaction

    from tests.urltable import build_world, log_in_every_role

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield log_in_every_role(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def url_world_db(url_world, db):
    return url_world
