import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _persian(settings):
    """Every test starts in Persian, as the users do."""
    settings.LANGUAGE_CODE = "fa"
    from django.utils import translation

    with translation.override("fa"):
        yield


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
