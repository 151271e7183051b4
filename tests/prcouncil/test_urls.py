"""The site's own URLs (login, logout, language, start, favicon), walked as every role.

tests/urltable.py explains the table. The coverage test below fails when any URL of the site,
in any app or the admin, has no entry in any table (or a table names a URL that is gone).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.urltable import Case, Url, all_tables, cases_of, check_case, site_url_names

pytestmark = pytest.mark.django_db

EVERYONE = (302,) * 6
#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "start": Url(
        cases=[
            Case("GET", EVERYONE),
            Case("GET", (302, 302, 302, 302, 302, 302), location=("/accounts/login/", "/reporting/my-agency/", "/")),
        ]
    ),
    "login": Url(
        cases=[
            Case("GET", (200, 302, 302, 302, 302, 302)),
            # A wrong password: the form again, with its error.
            Case("POST", (200, 302, 302, 302, 302, 302), data={"username": "director", "password": "wrong"}),
            Case("PROPFIND", (405, 302, 302, 302, 302, 302)),
        ]
    ),
    "logout": Url(
        cases=[
            Case("GET", (405,) * 6),
            Case("POST", EVERYONE, location=("/accounts/login/",)),
            Case("PROPFIND", (405,) * 6),
        ]
    ),
    "set_language": Url(
        cases=[
            Case("POST", EVERYONE, data={"language": "en", "next": "/"}, location=("/",)),
            # It only ever changes something on POST: any other method is refused.
            Case("GET", (405,) * 6),
            Case("PROPFIND", (405,) * 6),
        ]
    ),
    "favicon": Url(cases=[Case("GET", (301,) * 6), Case("POST", (405,) * 6), Case("PROPFIND", (405,) * 6)]),
}


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)


def _unnamed(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _unnamed(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not pattern.name:
            yield prefix + str(pattern.pattern)


def test_every_url_of_the_site_is_in_a_table():
    in_tables = set(all_tables())
    site = site_url_names()
    assert not site - in_tables, f"URLs without an entry in a URL × role table: {sorted(site - in_tables)}"
    assert not in_tables - site, f"tables name URLs that no longer exist: {sorted(in_tables - site)}"


def test_every_url_has_a_name():
    """A URL without a name cannot be looked up in a table, so every pattern of ours is named.

    (Django's admin adds unnamed redirects of its own, `<object_id>/` to the change page and a
    catch-all to its login, behind the same door as the named admin pages.)
    """
    assert not [path for path in _unnamed(get_resolver().url_patterns) if not path.startswith("admin/")]
