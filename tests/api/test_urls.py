"""Every API URL, walked as every role, with a session and with a personal token (tests/urltable.py explains the table).

The plan is active and public; `draft_plan` is neither. `milestone_a` is agency A's. `round` is open
(autumn 1405), `round_locked` (summer 1405) is locked. Anonymous gets the public plans and their goals
(what the public page shows) and a 401 elsewhere; every write is a 405 for everyone.
"""

import pytest
from django.urls import reverse

from tests.urltable import ROLES, Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

EVERYONE = (200,) * 6
MEMBERS = (401, 200, 200, 200, 200, 200)
WRITES = [Case("POST", (405,) * 6), Case("PROPFIND", (405,) * 6)]


def plan(world):
    return [world.plan.pk]


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "api:plans": Url(cases=[Case("GET", EVERYONE), *WRITES]),
    "api:plan": Url(
        args=plan,
        cases=[Case("GET", EVERYONE), Case("GET", (404, *EVERYONE[1:]), args=lambda w: [w.draft_plan.pk]), *WRITES],
    ),
    "api:goals": Url(
        args=plan,
        cases=[
            Case("GET", EVERYONE),
            Case("GET", (404, *EVERYONE[1:]), args=lambda w: [w.draft_plan.pk]),
            Case("GET", (400, 400, 400, 400, 400, 400), query={"quarter": "1405-5"}),
            *WRITES,
        ],
    ),
    "api:goal": Url(args=lambda w: [w.goal.pk], cases=[Case("GET", EVERYONE), *WRITES]),
    "api:agency_figures": Url(args=plan, cases=[Case("GET", MEMBERS), *WRITES]),
    "api:agencies": Url(cases=[Case("GET", MEMBERS), *WRITES]),
    "api:agency": Url(args=lambda w: [w.agency_b.pk], cases=[Case("GET", MEMBERS), *WRITES]),
    "api:milestones": Url(
        cases=[
            Case("GET", MEMBERS),
            Case("GET", (401, 400, 400, 400, 400, 400), query={"due_from": "۱۴۰۵/۱۳/۰۱"}),
            *WRITES,
        ]
    ),
    "api:milestone": Url(
        args=lambda w: [w.milestone_a.pk],
        cases=[
            Case("GET", (401, 200, 404, 200, 200, 200)),
            Case("GET", (401, 404, 200, 200, 200, 200), args=lambda w: [w.milestone_b.pk]),
            *WRITES,
        ],
    ),
    "api:rounds": Url(cases=[Case("GET", MEMBERS), *WRITES]),
    "api:round": Url(
        args=lambda w: [w.round.pk],
        cases=[
            # Officers read closed and locked rounds only (their scorecards); an open one is a 404.
            Case("GET", (401, 404, 404, 200, 200, 200)),
            Case("GET", MEMBERS, args=lambda w: [w.round_locked.pk]),
            *WRITES,
        ],
    ),
    "api:round_results": Url(
        args=lambda w: [w.round_locked.pk],
        cases=[
            # Each officer reads their own agency's row of the frozen results.
            Case("GET", MEMBERS),
            # An open round's results: the director-general's alone (live, not frozen).
            Case("GET", (401, 404, 404, 404, 404, 200), args=lambda w: [w.round.pk]),
            *WRITES,
        ],
    ),
    # Reports follow their milestone: agency A's report is its officer's and the council's; a bad day is a 400.
    "api:reports": Url(
        cases=[
            Case("GET", MEMBERS),
            Case("GET", (401, 400, 400, 400, 400, 400), query={"reported_from": "۱۴۰۵/۱۳/۰۱"}),
            Case("GET", (401, 400, 400, 400, 400, 400), query={"review_state": "lost"}),
            Case("GET", (401, 400, 400, 400, 400, 400), query={"author": "1"}),
            *WRITES,
        ]
    ),
    "api:report": Url(
        args=lambda w: [w.update_a.pk],
        cases=[
            Case("GET", (401, 200, 404, 200, 200, 200)),
            Case("GET", (401, 404, 200, 200, 200, 200), args=lambda w: [w.update_b.pk]),
            *WRITES,
        ],
    ),
    # Counties are the filters' ids, public like the public page's filters.
    "api:counties": Url(
        cases=[Case("GET", EVERYONE), Case("GET", (400,) * 6, query={"name": "x"}), *WRITES],
    ),
    "api:county": Url(args=lambda w: [w.agency_a.county_id], cases=[Case("GET", EVERYONE), *WRITES]),
    # Published bulletins, for anyone; a draft is a 404 to everyone, the director-general too (the API is public).
    "api:bulletins": Url(
        cases=[Case("GET", EVERYONE), Case("GET", (400,) * 6, query={"status": "draft"}), *WRITES],
    ),
    "api:bulletin": Url(
        args=lambda w: [w.bulletin.pk],
        cases=[Case("GET", EVERYONE), Case("GET", (404,) * 6, args=lambda w: [w.draft_bulletin.pk]), *WRITES],
    ),
    "api:schema": Url(cases=[Case("GET", EVERYONE), *WRITES]),
    "api:docs": Url(cases=[Case("GET", EVERYONE), *WRITES]),
    # A person's own tokens (a page of the site, not the API): everyone with a role makes and revokes their own.
    "api_tokens:list": Url(
        cases=[
            Case("GET", (302, 200, 200, 200, 200, 200)),
            Case("POST", (302, 200, 200, 200, 200, 200), data={"name": "داشبورد"}, changes=True),
            # No name: the form again with its message, nothing made.
            Case("POST", (302, 200, 200, 200, 200, 200), data={"name": "  "}),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ]
    ),
    "api_tokens:revoke": Url(
        # The viewer's token: only the viewer revokes it; anyone else's answer is a 404.
        args=lambda w: [w.api_token.pk],
        cases=[
            Case(
                "POST",
                (302, 404, 404, 404, 302, 404),
                changes=True,
                location=("/account/api-tokens/", "/accounts/login/"),
            ),
            Case("GET", (302, 405, 405, 405, 405, 405)),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ],
    ),
}
# The walk with tokens covers the API only (the tokens page is a page of the site, behind a session).
API_TABLE = {name: url for name, url in TABLE.items() if name.startswith("api:")}


