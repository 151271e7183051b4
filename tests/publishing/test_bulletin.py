"""The quarterly bulletin: nothing public before publishing, every figure from the locked results, frozen
once published (corrections only as dated errata), the press text's figures, privacy, the feed and the
open data, and the public page's fixed number of queries."""

import csv
import datetime
import io
import json

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.models import RoundResult
from plans.services import EvidenceFile, report_progress, review_progress_update
from publishing import services
from publishing.models import Bulletin, Erratum
from tests import factories
from tests.publishing.conftest import PRIVATE_MARKERS

pytestmark = pytest.mark.django_db

PUBLISHED_ON = datetime.date(2026, 9, 28)  # ۱۴۰۵/۰۷/۰۶


def draft(world):
    return services.create_draft(round=world["summer"], plan=world["plan"], by=world["director"])


def published(world, narratives=None):
    bulletin = draft(world)
    if narratives:
        bulletin = services.save_draft(
            bulletin=bulletin,
            press_text=bulletin.press_text,
            narratives=narratives,
            expected_version=bulletin.version,
            by=world["director"],
        )
    return services.publish(
        bulletin=bulletin, published_on=PUBLISHED_ON, expected_version=bulletin.version, by=world["director"]
    )


def public_urls(bulletin):
    return [
        reverse("publishing:bulletins"),
        reverse("publishing:bulletin", args=[bulletin.pk]),
        reverse("publishing:feed"),
        reverse("publishing:data_csv", args=[bulletin.pk, "goals"]),
        reverse("publishing:data_csv", args=[bulletin.pk, "agencies"]),
        reverse("publishing:data_json", args=[bulletin.pk]),
        reverse("publishing:data_dictionary"),
        reverse("publishing:agency", args=["education"]),
    ]


def test_nothing_is_public_before_publishing(client, world):
    bulletin = draft(world)
    for url in (
        reverse("publishing:bulletin", args=[bulletin.pk]),
        reverse("publishing:data_csv", args=[bulletin.pk, "agencies"]),
        reverse("publishing:data_json", args=[bulletin.pk]),
        reverse("publishing:agency", args=["education"]),
        reverse("publishing:latest"),
    ):
        assert client.get(url).status_code == 404, url
    assert "تابستان" not in client.get(reverse("publishing:bulletins")).content.decode()
    assert feedparser.parse(client.get(reverse("publishing:feed")).content).entries == []
    assert "bulletins-panel" in client.get(reverse("plans:public", args=[world["plan"].pk])).content.decode()
    assert "تابستان" not in client.get(reverse("plans:public", args=[world["plan"].pk])).content.decode()


def test_a_round_must_be_locked_for_a_bulletin(world):
    autumn = evaluation_services.open_round(
        quarter=world["summer"].period.next(), deadline=datetime.date(2026, 12, 30), opened_by=world["director"]
    )
    with pytest.raises(ValidationError) as error:
        services.create_draft(round=autumn, plan=world["plan"], by=world["director"])
    assert error.value.code == "not_locked"
    draft(world)
    with pytest.raises(ValidationError) as error:
        draft(world)
    assert error.value.code == "exists"
    assert Bulletin.objects.count() == 1


