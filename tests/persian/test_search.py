"""Persian-aware search: what a person types finds the name however either was written (persian.search).

«كتابخانه» (Arabic kaf), «کتابخانههای» (no half-space), «کتابخانه های» (a space) and «كتابخانه‌هاي» (Arabic
kaf and yeh) each find «کتابخانه‌های عمومی», in the admin's search box and in the websites page's name filter,
on SQLite and on PostgreSQL (DATABASE_URL).
"""

import pytest
from django.db.models import F
from django.urls import reverse

from agencies.models import Agency, County
from persian import search
from persian.search import Finds, pattern, search_key
from plans.models import Milestone
from tests import factories

LIBRARIES = "کتابخانه‌های عمومی"
TYPED = ["كتابخانه", "کتابخانههای", "کتابخانه های", "كتابخانه‌هاي"]

# Text as it may be stored (the normaliser keeps digits and ZWNJ as typed, and older rows kept Arabic letters).
STORED = [
    LIBRARIES,
    "كتابخانه‌هاي عمومي",
    "مُحَمَّد  رسـول‌الله",
    "سازمان ۱۲ و ٣٤ و 56",
    "تأمین اجتماعی، مؤسسه ئیلاق إرشاد ٱ ۀ ة ى",
    "Education ORG\u00a0 tab\there",
    "\u200fجهت\u200e",
]


@pytest.fixture
def libraries(db):
    found = factories.AgencyFactory(code="libraries", name=LIBRARIES)
    factories.AgencyFactory(code="gas", name="شرکت گاز")
    factories.AgencyFactory(code="education", name="آموزش و پرورش")
    return found


def test_search_key_folds_what_people_type_differently():
    assert {search_key(text) for text in [LIBRARIES, "کتابخانههای عمومی", "كتابخانه هاي عمومي"]} == {"کتابخانههایعمومی"}
    assert search_key("مُحَمَّد") == search_key("مـحمد") == search_key("محمد")
    assert search_key("۱۲") == search_key("١٢") == search_key("12")
    assert search_key(None) is None


TERMS = [
    *TYPED,
    "محمد رسول الله",
    "مـحمّد",
    "12",
    "۳۴",
    "٥٦",
    "تامين",
    "موسسه",
    "ئيلاق",
    "ارشاد",
    "ا",
    "ه",
    "education org",
    "EDUCATION",
    "tabhere",
    "جهت",
    "عمومی کتاب",
    "100%",
    "a_b",
    "(x)",
]


@pytest.mark.django_db
def test_the_database_finds_a_row_exactly_when_python_does():
    """Every stored text × every typed term: the database's answer (a regular expression on PostgreSQL, and
    through the registered function on SQLite) is Python's `search_key(term) in search_key(text)`."""
    for name in [*STORED, "100%", "a_b", "a(x)"]:
        County.objects.create(name=name)
    for term in TERMS:
        expected = {
            name for name in County.objects.values_list("name", flat=True) if search_key(term) in search_key(name)
        }
        found = set(County.objects.filter(Finds(F("name"), term)).values_list("name", flat=True))
        assert found == expected, term


def test_the_pattern_lets_what_the_key_drops_stand_between_letters():
    between = "[" + "".join(sorted(set(" \t\n\u00a0\u200c\u0640\u064e\u0621"))) + "]"
    regex = pattern(search_key("كتاب"))
    assert regex.startswith("[کك]")
    assert all(char in regex.split("ت")[0] for char in between.strip("[]"))
    assert pattern("a.b").replace(regex.split("ت")[0][len("[کك]") :], "|") == "a|\\.|b"


@pytest.mark.parametrize("typed", TYPED)
def test_admin_agency_search_finds_the_name_however_typed(client, director_user, libraries, typed):
    client.force_login(director_user)
    response = client.get(reverse("admin:agencies_agency_changelist"), {"q": typed})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [libraries]


def test_admin_search_needs_every_word_and_finds_nothing_else(client, director_user, libraries):
    client.force_login(director_user)
    url = reverse("admin:agencies_agency_changelist")
    assert list(client.get(url, {"q": "كتابخانه عمومي"}).context["cl"].result_list) == [libraries]
    assert list(client.get(url, {"q": "كتابخانه گاز"}).context["cl"].result_list) == []
    assert list(client.get(url, {"q": "education"}).context["cl"].result_list) == [Agency.objects.get(code="education")]


