"""Every plans URL (the progress pages), walked as every role (tests/urltable.py explains the table).

Figures are plan-wide for every role; milestone rows are narrowed per agency inside the pages
(tested in test_progress_views.py). The public page needs no login.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

EVERY_MEMBER = (302, 200, 200, 200, 200, 200)
# The plan editor (issue 11): the director-general and the secretariat only; every other role reads
# the plan but may not edit it (403); another agency's milestone is a 404 for an officer.
EDITOR = (302, 403, 403, 403, 403, 200)
EDITOR_WRITE = (302, 403, 403, 403, 403, 302)
EDITOR_MILESTONE = (302, 403, 404, 403, 403, 200)
EDITOR_MILESTONE_WRITE = (302, 403, 404, 403, 403, 302)
EDITOR_ONLY_POST = (302, 405, 405, 405, 405, 405)
EDITOR_GET_POST = (302, 405, 405, 405, 405, 405)  # for the unusual method
MISSING = (302, 404, 404, 404, 404, 404)
# The pages only read: any method but GET and HEAD is refused (after the login check).
READ_ONLY = (302, 405, 405, 405, 405, 405)
#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "home": Url(
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", EVERY_MEMBER, query={"plan": "-2", "county": "x", "quarter": "9999-9"}),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ]
    ),
    "plans:goal": Url(
        args=lambda w: [w.plan.pk, w.goal.number],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk, 99]),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:agency": Url(
        args=lambda w: [w.plan.pk, w.agency_a.code],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", EVERY_MEMBER, args=lambda w: [w.plan.pk, w.agency_b.code]),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk, "no-such-agency"]),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:heatmap": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:overdue": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:public": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", (200, 200, 200, 200, 200, 200)),
            Case("GET", (404, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk + 1000]),
            Case("POST", (405,) * 6),
            Case("PROPFIND", (405,) * 6),
        ],
    ),
    # --- the plan editor --------------------------------------------------------------
    "plans:editor": Url(
        cases=[
            Case("GET", EDITOR),
            Case("POST", EDITOR_GET_POST),
        ]
    ),
    "plans:plan_create": Url(
        cases=[
            Case("GET", EDITOR),
            Case("POST", EDITOR_WRITE, data={"title": "برنامه آزمایشی", "year": "۱۴۰۷"}, changes=True),
            Case("POST", EDITOR, data={"title": "", "year": "۹۹"}),  # refused values: the form again
            Case("PROPFIND", EDITOR_GET_POST),
        ]
    ),
    "plans:edit": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EDITOR),
            Case("GET", MISSING, args=lambda w: [w.plan.pk + 1000]),
            Case(
                "POST",
                EDITOR_WRITE,
                data=lambda w: {"version": w.plan.version, "title": "عنوان تازه", "year": "1405"},
                changes=True,
            ),
            Case("POST", EDITOR, data=lambda w: {"version": w.plan.version, "title": "x", "year": "-1"}),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:publish": Url(
        args=lambda w: [w.draft_plan.pk],
        cases=[
            Case("GET", EDITOR_ONLY_POST),
            Case("POST", EDITOR_WRITE, data=lambda w: {"version": w.draft_plan.version}, changes=True),
            Case("PROPFIND", EDITOR_ONLY_POST),
        ],
    ),
    "plans:copy": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EDITOR),
            Case("POST", EDITOR_WRITE, data={"title": "", "carry_over": "on"}, changes=True),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:goal_create": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EDITOR),
            Case("POST", EDITOR_WRITE, data={"title": "هدف تازه", "weight": "۲"}, changes=True),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:goals_reorder": Url(
        args=lambda w: [w.draft_plan.pk],
        cases=[
            Case("GET", EDITOR_ONLY_POST),
            Case(
                "POST",
                EDITOR_WRITE,
                data=lambda w: {
                    "order": f"{w.draft_goals[0].pk},{w.draft_goals[1].pk}",
                    "goal": w.draft_goals[1].pk,
                    "direction": "up",
                },
                changes=True,
            ),
            Case("PROPFIND", EDITOR_ONLY_POST),
        ],
    ),
    "plans:goal_edit": Url(
        args=lambda w: [w.plan.pk, w.goal.pk],
        cases=[
            Case("GET", EDITOR),
            # A goal of another plan is not found under this one.
            Case("GET", MISSING, args=lambda w: [w.plan.pk, w.draft_goals[0].pk]),
            Case(
                "POST",
                EDITOR_WRITE,
                data=lambda w: {"version": w.goal.version, "number": "1", "title": "عنوان تازه", "weight": "1"},
                changes=True,
            ),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:assign": Url(
        args=lambda w: [w.plan.pk, w.goal.pk],
        cases=[
            Case("GET", EDITOR),
            Case(
                "POST",
                EDITOR_WRITE,
                data={
                    "title": "نشست اتاق فکر",
                    "start_date": "1405/07/01",
                    "due_date": "1405/09/30",
                    "weight": "1",
                    "choose": "all",
                },
                changes=True,
            ),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:milestone_edit": Url(
        args=lambda w: [w.plan.pk, w.milestone_a.pk],
        cases=[
            Case("GET", EDITOR_MILESTONE),
            Case("GET", (302, 404, 403, 403, 403, 200), args=lambda w: [w.plan.pk, w.milestone_b.pk]),
            Case("GET", MISSING, args=lambda w: [w.draft_plan.pk, w.milestone_a.pk]),
            Case(
                "POST",
                EDITOR_MILESTONE_WRITE,
                data=lambda w: {
                    "version": w.milestone_a.version,
                    "title": "عنوان تازه",
                    "agency": w.milestone_a.agency_id,
                    "start_date": w.milestone_a.start_date.isoformat(),
                    "due_date": w.milestone_a.due_date.isoformat(),
                    "weight": w.milestone_a.weight,
                },
                changes=True,
            ),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
    "plans:milestone_cancel": Url(
        args=lambda w: [w.plan.pk, w.milestone_a.pk],
        cases=[
            Case("GET", EDITOR_MILESTONE),
            Case(
                "POST",
                EDITOR_MILESTONE_WRITE,
                data=lambda w: {"version": w.milestone_a.version, "reason": "با تصمیم شورا"},
                changes=True,
            ),
            Case("PROPFIND", EDITOR_GET_POST),
        ],
    ),
}


def extend_world(world):
    """A draft plan for 1406 with two goals: the editor publishes and reorders it."""
    from tests import factories

    draft = factories.StrategicPlanFactory(title="برنامه پیش‌نویس ۱۴۰۶", year=1406, status="draft")
    world.objects["draft_plan"] = draft
    world.objects["draft_goals"] = [factories.GoalFactory(plan=draft, number=n) for n in (1, 2)]


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
