"""Every publishing URL, walked as every role (tests/urltable.py explains the table).

`bulletin` (summer 1405, the world's locked round) is published; `draft_bulletin` (spring 1405) is a
draft; `round_unpublished` (winter 1404) is locked without a bulletin. The public pages answer everyone
alike and never show a draft; only the director-general drafts, edits, publishes and corrects.
"""

import datetime

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

EVERYONE = (200,) * 6
NOBODY = (404,) * 6
READ_ONLY = (405,) * 6
NOT_ALLOWED = (302, 405, 405, 405, 405, 405)
DIRECTOR_ONLY = (302, 403, 403, 403, 403, 200)


def published(world):
    return [world.bulletin.pk]


def draft(world):
    return [world.draft_bulletin.pk]


def public_url(cases_extra=(), args=None):
    return Url(
        args=args,
        cases=[*cases_extra, Case("POST", READ_ONLY), Case("PROPFIND", READ_ONLY)],
    )


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "publishing:bulletins": public_url([Case("GET", EVERYONE)]),
    "publishing:latest": public_url([Case("GET", (302,) * 6, location=("/bulletins/",))]),
    "publishing:feed": Url(cases=[Case("GET", EVERYONE), Case("POST", READ_ONLY), Case("PROPFIND", READ_ONLY)]),
    "publishing:data_dictionary": public_url([Case("GET", EVERYONE)]),
    "publishing:agency": public_url(
        [Case("GET", EVERYONE), Case("GET", NOBODY, args=lambda w: ["nobody"])],
        args=lambda w: [w.agency_a.code],
    ),
    "publishing:bulletin": public_url([Case("GET", EVERYONE), Case("GET", NOBODY, args=draft)], args=published),
    "publishing:data_csv": public_url(
        [
            Case("GET", EVERYONE),
            Case("GET", EVERYONE, args=lambda w: [w.bulletin.pk, "goals"]),
            Case("GET", NOBODY, args=lambda w: [w.draft_bulletin.pk, "agencies"]),
            Case("GET", NOBODY, args=lambda w: [w.bulletin.pk, "people"]),
        ],
        args=lambda w: [w.bulletin.pk, "agencies"],
    ),
    "publishing:data_json": public_url([Case("GET", EVERYONE), Case("GET", NOBODY, args=draft)], args=published),
    "publishing:manage": Url(
        cases=[
            Case("GET", DIRECTOR_ONLY),
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                data=lambda w: {"round": w.round_unpublished.pk, "plan": w.plan.pk},
                changes=True,
            ),
            # A round that already has its bulletin: the form again with its message, nothing made.
            Case("POST", DIRECTOR_ONLY, data=lambda w: {"round": w.round_locked.pk, "plan": w.plan.pk}),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "publishing:edit": Url(
        args=draft,
        cases=[
            Case("GET", DIRECTOR_ONLY),
            Case("GET", DIRECTOR_ONLY, args=published),
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                data=lambda w: {
                    "version": w.draft_bulletin.version,
                    "press_text": "متن خبری ویرایش‌شده",
                    f"done_{w.goal.pk}": "انجام شد",
                },
                changes=True,
            ),
            # A published bulletin is frozen: the page again with the message, nothing changed.
            Case(
                "POST",
                DIRECTOR_ONLY,
                args=published,
                data=lambda w: {"version": w.bulletin.version, "press_text": "تغییر بی‌صدا"},
            ),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "publishing:preview": Url(
        args=draft,
        cases=[Case("GET", DIRECTOR_ONLY), Case("POST", NOT_ALLOWED), Case("PROPFIND", NOT_ALLOWED)],
    ),
    "publishing:publish": Url(
        args=draft,
        cases=[
            Case("GET", NOT_ALLOWED),
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                data=lambda w: {"version": w.draft_bulletin.version, "published_on": "۱۴۰۵/۰۷/۰۱"},
                changes=True,
            ),
            # Published already: sent back with the message, nothing changed.
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                args=published,
                data=lambda w: {"version": w.bulletin.version, "published_on": "۱۴۰۵/۰۷/۰۱"},
            ),
            # A date outside the Solar Hijri range: the page again with the message (400), nothing changed.
            Case(
                "POST",
                (302, 403, 403, 403, 403, 400),
                data=lambda w: {"version": w.draft_bulletin.version, "published_on": "۱۶۰۰/۰۱/۰۱"},
            ),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "publishing:erratum": Url(
        args=published,
        cases=[
            Case("GET", NOT_ALLOWED),
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                data={"text": "رتبه شرکت گاز اصلاح شد.", "published_on": "۱۴۰۵/۰۸/۰۱"},
                changes=True,
            ),
            Case("POST", (302, 403, 403, 403, 403, 400), data={"text": "", "published_on": "۱۴۰۵/۰۸/۰۱"}),
            # A draft has no errata: sent back to its page, nothing changed.
            Case("POST", (302, 403, 403, 403, 403, 302), args=draft, data={"text": "x", "published_on": "۱۴۰۵/۰۸/۰۱"}),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
}


def _locked_round(quarter, director):
    from evaluations import services

    round_ = services.open_round(quarter=quarter, deadline=datetime.date(2026, 12, 30), opened_by=director)
    services.close_round(round=round_, by=director)
    round_.refresh_from_db()
    services.lock_round(round=round_, by=director)
    round_.refresh_from_db()
    return round_


def extend_world(world):
    """The locked round's bulletin, published; a draft for spring 1405; winter 1404 locked without one."""
    from persian.jalali import Quarter
    from publishing import services

    director = world.users["director"]
    bulletin = services.create_draft(round=world.round_locked, plan=world.plan, by=director)
    world.objects["bulletin"] = services.publish(
        bulletin=bulletin, published_on=datetime.date(2026, 9, 25), expected_version=bulletin.version, by=director
    )
    world.objects["erratum"] = services.add_erratum(
        bulletin=bulletin, text="نام دستگاه اصلاح شد.", published_on=datetime.date(2026, 10, 1), by=director
    )
    spring = _locked_round(Quarter(1405, 1), director)
    world.objects["draft_bulletin"] = services.create_draft(round=spring, plan=world.plan, by=director)
    world.objects["round_unpublished"] = _locked_round(Quarter(1404, 4), director)


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