def extend_world(world):
    """A draft plan nobody outside the council may see, a token per role, and a token for the admin to open."""
    from api.services import create_token
    from plans.models import StrategicPlan
    from tests import factories

    world.objects["draft_plan"] = factories.StrategicPlanFactory(status=StrategicPlan.Status.DRAFT, is_public=False)
    world.objects["api_secrets"] = {
        role: create_token(user=user, name=f"walk {role}")[1] for role, user in world.users.items() if user is not None
    }
    world.objects["api_token"] = world.users["viewer"].api_tokens.get()


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)


@pytest.mark.parametrize(**cases_of(API_TABLE))
def test_url_permission_table_with_tokens(client, url_world_db, name, index):
    """The same statuses with a personal token instead of a session: a token sees what its owner sees."""
    world = url_world_db
    url_entry = API_TABLE[name]
    case = url_entry.cases[index]
    args = (case.args or url_entry.args or (lambda w: []))(world)
    url = reverse(name, args=args)
    problems = []
    for role in ROLES:
        headers = {}
        if world.users[role] is not None:
            headers["HTTP_AUTHORIZATION"] = f"Token {world.api_secrets[role]}"
        response = (
            client.generic(case.method, url, **headers) if case.query == {} else client.get(url, case.query, **headers)
        )
        if response.status_code != case.status_for(role):
            problems.append(f"{case.method} {url} {case.query} with {role}'s token: {response.status_code}")
    assert not problems, "\n".join(problems)
