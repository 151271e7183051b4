"""Every admin URL, walked as every role (tests/urltable.py explains the table).

The admin is the director-general's alone (prcouncil.admin.CouncilAdminSite): every other role,
staff flag or not, is sent to the admin's login page and changes nothing. The table is built from
the admin's own URL list, so a model registered later gets rows without anyone remembering to;
what the director-general gets is written down per kind of page, with the exceptions named.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group

from evaluations.models import Criterion
from monitoring.models import NewsItem, WebsiteCheck, WebsiteSource
from tests.urltable import ROLES, Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

TO_LOGIN = 302
OTHERS = (TO_LOGIN,) * (len(ROLES) - 1)


def director_gets(status):
    return (*OTHERS, status)


# The object each registered model's change, history and delete pages open.
ADMIN_OBJECTS = {
    "auth.Group": lambda w: w.group,
    "auth.User": lambda w: w.users["own_officer"],
    "agencies.County": lambda w: w.agency_a.county,
    "agencies.Agency": lambda w: w.agency_a,
    "agencies.Membership": lambda w: w.users["own_officer"].membership,
    "plans.StrategicPlan": lambda w: w.plan,
    "plans.Goal": lambda w: w.goal,
    "plans.Milestone": lambda w: w.milestone_a,
    "plans.ProgressUpdate": lambda w: w.update_a,
    "evaluations.Criterion": lambda w: w.criterion,
    "evaluations.RoundCriterion": lambda w: w.round.criteria.get(),
    "evaluations.Round": lambda w: w.round,
    "evaluations.RoundResult": lambda w: w.round_locked.results.get(agency=w.agency_a),
    "evaluations.Correction": lambda w: w.correction,
    # Login protection's records (django-axes): a locked-out attempt, a login, a failure.
    "axes.AccessAttempt": lambda w: AccessAttempt.objects.get_or_create(
        username="officer-a", ip_address="10.0.0.9", defaults={"failures_since_start": 5, "user_agent": "test"}
    )[0],
    "axes.AccessLog": lambda w: AccessLog.objects.get_or_create(
        username="officer-a", ip_address="10.0.0.9", defaults={"user_agent": "test"}
    )[0],
    "axes.AccessFailureLog": lambda w: AccessFailureLog.objects.get_or_create(
        username="officer-a", ip_address="10.0.0.9", defaults={"user_agent": "test"}
    )[0],
    "evaluations.MeasureOverride": lambda w: w.measure_override,
    "monitoring.WebsiteSource": lambda w: w.website_source,
    "monitoring.WebsiteCheck": lambda w: w.website_check,
    "monitoring.NewsItem": lambda w: w.news_item,
    # notifications (issue 12): the holidays, and the chase's read-only history and log; the worker's results.
    "notifications.Holiday": lambda w: w.holiday,
    "notifications.Digest": lambda w: w.digest,
    "notifications.Escalation": lambda w: w.escalation,
    "notifications.Message": lambda w: w.message,
    "notifications.Notification": lambda w: w.notification,
    "notifications.ScheduledRun": lambda w: w.scheduled_run,
    "django_tasks_database.DBTaskResult": lambda w: w.task_result,
    # The read-only API (issue 14): personal tokens, revoked by the director-general.
    "api.ApiToken": lambda w: w.api_token,
    # publishing (issue 14): read-only in the admin; the objects come from tests/publishing/test_urls.py.
    "publishing.Bulletin": lambda w: w.bulletin,
    "publishing.GoalNarrative": lambda w: w.bulletin.narratives.first(),
    "publishing.Erratum": lambda w: w.erratum,
}
# What the director-general gets on GET, by kind of page; then the exceptions, by URL name.
DIRECTOR_GET = {
    "changelist": 200,
    "add": 200,
    "change": 200,
    "history": 200,
    "delete": 200,
    "import": 200,
    "export": 200,
    "process_import": 405,
    # An import's job page (issue 10): the director-general's own job; the preview or the result when done.
    "import_job": 200,
    "simple_history": 200,
    "password_change": 200,
}
# People are created with createsuperuser or by a superuser; the director-general gives them their
# role under Memberships (README). Groups are not used: roles live in Membership and the rules.
# Results, corrections and a round's rubric copy are written by the evaluation's services only.
DIRECTOR_GET_EXCEPTIONS = {
    "admin:auth_group_changelist": 403,
    "admin:auth_group_add": 403,
    "admin:auth_group_change": 403,
    "admin:auth_group_history": 403,
    "admin:auth_group_delete": 403,
    "admin:auth_user_add": 403,
    "admin:auth_user_delete": 403,
    "admin:auth_user_password_change": 403,
    "admin:evaluations_round_add": 403,
    "admin:evaluations_roundcriterion_add": 403,
    "admin:evaluations_roundresult_add": 403,
    "admin:evaluations_roundresult_delete": 403,
    "admin:evaluations_correction_add": 403,
    "admin:evaluations_correction_delete": 403,
    # Progress reports are written by report_progress and reviewed in the review queue only (issue 11).
    "admin:plans_progressupdate_add": 403,
    "admin:plans_progressupdate_delete": 403,
    # Login protection's records are written by logging in: the director-general reads them and
    # unlocks a person by deleting their attempts, nothing else.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accesslog_delete": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:axes_accessfailurelog_delete": 403,
    # Overrides are recorded on the round's measured-criteria page; checks and news items are evidence.
    "admin:evaluations_measureoverride_add": 403,
    "admin:evaluations_measureoverride_delete": 403,
    "admin:monitoring_websitecheck_add": 403,
    "admin:monitoring_websitecheck_delete": 403,
    "admin:monitoring_newsitem_add": 403,
    "admin:monitoring_newsitem_delete": 403,
    # Bulletins are drafted, published and corrected on the director-general's pages only; read here.
    **{
        f"admin:publishing_{model}_{page}": 403
        for model in ("bulletin", "goalnarrative", "erratum")
        for page in ("add", "delete")
    },
    # Written by the reminder run, the review events and the worker only; read here.
    **{
        f"admin:{model}_{page}": 403
        for model in (
            "notifications_digest",
            "notifications_escalation",
            "notifications_message",
            "notifications_notification",
            "notifications_scheduledrun",
            "django_tasks_database_dbtaskresult",
        )
        for page in ("add", "delete")
    },
}
SITE_PAGES = {
    "admin:index": Url(cases=[Case("GET", director_gets(200)), Case("PROPFIND", director_gets(200))]),
    "admin:login": Url(cases=[Case("GET", (200, 200, 200, 200, 200, 302))]),
    # Logging out is a POST; the admin sends anyone it does not admit to its login page first,
    # and anonymous to its index.
    "admin:logout": Url(
        cases=[
            Case("GET", director_gets(405), location=("/admin/",)),
            Case("POST", (302,) * len(ROLES), location=("/admin/", "/accounts/login/")),
        ]
    ),
    "admin:password_change": Url(cases=[Case("GET", director_gets(200))]),
    "admin:password_change_done": Url(cases=[Case("GET", director_gets(200))]),
    "admin:jsi18n": Url(cases=[Case("GET", director_gets(200))]),
    "admin:autocomplete": Url(cases=[Case("GET", director_gets(403))]),
    "admin:app_list": Url(args=lambda w: ["plans"], cases=[Case("GET", director_gets(200))]),
    "admin:view_on_site": Url(
        args=lambda w: [w.milestone_a._meta.app_config and _content_type(w.milestone_a), w.milestone_a.pk],
        cases=[Case("GET", director_gets(302))],
    ),
}


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _kind(model, url_name):
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    return url_name.removeprefix(prefix)


def _args_for(model, kind):
    label = model._meta.label
    if kind in {"changelist", "add", "import", "export", "process_import"}:
        return None
    if kind == "import_job":
        return lambda w: [w.import_jobs[label].pk]
    if kind == "simple_history":
        return lambda w: [ADMIN_OBJECTS[label](w).pk, ADMIN_OBJECTS[label](w).history.first().history_id]
    return lambda w: [ADMIN_OBJECTS[label](w).pk]


def admin_table():
    table = dict(SITE_PAGES)
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if not pattern.name:
                continue
            name = f"admin:{pattern.name}"
            kind = _kind(model, pattern.name)
            director = DIRECTOR_GET_EXCEPTIONS.get(name, DIRECTOR_GET.get(kind))
            cases = [Case("GET", director_gets(director))]
            if kind in {"changelist", "add", "change", "delete", "process_import"}:
                # Nobody but the director-general gets past the admin's door; what a POST
                # of the director-general does is tested with real forms in the admin tests.
                cases.append(Case("POST", (*OTHERS, None)))
            if kind == "import_job":
                # A job page only reads: a POST (confirming goes to process_import) is refused.
                cases.append(Case("POST", director_gets(405)))
                # Another person's job is a 404, even for another director-general.
                cases.append(
                    Case(
                        "GET",
                        director_gets(404),
                        args=lambda w, label=model._meta.label: [w.import_jobs_of_others[label].pk],
                    )
                )
            table[name] = Url(args=_args_for(model, kind), cases=cases)
    return table


TABLE = admin_table()


def test_every_registered_model_has_an_object_to_open():
    missing = {model._meta.label for model in admin.site._registry} - ADMIN_OBJECTS.keys()
    assert not missing, f"add an object for these admin models to ADMIN_OBJECTS: {sorted(missing)}"


def extend_world(world):
    """A group, the rubric's criterion, a correction and one row of each other admin model to open."""
    from evaluations import services

    world.objects["group"] = Group.objects.create(name="دبیرخانه")
    world.objects["criterion"] = Criterion.objects.get()
    corrected = services.correct_result(
        result=world.round_locked.results.get(agency=world.agency_a),
        council_score=70,
        execution_score=None,
        reason="اصلاح پس از اعتراض",
        by=world.users["director"],
    )
    # correct_result returns the corrected result; the admin opens the Correction it recorded
    # (their ids agree on SQLite by chance, not on PostgreSQL).
    world.objects["correction"] = corrected.corrections.latest("pk")
    world.objects["measure_override"] = services.override_measure(
        round=world.round,
        agency=world.agency_a,
        sub_criterion=world.measured_sub,
        percent=50,
        reason="سایت بازطراحی شد",
        by=world.users["director"],
    )
    world.objects["website_source"] = WebsiteSource.objects.create(
        agency=world.agency_a, feed_urls="https://education.example.ir/rss"
    )
    world.objects["website_check"] = check = WebsiteCheck.objects.create(
        agency=world.agency_a, url="https://education.example.ir/", reachable=True, status_code=200
    )
    world.objects["news_item"] = NewsItem.objects.create(
        agency=world.agency_a,
        url_hash="1" * 64,
        url="https://education.example.ir/news/1",
        published_at=check.checked_at,
        source="feed",
        first_seen=check,
    )
    world.objects.update(_notifications_objects(world))
    world.objects.update(_import_jobs(world))