def test_admin_search_across_a_relation(client, director_user, libraries):
    factories.officer(libraries, username="officer-libraries")
    client.force_login(director_user)
    response = client.get(reverse("admin:agencies_membership_changelist"), {"q": "كتابخانههاي"})
    assert [membership.user.username for membership in response.context["cl"].result_list] == ["officer-libraries"]


def test_admin_autocomplete_finds_the_name_however_typed(client, director_user, libraries):
    client.force_login(director_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "كتابخانه", "app_label": "agencies", "model_name": "membership", "field_name": "agency"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [LIBRARIES]


@pytest.mark.parametrize("typed", TYPED)
def test_websites_page_name_filter_finds_the_name_however_typed(client, director_user, libraries, typed):
    client.force_login(director_user)
    response = client.get(reverse("monitoring:websites"), {"q": typed})
    assert response.status_code == 200
    assert [agency.name for agency in response.context["agencies"]] == [LIBRARIES]
    assert LIBRARIES in response.content.decode()
    assert "شرکت گاز" not in response.content.decode()


# --- the indexed form (milestone titles: a pg_trgm index on PostgreSQL, a pre-filter on SQLite) -----------------


@pytest.mark.django_db
def test_the_indexed_milestone_title_search_finds_a_row_exactly_when_python_does():
    """The same table on milestone titles, whose column is indexed: on PostgreSQL
    `persian_search_text(title) ~* letters` (keys of three letters or more), on SQLite instr() before the
    function. Each still answers exactly as Python does."""
    goal = factories.GoalFactory()
    agency = factories.AgencyFactory()
    for title in [*STORED, "100%", "a_b", "a(x)"]:
        factories.MilestoneFactory(goal=goal, agency=agency, title=title)
    milestones = Milestone.objects.all()
    for term in TERMS:
        titles = milestones.values_list("title", flat=True)
        expected = {title for title in titles if search_key(term) in search_key(title)}
        assert set(milestones.filter(Finds(F("title"), term)).values_list("title", flat=True)) == expected, term


def test_sqlite_prefilter_letters_are_letters_the_text_must_hold_as_they_are():
    assert search.required_spellings(search_key("كتابخانه‌هاي")) == [["خ"], ["ب"]]
    assert search.required_spellings(search_key("گ ۱۴")) == [["گ"], ["4", "٤", "۴"]]
    assert search.required_spellings(search_key("education ی")) == []
    spellings = {char for chars in search._VARIANTS.values() for char in chars} | set(search._DROPPED)
    assert not spellings & set(search._RAREST_FIRST)


def _postgresql(connection):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")


@pytest.mark.django_db
def test_postgresql_search_text_function_drops_exactly_what_the_key_drops():
    from django.db import connection

    _postgresql(connection)
    letters = "".join(char for chars in search._VARIANTS.values() for char in chars) + "بپتABCxyz"
    with connection.cursor() as cursor:
        cursor.execute("SELECT persian_search_text(%s)", [search._DROPPED + letters + search._DROPPED])
        assert cursor.fetchone()[0] == letters


@pytest.mark.django_db
def test_postgresql_milestone_title_search_uses_the_trigram_index():
    from django.db import connection

    _postgresql(connection)
    goal = factories.GoalFactory()
    agency = factories.AgencyFactory()
    for n in range(50):
        factories.MilestoneFactory(goal=goal, agency=agency, title=f"برگزاری نشست خبری {n}")
    factories.MilestoneFactory(goal=goal, agency=agency, title=LIBRARIES)
    found = search.search(Milestone.objects.all(), ["title"], "كتابخانه هاي")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.order_by().explain()
    assert "plans_milestone_title_search" in plan, plan
    assert [milestone.title for milestone in found] == [LIBRARIES]
    # Shorter than a trigram, or OR-ed with an unindexed column: the column's own regular expression.
    milestones = Milestone.objects.all()
    assert "persian_search_text" not in str(search.search(milestones, ["title"], "کت").query)
    assert "persian_search_text" not in str(search.search(milestones, ["title", "goal__title"], "کتاب").query)
