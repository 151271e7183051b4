"""The evaluation's screens: the permission ladder, blind scoring through the views, the officer's
scorecard without private notes, the export, and the ranking page's fixed query count."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services
from evaluations.models import Correction, Round, RoundSubCriterion, ScoreSheet
from persian.jalali import Quarter
from tests import factories

pytestmark = pytest.mark.django_db

QUARTER = Quarter(1405, 3)


@pytest.fixture
def rubric(db):
    for _number in range(2):
        criterion = factories.CriterionFactory(weight=50)
        factories.SubCriterionFactory.create_batch(2, criterion=criterion)


@pytest.fixture
def round(rubric, director_user):
    return services.open_round(quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=director_user)


@pytest.fixture
def second_evaluator(db):
    return factories.evaluator(username="evaluator2")


def sheet_of(round, evaluator, agency, value, note="", comment=""):
    values = {sub.pk: value for sub in RoundSubCriterion.objects.filter(criterion__round=round)}
    return services.save_sheet(
        round=round, evaluator=evaluator, agency=agency, values=values, private_note=note, public_comment=comment
    )


def test_the_ladder_for_opening_a_round(client, rubric, viewer_user, evaluator_user, officer_user, director_user):
    url = reverse("evaluations:rounds")
    data = {"year": "۱۴۰۵", "quarter": "3", "deadline": "۱۴۰۵/۰۹/۳۰", "execution_weight": "۳۰"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    for user in (viewer_user, evaluator_user):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(officer_user)
    assert client.get(url).status_code == 302  # an officer is sent to their agency's scorecards
    assert not Round.objects.exists()
    client.force_login(director_user)
    response = client.post(url, data)
    round = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == round.get_absolute_url()
    assert (round.year, round.quarter, round.deadline, round.execution_weight) == (
        1405,
        3,
        datetime.date(2026, 12, 21),
        30,
    )
    assert round.criteria.count() == 2
    # The same quarter again: a clear message, nothing created.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "این فصل پیش‌تر دور ارزیابی دارد" in response.content.decode()
    assert Round.objects.count() == 1


def test_only_the_director_closes_and_locks(client, round, evaluator_user, viewer_user, director_user):
    for user in (evaluator_user, viewer_user):
        client.force_login(user)
        assert client.post(reverse("evaluations:close", args=[round.pk])).status_code == 403
    client.force_login(director_user)
    assert client.get(reverse("evaluations:close", args=[round.pk])).status_code == 405
    client.post(reverse("evaluations:close", args=[round.pk]))
    client.post(reverse("evaluations:lock", args=[round.pk]))
    round.refresh_from_db()
    assert round.status == Round.Status.LOCKED


def test_evaluator_scores_through_the_form(client, round, agency, evaluator_user):
    client.force_login(evaluator_user)
    url = reverse("evaluations:score", args=[round.pk, agency.pk])
    assert client.get(url).status_code == 200
    subs = list(RoundSubCriterion.objects.filter(criterion__round=round))
    data = {f"sub_{sub.pk}": "4" for sub in subs}
    data[f"sub_{subs[0].pk}"] = "na"
    data |= {"private_note": "خصوصی", "public_comment": "عمومی"}
    assert client.post(url, data).status_code == 302
    sheet = ScoreSheet.objects.get()
    assert sorted(score.value for score in sheet.scores.all() if score.value) == [4, 4, 4]
    assert sheet.scores.filter(value__isnull=True).count() == 1
    # Out of range (a forged value): refused with a message, nothing changed.
    data[f"sub_{subs[1].pk}"] = "9"
    response = client.post(url, data)
    assert response.status_code == 200
    assert sheet.scores.get(sub_criterion=subs[1]).value == 4
    # Back to "not scored": the earlier score is taken back (not kept, not counted as N/A).
    data[f"sub_{subs[1].pk}"] = ""
    assert client.post(url, data).status_code == 302
    assert not sheet.scores.filter(sub_criterion=subs[1]).exists()
    assert sheet.scores.count() == 3


def test_viewer_and_director_do_not_score(client, round, agency, viewer_user, director_user):
    for user in (viewer_user, director_user):
        client.force_login(user)
        assert client.get(reverse("evaluations:score", args=[round.pk, agency.pk])).status_code == 403


def test_scoring_is_blind_through_the_views_until_the_round_closes(
    client, round, agency, evaluator_user, second_evaluator, director_user
):
    mine = sheet_of(round, evaluator_user, agency, 2, note="یادداشت من")
    theirs = sheet_of(round, second_evaluator, agency, 5, note="یادداشت همکار محرمانه")
    client.force_login(evaluator_user)
    assert client.get(reverse("evaluations:sheet", args=[round.pk, mine.pk])).status_code == 200
    assert client.get(reverse("evaluations:sheet", args=[round.pk, theirs.pk])).status_code == 404
    page = client.get(round.get_absolute_url()).content.decode()
    assert reverse("evaluations:sheet", args=[round.pk, theirs.pk]) not in page
    assert "یادداشت همکار" not in page
    # Pooled results would reveal the others' scores: not while the round is open.
    assert client.get(reverse("evaluations:results", args=[round.pk])).status_code == 403
    assert client.get(reverse("evaluations:export", args=[round.pk])).status_code == 403
    assert client.get(reverse("evaluations:scorecard", args=[round.pk, agency.pk])).status_code == 404
    # The director-general follows progress and may read every sheet.
    client.force_login(director_user)
    assert client.get(reverse("evaluations:sheet", args=[round.pk, theirs.pk])).status_code == 200
    # Once closed, the council reads each other's sheets.
    services.close_round(round=round, by=director_user)
    client.force_login(evaluator_user)
    response = client.get(reverse("evaluations:sheet", args=[round.pk, theirs.pk]))
    assert response.status_code == 200
    assert "یادداشت همکار محرمانه" in response.content.decode()
    assert client.get(reverse("evaluations:results", args=[round.pk])).status_code == 200


def test_director_sees_who_has_scored_what(
    client, round, agency, other_agency, evaluator_user, second_evaluator, director_user
):
    sheet_of(round, evaluator_user, agency, 3)
    sheet_of(round, evaluator_user, other_agency, 3)
    first_sub = RoundSubCriterion.objects.filter(criterion__round=round).first()
    services.save_sheet(round=round, evaluator=second_evaluator, agency=agency, values={first_sub.pk: 4})
    client.force_login(director_user)
    response = client.get(round.get_absolute_url())
    progress = response.context["progress"]
    summary = {
        line["evaluator"].username: (line["started"], line["done"], line["percent"]) for line in progress["summary"]
    }
    assert summary == {"evaluator": (2, 2, 100), "evaluator2": (1, 0, 0)}
    matrix = {agency.code: states for agency, states in progress["matrix"]}
    assert matrix == {"education": ["done", "partial"], "gas": ["done", "none"]}
    # An evaluator does not get the progress table (it would tell them nothing blind, but it is the director's).
    client.force_login(second_evaluator)
    assert "progress" not in client.get(round.get_absolute_url()).context


def test_deadline_before_the_quarter_is_refused(client, rubric, director_user):
    client.force_login(director_user)
    data = {"year": "1405", "quarter": "3", "deadline": "1405/06/01", "execution_weight": "30"}
    response = client.post(reverse("evaluations:rounds"), data)
    assert response.status_code == 200
    assert "مهلت امتیازدهی نمی‌تواند پیش از آغاز فصل باشد" in response.content.decode()
    assert not Round.objects.exists()


def test_sheet_queryset_is_blind_while_open(round, agency, evaluator_user, second_evaluator, viewer_user, officer_user):
    mine = sheet_of(round, evaluator_user, agency, 2)
    theirs = sheet_of(round, second_evaluator, agency, 4)
    assert list(ScoreSheet.objects.visible_to(evaluator_user)) == [mine]
    assert not ScoreSheet.objects.visible_to(viewer_user).exists()
    assert not ScoreSheet.objects.visible_to(officer_user).exists()
    round.status, round.closed_at = Round.Status.CLOSED, round.opened_at
    round.save()
    assert set(ScoreSheet.objects.visible_to(evaluator_user)) == {mine, theirs}
    assert not ScoreSheet.objects.visible_to(officer_user).exists()


def test_officer_sees_own_scorecard_with_public_comments_never_private_notes(
    client, round, agency, other_agency, officer_user, evaluator_user, director_user
):
    sheet = sheet_of(round, evaluator_user, agency, 4, note="یادداشت خصوصی شورا", comment="نظر عمومی برای دستگاه")
    sheet_of(round, evaluator_user, other_agency, 3, comment="نظر برای دستگاه دیگر")
    own = reverse("evaluations:scorecard", args=[round.pk, agency.pk])
    other = reverse("evaluations:scorecard", args=[round.pk, other_agency.pk])
    client.force_login(officer_user)
    assert client.get(own).status_code == 404  # not published while scoring is open
    services.close_round(round=round, by=director_user)
    response = client.get(own)
    assert response.status_code == 200
    page = response.content.decode()
    assert "نظر عمومی برای دستگاه" in page
    assert "یادداشت خصوصی شورا" not in page
    assert "نظر برای دستگاه دیگر" not in page
    assert client.get(other).status_code == 404
    assert client.get(reverse("evaluations:sheet", args=[round.pk, sheet.pk])).status_code == 404
    assert client.get(reverse("evaluations:results", args=[round.pk])).status_code == 403
    assert client.get(reverse("evaluations:round", args=[round.pk])).status_code == 403
    mine = client.get(reverse("evaluations:my_scorecards")).content.decode()
    assert own in mine
    assert other not in mine


def test_correction_through_the_view_needs_a_reason(client, round, agency, evaluator_user, director_user, viewer_user):
    sheet_of(round, evaluator_user, agency, 3)
    services.close_round(round=round, by=director_user)
    services.lock_round(round=round, by=director_user)
    result = round.results.get()
    url = reverse("evaluations:correct", args=[round.pk])
    client.force_login(viewer_user)
    assert client.post(url, {"result": result.pk, "council_score": "80", "reason": "x"}).status_code == 403
    client.force_login(director_user)
    response = client.post(url, {"result": result.pk, "council_score": "80", "reason": " "}, follow=True)
    assert "دلیل مکتوب" in response.content.decode()
    assert not Correction.objects.exists()
    client.post(url, {"result": result.pk, "council_score": "۸۰", "reason": "اصلاح خطای ثبت"})
    result.refresh_from_db()
    assert str(result.final_score) == "80.00"
    assert Correction.objects.get().reason == "اصلاح خطای ثبت"
    page = client.get(reverse("evaluations:results", args=[round.pk])).content.decode()
    assert "اصلاح خطای ثبت" in page


def test_export_and_board_pack(client, round, agency, evaluator_user, director_user, viewer_user):
    agency.name = '=HYPERLINK("http://evil")'
    agency.save()
    sheet_of(round, evaluator_user, agency, 4)
    services.close_round(round=round, by=director_user)
    client.force_login(viewer_user)
    response = client.get(reverse("evaluations:export", args=[round.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    ranking = workbook.worksheets[0]
    assert ranking.sheet_view.rightToLeft
    assert [cell.value for cell in ranking[2]][:5] == [1, '\'=HYPERLINK("http://evil")', 80, None, 80]
    report = client.get(reverse("evaluations:report", args=[round.pk]))
    assert report.status_code == 200
    assert "css/print.css" in report.content.decode()


@pytest.mark.parametrize(("agency_count", "criterion_count"), [(3, 2), (12, 7)])
def test_ranking_page_query_count_is_fixed(
    client, django_assert_num_queries, director_user, agency_count, criterion_count
):
    for _number in range(criterion_count):
        criterion = factories.CriterionFactory(weight=10)
        factories.SubCriterionFactory.create_batch(3, criterion=criterion)
    evaluators = [factories.evaluator(), factories.evaluator()]
    previous = services.open_round(
        quarter=QUARTER.previous(), deadline=datetime.date(2026, 9, 30), opened_by=director_user
    )
    current = services.open_round(quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=director_user)
    for index in range(agency_count):
        agency = factories.AgencyFactory()
        factories.MilestoneFactory(
            agency=agency, start_date=datetime.date(2026, 9, 1), due_date=datetime.date(2026, 11, 1)
        )
        for evaluator in evaluators:
            sheet_of(previous, evaluator, agency, 1 + index % 5)
            sheet_of(current, evaluator, agency, 5 - index % 5)
    services.close_round(round=previous, by=director_user)
    services.lock_round(round=previous, by=director_user)
    client.force_login(director_user)
    url = reverse("evaluations:results", args=[current.pk])
    # session + user + membership, round, agencies, rubric (2), score means, milestones,
    # previous round, its stored results; the navigation bar's count of reports awaiting review
    # and of unread notifications.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == agency_count
    assert all(row.previous_rank is not None for row in rows)


def test_rubric_admin_is_the_directors(client, director_user, evaluator_user):
    client.force_login(director_user)
    for url in ("/admin/evaluations/criterion/", "/admin/evaluations/criterion/add/", "/admin/evaluations/round/"):
        assert client.get(url).status_code == 200
    client.force_login(evaluator_user)
    assert client.get("/admin/evaluations/criterion/").status_code == 302


def test_a_closed_rounds_rubric_copy_is_read_only_in_the_admin(client, round, director_user):
    criterion = round.criteria.first()
    url = f"/admin/evaluations/roundcriterion/{criterion.pk}/change/"
    client.force_login(director_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"]
    services.close_round(round=round, by=director_user)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_the_export_reads_left_to_right_in_english(client, settings, round, agency, evaluator_user, director_user):
    sheet_of(round, evaluator_user, agency, 4)
    services.close_round(round=round, by=director_user)
    client.force_login(director_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("evaluations:export", args=[round.pk]))
    ranking = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert not ranking.sheet_view.rightToLeft


# --- the evaluator's walk (issue 16) ---------------------------------------------------------


def test_an_empty_sheet_is_refused_and_nothing_is_saved(client, round, agency, evaluator_user):
    client.force_login(evaluator_user)
    url = reverse("evaluations:score", args=[round.pk, agency.pk])
    subs = RoundSubCriterion.objects.filter(criterion__round=round)
    response = client.post(url, {f"sub_{sub.pk}": "" for sub in subs} | {"private_note": "بعدا"})
    assert response.status_code == 200
    assert "دست‌کم یک زیرشاخص" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_sheet_explains_the_scale_and_links_to_the_agencys_evidence(client, round, agency, evaluator_user):
    client.force_login(evaluator_user)
    page = client.get(reverse("evaluations:score", args=[round.pk, agency.pk])).content.decode()
    assert "۴ — خوب</option>" in page
    assert "۵ = عالی" in page
    assert f'href="{reverse("reporting:my_agency")}?agency={agency.code}"' in page


def test_the_round_page_says_how_many_of_how_many_are_scored(client, round, agency, evaluator_user):
    sheet_of(round, evaluator_user, agency, 3)
    client.force_login(evaluator_user)
    page = client.get(reverse("evaluations:round", args=[round.pk])).content.decode()
    total = RoundSubCriterion.objects.filter(criterion__round=round, measure="").count()
    assert f"{total} از {total}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page


def test_the_correction_form_asks_for_an_agency_in_persian(round, director_user):
    from evaluations.forms import CorrectionForm
    from evaluations.models import RoundResult

    form = CorrectionForm(results=RoundResult.objects.none())
    assert form.fields["result"].empty_label == "دستگاه را انتخاب کنید"