def _import_jobs(world):
    """A finished import preview per import admin: the director-general's, and another director-general's."""
    from fileformats.importexport import CouncilImportExportMixin
    from fileformats.models import FileJob
    from tests import factories

    other = factories.director(username="director-2")
    mine, others = {}, {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, CouncilImportExportMixin):
            label = model._meta.label
            for owner, jobs in ((world.users["director"], mine), (other, others)):
                jobs[label] = FileJob.objects.create(
                    user=owner,
                    kind=FileJob.Kind.PREVIEW,
                    target=label,
                    original_name="import.xlsx",
                    state=FileJob.State.DONE,
                    rows_done=1,
                    rows_total=1,
                    result={
                        "totals": {"new": 1},
                        "headers": ["title"],
                        "preview": [{"row": 1, "type": "new", "values": ["x"]}],
                    },
                )
    return {"import_jobs": mine, "import_jobs_of_others": others}


def _notifications_objects(world):
    import datetime

    from django_tasks_db.models import DBTaskResult, get_date_max

    from notifications import models

    day = datetime.date(2026, 12, 7)
    officer = world.users["own_officer"]
    digest_key = f"digest:{world.agency_a.pk}:{day}"
    return {
        "holiday": models.Holiday.objects.get_or_create(date=datetime.date(2026, 6, 25), name="عاشورای حسینی")[0],
        "digest": models.Digest.objects.create(agency=world.agency_a, day=day, due_count=1),
        "escalation": models.Escalation.objects.create(agency=world.agency_a, day=day, silent=True),
        "message": models.Message.objects.create(
            channel="email", recipient=officer, key=digest_key, kind="digest", day=day, subject="یادآوری"
        ),
        "notification": models.Notification.objects.create(recipient=officer, kind="digest", key=digest_key),
        "scheduled_run": models.ScheduledRun.objects.create(name="reminders", day=day),
        "task_result": DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="notifications.tasks.send_daily_reminders",
            backend_name="default",
            run_after=get_date_max(),  # "as soon as possible", as the database backend stores it
        ),
    }


@pytest.mark.parametrize(**cases_of(TABLE))
def test_admin_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
