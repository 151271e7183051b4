"""Admin smoke test: every registered model's changelist, add and change page opens."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_rows(director_user):
    import datetime

    from evaluations import services
    from evaluations.models import Round, RoundResult, RoundSubCriterion
    from persian.jalali import Quarter

    update = factories.ProgressUpdateFactory(author=factories.officer(factories.AgencyFactory()))
    factories.director(username="someone")
    factories.SubCriterionFactory()
    factories.SubCriterionFactory(measure="website_news_items", measure_zero=0, measure_full=12)
    evaluation = services.open_round(
        quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=director_user
    )
    sheet = services.save_sheet(
        round=evaluation,
        evaluator=factories.evaluator(),
        agency=update.milestone.agency,
        values={
            sub.pk: 4 for sub in RoundSubCriterion.objects.filter(criterion__round=evaluation) if not sub.is_measured
        },
    )
    services.override_measure(
        round=evaluation,
        agency=update.milestone.agency,
        sub_criterion=RoundSubCriterion.objects.get(criterion__round=evaluation, measure="website_news_items"),
        percent=50,
        reason="سایت در این فصل بازطراحی شد",
        by=director_user,
    )
    services.close_round(round=evaluation, by=director_user)
    services.lock_round(round=Round.objects.get(pk=evaluation.pk), by=director_user)
    services.correct_result(
        result=RoundResult.objects.filter(round=evaluation, agency=update.milestone.agency).get(),
        council_score=70,
        execution_score=None,
        reason="اصلاح پس از اعتراض",
        by=director_user,
    )
    website_rows(update.milestone.agency)
    return update, sheet


def website_rows(agency):
    from django.utils import timezone

    from monitoring.models import NewsItem, WebsiteCheck, WebsiteSource

    WebsiteSource.objects.create(agency=agency, feed_urls="https://example.ir/rss", sitemap_url="")
    check = WebsiteCheck.objects.create(agency=agency, url="https://example.ir/", reachable=True, status_code=200)
    NewsItem.objects.create(
        agency=agency,
        url_hash="0" * 64,
        url="https://example.ir/n/1",
        published_at=timezone.now(),
        source="feed",
        first_seen=check,
    )


OUR_APPS = {"plans", "agencies", "evaluations", "monitoring"}


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


@pytest.mark.parametrize("client_fixture", ["admin_client", "director_client"])
def test_every_changelist_add_and_change_page_opens(request, demo_rows, client_fixture):
    client = request.getfixturevalue(client_fixture)
    for model in registered_models():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "گام"}).status_code == 200, changelist
        may_add = admin.site._registry[model].has_add_permission(client.get("/").wsgi_request)
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == (200 if may_add else 403), opts
        obj = model.objects.first()
        assert obj is not None, f"no {opts.model_name} row to open"
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change


@pytest.fixture
def director_client(client, director_user):
    client.force_login(director_user)
    return client


def test_admin_is_persian_and_right_to_left(director_client):
    response = director_client.get(reverse("admin:index"))
    assert b'dir="rtl"' in response.content
    assert "برنامه راهبردی" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "evaluator", "viewer"])
def test_other_roles_cannot_open_the_admin_or_import(client, agency, role):
    user = factories.officer(agency) if role == "officer" else getattr(factories, role)()
    user.is_staff = True  # even if someone ticks "staff" by mistake, the rules refuse
    user.save()
    client.force_login(user)
    for name in (
        "admin:index",
        "admin:plans_milestone_changelist",
        "admin:plans_milestone_import",
        "admin:agencies_agency_import",
        "admin:plans_milestone_export",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("admin:login")), name


def test_director_can_import_and_export(director_client):
    assert director_client.get(reverse("admin:plans_milestone_import")).status_code == 200
    assert director_client.get(reverse("admin:agencies_agency_export")).status_code == 200


def test_milestone_history_is_shown(director_client):
    milestone = factories.MilestoneFactory(progress=10)
    milestone.progress = 60
    milestone.save()
    response = director_client.get(reverse("admin:plans_milestone_history", args=[milestone.pk]))
    assert response.status_code == 200