def test_the_director_drafts_edits_and_publishes_through_the_pages(client, world):
    client.force_login(world["director"])
    goal = world["goals"][0]
    response = client.post(reverse("publishing:manage"), {"round": world["summer"].pk, "plan": world["plan"].pk})
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("publishing:edit", args=[bulletin.pk])
    response = client.post(
        reverse("publishing:edit", args=[bulletin.pk]),
        {
            "version": bulletin.version,
            "press_text": "متن خبری مدیرکل",
            f"done_{goal.pk}": "نشست فصلی برگزار شد",
            f"obstacles_{goal.pk}": "کمبود نیرو",
        },
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.press_text == "متن خبری مدیرکل"
    # The preview shows it, and it is still not public.
    preview = client.get(reverse("publishing:preview", args=[bulletin.pk])).content.decode()
    assert "نشست فصلی برگزار شد" in preview
    assert "preview-banner" in preview
    client.logout()
    assert client.get(reverse("publishing:bulletin", args=[bulletin.pk])).status_code == 404
    client.force_login(world["director"])
    # A stale form (an older version) is refused with a message.
    response = client.post(
        reverse("publishing:publish", args=[bulletin.pk]), {"version": 1, "published_on": "۱۴۰۵/۰۷/۰۶"}
    )
    assert response.status_code == 400
    assert "پس از باز کردن شما" in response.content.decode()
    response = client.post(
        reverse("publishing:publish", args=[bulletin.pk]),
        {"version": bulletin.version, "published_on": "۱۴۰۵/۰۷/۰۶"},
    )
    assert response["Location"] == bulletin.get_absolute_url()
    bulletin.refresh_from_db()
    assert bulletin.is_published
    assert bulletin.published_on == PUBLISHED_ON
    client.logout()
    html = client.get(bulletin.get_absolute_url()).content.decode()
    assert "نشست فصلی برگزار شد" in html
    assert "کمبود نیرو" in html
    assert "متن خبری مدیرکل" in html
    assert "۱۴۰۵/۰۷/۰۶" in html  # the publication date, in Jalali
    assert 'id="last-updated"' in html
    assert client.get(reverse("publishing:latest"))["Location"] == bulletin.get_absolute_url()


def test_every_figure_on_the_public_page_is_the_locked_results(client, world):
    bulletin = published(world)
    response = client.get(bulletin.get_absolute_url())
    figures = response.context["figures"]
    results = list(RoundResult.objects.filter(round=world["summer"]).for_ranking())
    assert [(row["agency"], row["rank"], row["final_score"], row["tier"]) for row in figures["ranking"]] == [
        (result.agency.code, result.rank, str(result.final_score), result.tier) for result in results
    ]
    html = response.content.decode()
    for result in results:
        row_html = html.split(f'data-agency="{result.agency.code}"')[1].split("</tr>")[0]
        assert f'data-tier="{result.tier}"' in row_html
        assert f"{result.final_score:.2f}".translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")) in row_html
    tiers = [result.tier for result in results]
    assert figures["tier_counts"] == {
        tier: tiers.count(tier) for tier in ("excellent", "active", "semi_active", "inactive")
    }
    # The ranks moved since spring: education climbed from 3rd to 1st, health fell from 1st to 3rd.
    health_row = html.split('data-agency="health"')[1].split("</tr>")[0]
    assert "▼ ۲" in health_row
    assert [(row["agency"], row["previous_rank"]) for row in figures["ranking"]] == [
        ("education", 3),
        ("gas", 2),
        ("health", 1),
    ]


def test_the_plan_and_goals_progress_are_as_the_reports_stood_at_the_quarters_end(client, world):
    # A report made within summer (60 %) counts; the fixture's report (40 %, made today) does not.
    milestone = world["goals"][0].milestones.get()
    within = timezone.make_aware(datetime.datetime(2026, 8, 1, 10, 0))
    factories.ProgressUpdateFactory(milestone=milestone, progress=60, author=world["officer"], created_at=within)
    bulletin = published(world)
    figures = client.get(bulletin.get_absolute_url()).context["figures"]
    assert [(goal["number"], goal["progress"]) for goal in figures["goals"]] == [(1, 60), (2, 0)]
    assert figures["plan"]["progress"] == 30.0  # two goals of equal weight
    html = client.get(bulletin.get_absolute_url()).content.decode()
    assert html.split('id="plan-progress">')[1].startswith("۳۰٫۰٪")


def test_the_press_text_names_the_figures(world):
    bulletin = draft(world)
    text = bulletin.press_text
    results = {result.agency.code: result for result in RoundResult.objects.filter(round=world["summer"])}
    # The top agencies with their ranks, in Persian.
    assert "آموزش و پرورش (رتبه ۱" in text
    assert "شرکت گاز (رتبه ۲" in text
    counts = {
        tier: sum(1 for r in results.values() if r.tier == tier)
        for tier in ("excellent", "active", "semi_active", "inactive")
    }
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    assert f"{str(counts['active']).translate(digits)} فعال" in text
    assert f"{str(counts['inactive']).translate(digits)} غیرفعال" in text
    # The biggest movers since spring.
    assert "بیشترین صعود" in text
    assert "آموزش و پرورش (۲ پله" in text
    assert "بیشترین نزول" in text
    assert "دانشگاه علوم پزشکی (۲ پله" in text


def test_a_published_bulletin_is_frozen(client, world):
    bulletin = published(world)
    with pytest.raises(ValidationError) as error:
        services.save_draft(
            bulletin=bulletin,
            press_text="تغییر",
            narratives={},
            expected_version=bulletin.version,
            by=world["director"],
        )
    assert error.value.code == "frozen"
    client.force_login(world["director"])
    response = client.post(
        reverse("publishing:edit", args=[bulletin.pk]), {"version": bulletin.version, "press_text": "تغییر بی‌صدا"}
    )
    assert "این گزارش منتشر شده و ثابت است" in response.content.decode()
    bulletin.refresh_from_db()
    assert "تغییر بی‌صدا" not in bulletin.press_text


def test_a_later_report_or_correction_changes_nothing_until_an_erratum(client, world):
    bulletin = published(world)
    before = client.get(bulletin.get_absolute_url()).context["figures"]
    # A report dated in the quarter but made now, and a correction of a locked result.
    milestone = world["goals"][1].milestones.get()
    report_progress(
        milestone=milestone,
        author=world["director"],
        status="in_progress",
        progress=90,
        note="",
        expected_version=milestone.version,
    )
    evaluation_services.correct_result(
        result=RoundResult.objects.get(round=world["summer"], agency__code="health"),
        council_score=95,
        execution_score=None,
        reason="اعتراض پذیرفته شد",
        by=world["director"],
    )
    assert client.get(bulletin.get_absolute_url()).context["figures"] == before
    client.force_login(world["director"])
    response = client.post(
        reverse("publishing:erratum", args=[bulletin.pk]),
        {
            "text": "امتیاز دانشگاه علوم پزشکی پس از اعتراض اصلاح شد.",
            "published_on": "۱۴۰۵/۰۸/۰۱",
            "refresh_figures": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    response = client.get(bulletin.get_absolute_url())
    html = response.content.decode()
    assert "امتیاز دانشگاه علوم پزشکی پس از اعتراض اصلاح شد." in html
    assert "۱۴۰۵/۰۸/۰۱" in html  # dated
    health = next(row for row in response.context["figures"]["ranking"] if row["agency"] == "health")
    assert (health["rank"], health["final_score"]) == (1, "95.00")
    erratum = bulletin.errata.get()
    assert next(row for row in erratum.figures_before["ranking"] if row["agency"] == "health")["rank"] == 3
    # The feed carries the erratum too.
    feed = feedparser.parse(client.get(reverse("publishing:feed")).content)
    assert any("اصلاحیه" in entry.title for entry in feed.entries)


def test_private_data_never_reaches_a_public_response(client, world, evaluator_user):
    # Names and usernames unique enough to search for.
    for user, username in ((world["director"], "dg-marker-7731"), (evaluator_user, "evaluator-marker-7731")):
        user.username = username
        user.save()
    milestone = world["goals"][0].milestones.get()
    update = milestone.updates.first()
    review_progress_update(
        update=update, reviewer=world["director"], accept=False, reason=PRIVATE_MARKERS["returned_reason"]
    )
    pdf = SimpleUploadedFile("marker-evidence-7731.pdf", factories.tiny_pdf())
    other = world["goals"][1].milestones.get()
    report_progress(
        milestone=other,
        author=world["officer"],
        status="in_progress",
        progress=20,
        note="",
        expected_version=other.version,
        files=[EvidenceFile(file=pdf, original_name=pdf.name, content_type="application/pdf", size=pdf.size)],
    )
    bulletin = published(world)
    services.add_erratum(bulletin=bulletin, text="اصلاح", published_on=PUBLISHED_ON, by=world["director"])
    forbidden = [
        "marker-evidence-7731",
        *PRIVATE_MARKERS.values(),
        "dg-marker-7731",
        "evaluator-marker-7731",
        world["officer"].username,
        world["officer"].first_name,
        world["officer"].last_name,
    ]
    for url in [*public_urls(bulletin), reverse("plans:public", args=[world["plan"].pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        for marker in forbidden:
            assert marker not in body, (url, marker)
    # What is public is there: the council's public comments.
    assert "نظر عمومی درباره شرکت گاز" in client.get(bulletin.get_absolute_url()).content.decode()


def test_the_feed_is_valid_atom_in_persian(client, world):
    bulletin = published(world)
    response = client.get(reverse("publishing:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "گزارش‌های فصلی شورای هماهنگی روابط عمومی استان"
    [entry] = feed.entries
    assert entry.title == "گزارش فصلی تابستان ۱۴۰۵"
    assert entry.link.endswith(bulletin.get_absolute_url())
    assert "۱۴۰۵/۰۷/۰۶" in entry.summary  # the Jalali date in the text
    assert "آموزش و پرورش" in entry.summary
    # Every public page links the feed.
    for url in public_urls(bulletin)[:2]:
        assert 'type="application/atom+xml"' in client.get(url).content.decode()


def test_open_data_matches_the_page(client, world):
    goal = world["goals"][0]
    bulletin = published(world, {goal.pk: {"done": '=HYPERLINK("x")', "next": "گام بعد", "obstacles": ""}})
    figures = client.get(bulletin.get_absolute_url()).context["figures"]
    content = client.get(reverse("publishing:data_csv", args=[bulletin.pk, "agencies"])).content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["کد دستگاه", "دستگاه اجرایی", "رتبه"]
    assert [(row[0], int(row[2]), row[4], row[7]) for row in rows[1:]] == [
        (row["agency"], row["rank"], row["final_score"], row["tier"]) for row in figures["ranking"]
    ]
    goals_csv = client.get(reverse("publishing:data_csv", args=[bulletin.pk, "goals"])).content.decode("utf-8-sig")
    goal_rows = list(csv.reader(io.StringIO(goals_csv)))[1:]
    assert [int(row[0]) for row in goal_rows] == [goal["number"] for goal in figures["goals"]]
    assert goal_rows[0][4] == '\'=HYPERLINK("x")'  # the one sanitiser: never a formula
    data = json.loads(client.get(reverse("publishing:data_json", args=[bulletin.pk])).content)
    assert data["schema_version"] == 1
    assert data["published_on"] == "2026-09-28"
    assert data["published_on_jalali"] == "1405/07/06"
    assert [(row["agency_code"], row["rank"], row["tier"]) for row in data["agencies"]] == [
        (row["agency"], row["rank"], row["tier"]) for row in figures["ranking"]
    ]
    assert [row["progress_at_quarter_end"] for row in data["goals"]] == [goal["progress"] for goal in figures["goals"]]
    assert data["goals"][0]["next"] == "گام بعد"
    # The data dictionary explains every column.
    dictionary = client.get(reverse("publishing:data_dictionary")).content.decode()
    for key in [*(row for row in data["goals"][0]), *(row for row in data["agencies"][0])]:
        assert f"<code>{key}</code>" in dictionary


def test_public_pages_answer_conditional_requests(client, world):
    bulletin = published(world)
    url = bulletin.get_absolute_url()
    response = client.get(url)
    last_modified = response["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    erratum = services.add_erratum(
        bulletin=bulletin, text="اصلاح تاریخ", published_on=PUBLISHED_ON, by=world["director"]
    )
    # An hour later (Last-Modified counts whole seconds): the page has changed since.
    Erratum.objects.filter(pk=erratum.pk).update(published_at=erratum.published_at + datetime.timedelta(hours=1))
    services.invalidate_public_cache()
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 200
    assert "اصلاح تاریخ" in client.get(url).content.decode()


def test_the_public_bulletin_page_runs_two_queries_then_none(client, world, django_assert_num_queries):
    bulletin = published(world)
    services.invalidate_public_cache()
    with django_assert_num_queries(2):  # the bulletin with its round and plan; its errata
        assert client.get(bulletin.get_absolute_url()).status_code == 200
    with django_assert_num_queries(0):  # from the cache until the next publish or erratum
        assert client.get(bulletin.get_absolute_url()).status_code == 200


def test_the_plans_public_page_explains_its_labels_and_links_the_bulletins(client, world):
    bulletin = published(world)
    html = client.get(reverse("plans:public", args=[world["plan"].pk])).content.decode()
    assert "public-status-reason" in html
    assert 'id="last-updated"' in html
    assert bulletin.get_absolute_url() in html
    assert reverse("publishing:feed") in html


def test_website_freshness_at_the_quarters_end_is_frozen_with_the_bulletin(client, world):
    from monitoring.models import WebsiteCheck

    education, gas, _health = world["agencies"]
    for agency in (education, gas):
        agency.website = f"https://{agency.code}.example.ir/"
        agency.save()
    last_day = world["summer"].period.bounds()[1]  # 1405/06/31
    checked_at = datetime.datetime(2026, 9, 20, 3, 0, tzinfo=datetime.UTC)
    WebsiteCheck.objects.create(
        agency=education,
        url=education.website,
        reachable=True,
        newest_content_date=last_day - datetime.timedelta(days=3),
        newest_content_source="feed",
        checked_at=checked_at,
    )
    WebsiteCheck.objects.create(
        agency=gas,
        url=gas.website,
        reachable=True,
        newest_content_date=last_day - datetime.timedelta(days=90),
        newest_content_source="feed",
        checked_at=checked_at,
    )
    bulletin = published(world)
    html = client.get(bulletin.get_absolute_url()).content.decode()
    summary = html.split('id="website-freshness-summary">')[1].split("</p>")[0]
    assert summary == "۱ وبگاه از ۲ وبگاه به‌روز بود."
    assert 'data-website="education"><td>آموزش و پرورش</td><td>۳</td>' in html
    # A later check (after the quarter) changes nothing on the published bulletin.
    WebsiteCheck.objects.create(
        agency=gas, url=gas.website, reachable=True, newest_content_date=world["today"], newest_content_source="feed"
    )
    services.invalidate_public_cache()
    assert client.get(bulletin.get_absolute_url()).content.decode().count("۱ وبگاه از ۲ وبگاه به‌روز بود.") == 1


def test_the_database_refuses_to_change_a_published_bulletin(world):
    from django.db import DatabaseError, transaction

    from publishing.models import GoalNarrative

    bulletin = published(world)
    for change in (
        lambda: Bulletin.objects.filter(pk=bulletin.pk).update(press_text="تغییر بی‌صدا"),
        lambda: Bulletin.objects.filter(pk=bulletin.pk).update(status=Bulletin.Status.DRAFT),
        lambda: Bulletin.objects.filter(pk=bulletin.pk).update(published_on=datetime.date(2026, 10, 1)),
        lambda: GoalNarrative.objects.filter(bulletin=bulletin).update(done="بازنویسی"),
    ):
        with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
            change()
    bulletin.refresh_from_db()
    assert bulletin.is_published
    assert "تغییر بی‌صدا" not in bulletin.press_text
    # An erratum that re-reads the figures is the one change allowed (recorded on the erratum).
    services.add_erratum(
        bulletin=bulletin,
        text="ارقام بازخوانی شد",
        published_on=PUBLISHED_ON,
        by=world["director"],
        refresh_figures=True,
    )
