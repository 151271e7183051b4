"""Every monitoring URL, walked as every role (tests/urltable.py explains the table).

A site's freshness is public within the council: every member reads every agency's (agency B's too);
only the director-general edits an agency's sources.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

NOT_ALLOWED = (302, 405, 405, 405, 405, 405)
MEMBERS = (302, 200, 200, 200, 200, 200)
SOURCES = {
    "website": "https://education.example.ir/",
    "feed_urls": "https://education.example.ir/rss\nhttps://education.example.ir/atom",
    "sitemap_url": "https://education.example.ir/sitemap.xml",
}

#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "monitoring:websites": Url(
        cases=[
            Case("GET", MEMBERS),
            Case("GET", MEMBERS, query={"format": "xlsx"}),
            Case("GET", MEMBERS, query={"format": "csv", "category": "cultural"}),
            Case("GET", MEMBERS, query={"county": "not-a-county"}),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "monitoring:agency": Url(
        args=lambda w: [w.agency_a.code],
        cases=[
            Case("GET", MEMBERS),
            Case("GET", MEMBERS, args=lambda w: [w.agency_b.code]),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: ["no-such-agency"]),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "monitoring:sources": Url(
        args=lambda w: [w.agency_a.code],
        cases=[
            Case("GET", (302, 403, 403, 403, 403, 200)),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: ["no-such-agency"]),
            Case("POST", (302, 403, 403, 403, 403, 302), data=SOURCES, changes=True),
            # A feed that is not http(s): the form again, with its message, and nothing saved.
            Case("POST", (302, 403, 403, 403, 403, 200), data={**SOURCES, "feed_urls": "file:///etc/passwd"}),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
}


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
