"""Officer reporting: the agency page, reporting with evidence, stale edits, tampering, review, download."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Evidence, Milestone, ProgressUpdate, Status, StrategicPlan
from plans.services import review_progress_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    return factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, title="برنامه ۱۴۰۵")


@pytest.fixture
def milestone(plan, agency):
    goal = factories.GoalFactory(plan=plan, number=3, title="به‌روزرسانی پایگاه اطلاع‌رسانی")
    return factories.MilestoneFactory(goal=goal, agency=agency, title="به‌روزرسانی هفتگی اخبار", progress=40)


def pdf_upload(name="گزارش نشست خبری.pdf"):
    return SimpleUploadedFile(name, factories.tiny_pdf(), content_type="application/pdf")


def post_report(client, target, **data):
    milestone = target
    payload = {"version": milestone.version, "status": "in_progress", "progress": "60", "note": "انجام شد"}
    payload.update(data)
    return client.post(reverse("reporting:report", args=[milestone.pk]), payload)


def stored_files(settings):
    return sorted(path for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file())


# --- the agency page ------------------------------------------------------------------------


def test_officer_sees_their_agency_grouped_by_goal_most_urgent_first(client, officer_user, agency, other_agency, plan):
    today = timezone.localdate()
    goal_a = factories.GoalFactory(plan=plan, number=1, title="هدف یک")
    goal_b = factories.GoalFactory(plan=plan, number=2, title="هدف دو")
    later = factories.MilestoneFactory(
        goal=goal_a, agency=agency, title="بعدا", due_date=today + datetime.timedelta(90)
    )
    overdue = factories.MilestoneFactory(
        goal=goal_b,
        agency=agency,
        title="عقب‌افتاده",
        start_date=today - datetime.timedelta(60),
        due_date=today - datetime.timedelta(3),
    )
    factories.MilestoneFactory(goal=goal_a, agency=other_agency, title="مال دیگری")
    client.force_login(officer_user)
    response = client.get(reverse("reporting:my_agency"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "مال دیگری" not in body
    assert body.index("عقب‌افتاده") < body.index("بعدا")
    assert "۳ روز تأخیر" in body
    groups = response.context["groups"]
    assert [goal for goal, _rows in groups] == [goal_b, goal_a]
    assert groups[0][1] == [overdue]
    assert groups[1][1] == [later]


def test_agency_page_filters_by_status_and_goal(client, officer_user, agency, plan):
    goal_a, goal_b = factories.GoalFactory(plan=plan), factories.GoalFactory(plan=plan)
    delayed = factories.MilestoneFactory(goal=goal_a, agency=agency, status=Status.DELAYED)
    factories.MilestoneFactory(goal=goal_b, agency=agency, status=Status.IN_PROGRESS)
    client.force_login(officer_user)
    response = client.get(reverse("reporting:my_agency"), {"status": "delayed"})
    assert [row for _goal, rows in response.context["groups"] for row in rows] == [delayed]
    response = client.get(reverse("reporting:my_agency"), {"goal": goal_b.pk})
    assert [goal for goal, _rows in response.context["groups"]] == [goal_b]


def listed(response):
    return [row for _goal, rows in response.context["groups"] for row in rows]


def test_a_large_agency_is_listed_twenty_five_at_a_time_the_most_urgent_first(
    client, officer_user, director_user, agency, plan
):
    today = timezone.localdate()
    goals = [factories.GoalFactory(plan=plan, number=number) for number in (1, 2)]
    later = [
        factories.MilestoneFactory(goal=goals[i % 2], agency=agency, due_date=today + datetime.timedelta(200 + i))
        for i in range(100)
    ]
    overdue = [
        factories.MilestoneFactory(
            goal=goals[1],
            agency=agency,
            start_date=today - datetime.timedelta(90),
            due_date=today - datetime.timedelta(10 + i),
        )
        for i in range(7)
    ]
    returned = later[-1]
    update = factories.ProgressUpdateFactory(milestone=returned, author=officer_user)
    review_progress_update(update=update, reviewer=director_user, accept=False, reason="سند را پیوست کنید")
    client.force_login(officer_user)

    first = client.get(reverse("reporting:my_agency"))
    rows = listed(first)
    assert len(rows) == 25
    # The returned report leads, then every overdue one (most overdue first), whatever its goal.
    assert rows[0] == returned
    assert set(rows[1:8]) == set(overdue)
    body = first.content.decode()
    assert "گام‌های اجرایی ۱ تا ۲۵ از ۱۰۷" in body
    assert "با تأخیر: ۷" in body
    assert "سند را پیوست کنید" in body
    assert "?page=2" in body

    last = client.get(reverse("reporting:my_agency"), {"page": "۵"})
    assert len(listed(last)) == 7
    assert "returned-reports" not in last.content.decode()
    assert "با تأخیر: ۷" in last.content.decode()  # the counts are the agency's, not the page's
    # Every milestone is on exactly one page.
    pages = [listed(client.get(reverse("reporting:my_agency"), {"page": str(number)})) for number in (2, 3, 4)]
    assert len({*rows, *listed(last), *(row for page in pages for row in page)}) == 107

    # A filter is kept in the page links.
    filtered = client.get(reverse("reporting:my_agency"), {"goal": goals[1].pk})
    assert len(listed(filtered)) == 25  # of 57
    assert f"?goal={goals[1].pk}&amp;page=2" in filtered.content.decode()


def test_a_notification_link_opens_the_page_that_holds_its_milestone(client, officer_user, agency, plan):
    today = timezone.localdate()
    goal = factories.GoalFactory(plan=plan)
    milestones = [
        factories.MilestoneFactory(goal=goal, agency=agency, due_date=today + datetime.timedelta(30 + i))
        for i in range(120)
    ]
    client.force_login(officer_user)
    for wanted, page in ((milestones[0], 1), (milestones[24], 1), (milestones[75], 4), (milestones[119], 5)):
        response = client.get(reverse("reporting:my_agency"), {"milestone": wanted.pk})
        assert response.context["page"].number == page
        assert f'id="milestone-{wanted.pk}"' in response.content.decode()
    # Another agency's milestone, a deleted one or a bad id: the first page, never an error.
    other = factories.MilestoneFactory(goal=goal)
    for value in (other.pk, 10**9, "abc", "-1"):
        response = client.get(reverse("reporting:my_agency"), {"milestone": value})
        assert response.status_code == 200
        assert response.context["page"].number == 1


def test_officer_cannot_pick_another_agency(client, officer_user, other_agency, plan):
    client.force_login(officer_user)
    assert client.get(reverse("reporting:my_agency"), {"agency": other_agency.code}).status_code == 404


def test_director_picks_any_agency(client, director_user, agency, milestone):
    client.force_login(director_user)
    response = client.get(reverse("reporting:my_agency"))
    assert response.status_code == 200
    assert agency.name in response.content.decode()
    response = client.get(reverse("reporting:my_agency"), {"agency": agency.code})
    assert milestone.title in response.content.decode()


def test_returned_report_shows_on_the_officer_page_and_in_the_navbar(client, officer_user, director_user, milestone):
    update = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    review_progress_update(update=update, reviewer=director_user, accept=False, reason="تصویر صورتجلسه را پیوست کنید")
    client.force_login(officer_user)
    body = client.get(reverse("reporting:my_agency")).content.decode()
    assert "تصویر صورتجلسه را پیوست کنید" in body
    assert "بازگشت برای اصلاح" in body
    assert 'class="badge text-bg-warning nav-returned"' in body


# --- reporting --------------------------------------------------------------------------------


def test_officer_reports_progress_with_a_pdf(client, officer_user, milestone, settings):
    client.force_login(officer_user)
    response = post_report(client, milestone, files=[pdf_upload()], links="https://www.irna.ir/news/1\n")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:milestone", args=[milestone.pk])
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress, milestone.version) == ("in_progress", 60, 2)
    update = ProgressUpdate.objects.get()
    assert (update.author, update.review_state, update.note) == (officer_user, "submitted", "انجام شد")
    file_evidence = update.evidence.exclude(file="").get()
    assert file_evidence.original_name == "گزارش نشست خبری.pdf"
    assert file_evidence.content_type == "application/pdf"
    # Stored under the private root, with a generated name that says nothing of the original.
    stored = settings.PRIVATE_MEDIA_ROOT / file_evidence.file.name
    assert stored.read_bytes() == factories.tiny_pdf()
    assert "گزارش" not in file_evidence.file.name
    assert not file_evidence.file.name.endswith(".pdf")
    assert update.evidence.filter(url="https://www.irna.ir/news/1").exists()


def test_htmx_report_returns_the_row_only(client, officer_user, milestone):
    client.force_login(officer_user)
    headers = {"HX-Request": "true", "HX-Target": f"milestone-{milestone.pk}"}
    url = reverse("reporting:report", args=[milestone.pk])
    form = client.get(url, headers=headers)
    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    assert 'name="version"' in form.content.decode()
    response = client.post(
        url, {"version": milestone.version, "status": "in_progress", "progress": "۷۵", "note": ""}, headers=headers
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="milestone-{milestone.pk}"' in body
    assert "۷۵٪" in body
    assert "در انتظار بررسی" in body
    milestone.refresh_from_db()
    assert milestone.progress == 75


def test_done_needs_evidence_and_delayed_a_reason(client, officer_user, milestone):
    client.force_login(officer_user)
    response = post_report(client, milestone, status="done", progress="100")
    assert response.status_code == 200
    assert "دست‌کم یک مستند" in response.content.decode()
    response = post_report(client, milestone, status="delayed", progress="40", note="  ")
    assert "دلیل توقف یا تأخیر" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"


def test_progress_out_of_range_is_refused(client, officer_user, milestone):
    client.force_login(officer_user)
    response = post_report(client, milestone, progress="150")
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_a_stale_form_is_refused_shows_what_changed_and_keeps_the_first_report(
    client, officer_user, director_user, milestone
):
    opened = milestone.version
    client.force_login(director_user)
    assert post_report(client, milestone, progress="70", note="گزارش دبیرخانه").status_code == 302
    client.force_login(officer_user)
    response = post_report(client, milestone, version=opened, progress="20", note="گزارش دیر")
    body = response.content.decode()
    assert response.status_code == 200
    assert "پس از باز کردن فرم" in body
    assert "۴۰" in body
    assert "۷۰" in body
    milestone.refresh_from_db()
    assert milestone.progress == 70
    assert list(ProgressUpdate.objects.values_list("note", flat=True)) == ["گزارش دبیرخانه"]
    # The form now carries the current version, so a deliberate resubmit goes through.
    assert response.context["report_form"]["version"].value() == milestone.version


def test_tampering_changes_nothing_but_status_progress_and_note(client, officer_user, milestone, agency, other_agency):
    other_goal = factories.GoalFactory(plan=milestone.goal.plan)
    other = factories.MilestoneFactory(agency=agency, progress=5)
    before = Milestone.objects.values().get(pk=milestone.pk)
    other_before = Milestone.objects.values().get(pk=other.pk)
    client.force_login(officer_user)
    response = post_report(
        client,
        milestone,
        agency=other_agency.pk,
        agency_id=other_agency.pk,
        goal=other_goal.pk,
        due_date="1405/12/29",
        start_date="1405/01/01",
        weight="9",
        title="عنوان دست‌کاری‌شده",
        id=other.pk,
        pk=other.pk,
        milestone=other.pk,
    )
    assert response.status_code == 302
    after = Milestone.objects.values().get(pk=milestone.pk)
    for name in ("agency_id", "goal_id", "due_date", "start_date", "weight", "title"):
        assert after[name] == before[name], name
    assert after["progress"] == 60
    assert Milestone.objects.values().get(pk=other.pk) == other_before
    assert ProgressUpdate.objects.get().milestone_id == milestone.pk


def test_other_agency_officer_gets_404_and_nothing_changes(client, other_officer_user, milestone):
    client.force_login(other_officer_user)
    assert post_report(client, milestone, progress="99").status_code == 404
    milestone.refresh_from_db()
    assert milestone.progress == 40
    assert not ProgressUpdate.objects.exists()


# --- the milestone page -----------------------------------------------------------------------


def test_milestone_page_shows_history_reports_reviews_and_evidence(client, officer_user, director_user, milestone):
    client.force_login(officer_user)
    post_report(client, milestone, files=[pdf_upload()], progress="60")
    update = ProgressUpdate.objects.get()
    review_progress_update(update=update, reviewer=director_user, accept=True)
    client.force_login(director_user)
    response = client.get(reverse("reporting:milestone", args=[milestone.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "گزارش نشست خبری.pdf" in body
    assert reverse("reporting:evidence", args=[update.evidence.get().pk]) in body
    assert "تأیید شده" in body
    assert "بررسی توسط" in body
    history = response.context["changes"]
    assert history[0]["record"].history_user == officer_user
    assert [(str(label), old, new) for label, old, new in history[0]["changes"]] == [("پیشرفت (٪)", "۴۰", "۶۰")]
    assert history[-1]["created"]
    assert timezone.now().year >= 2026
    assert "۱۴۰" in body


# --- review -----------------------------------------------------------------------------------


def test_review_accept_and_return_are_stamped(director_user, officer_user, milestone):
    first = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    second = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    review_progress_update(update=first, reviewer=director_user, accept=True)
    first.refresh_from_db()
    assert (first.review_state, first.reviewed_by, first.reviewed_at is not None) == ("accepted", director_user, True)
    with pytest.raises(ValidationError) as excinfo:
        review_progress_update(update=second, reviewer=director_user, accept=False, reason=" ")
    assert excinfo.value.code == "return_needs_reason"
    review_progress_update(update=second, reviewer=director_user, accept=False, reason="مستند ناقص است")
    second.refresh_from_db()
    assert (second.review_state, second.review_reason) == ("returned", "مستند ناقص است")
    with pytest.raises(ValidationError) as excinfo:
        review_progress_update(update=second, reviewer=director_user, accept=True)
    assert excinfo.value.code == "already_reviewed"


def test_nobody_reviews_their_own_report(client, director_user, milestone):
    update = factories.ProgressUpdateFactory(milestone=milestone, author=director_user)
    with pytest.raises(ValidationError) as excinfo:
        review_progress_update(update=update, reviewer=director_user, accept=True)
    assert excinfo.value.code == "self_review"
    client.force_login(director_user)
    queue = client.get(reverse("reporting:review_queue")).content.decode()
    assert "گزارش خودتان" in queue
    assert f'action="{reverse("reporting:review", args=[update.pk])}"' not in queue
    response = client.post(reverse("reporting:review", args=[update.pk]), {"decision": "accept"}, follow=True)
    assert "هیچ‌کس گزارش خودش را بررسی نمی‌کند" in response.content.decode()
    update.refresh_from_db()
    assert update.review_state == "submitted"


def test_review_queue_oldest_first_filters_and_htmx_decision(
    client, director_user, officer_user, milestone, other_agency
):
    old = factories.ProgressUpdateFactory(
        milestone=milestone, author=officer_user, created_at=timezone.now() - datetime.timedelta(days=2)
    )
    new = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    elsewhere = factories.ProgressUpdateFactory(milestone__agency=other_agency, milestone__goal=milestone.goal)
    client.force_login(director_user)
    response = client.get(reverse("reporting:review_queue"))
    assert list(response.context["updates"]) == [old, new, elsewhere]
    assert 'class="badge text-bg-light nav-awaiting"' in response.content.decode()
    response = client.get(reverse("reporting:review_queue"), {"agency": other_agency.code})
    assert list(response.context["updates"]) == [elsewhere]
    response = client.post(
        reverse("reporting:review", args=[old.pk]),
        {"decision": "return", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert "دلیل بازگشت" in response.content.decode()
    response = client.post(
        reverse("reporting:review", args=[old.pk]),
        {"decision": "return", "reason": "عکس ندارد"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    old.refresh_from_db()
    assert (old.review_state, old.reviewed_by) == ("returned", director_user)


# --- evidence download ------------------------------------------------------------------------


def test_evidence_download_is_an_attachment_with_the_persian_name(
    client, officer_user, other_officer_user, evaluator_user, milestone
):
    client.force_login(officer_user)
    post_report(client, milestone, files=[pdf_upload()])
    item = Evidence.objects.get()
    url = reverse("reporting:evidence", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.tiny_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4" in disposition
    client.force_login(evaluator_user)
    assert client.get(url).status_code == 200
    client.force_login(other_officer_user)
    assert client.get(url).status_code == 404


# --- query counts -----------------------------------------------------------------------------


def make_agency_milestones(plan, agency, officer, count):
    goals = [factories.GoalFactory(plan=plan) for _ in range(3)]
    for index in range(count):
        milestone = factories.MilestoneFactory(goal=goals[index % 3], agency=agency)
        factories.ProgressUpdateFactory(milestone=milestone, author=officer)


def touch_agency_page(response):
    for _goal, rows in response.context["groups"]:
        for row in rows:
            touched = (row.goal.title, row.last_reported_at, row.last_review_state, row.last_review_reason)
            assert all(value is not None for value in touched[:3])


@pytest.mark.parametrize("count", [3, 30])
def test_agency_page_runs_a_fixed_number_of_queries(
    client, officer_user, agency, plan, count, django_assert_num_queries
):
    make_agency_milestones(plan, agency, officer_user, count)
    client.force_login(officer_user)
    # session, user, membership, agency, active plan, goals (filter), count, milestones, overdue and
    # due-soon counts, navbar: agency name, returned count, unread notifications
    with django_assert_num_queries(12):
        response = client.get(reverse("reporting:my_agency"))
        touch_agency_page(response)
    assert sum(len(rows) for _goal, rows in response.context["groups"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_review_queue_runs_a_fixed_number_of_queries(
    client, director_user, officer_user, agency, plan, count, django_assert_num_queries
):
    make_agency_milestones(plan, agency, officer_user, count)
    for update in ProgressUpdate.objects.all()[:2]:
        Evidence.objects.create(update=update, url="https://www.irna.ir/news/2")
    client.force_login(director_user)
    # session, user, membership, active plan, agencies (filter), goals (filter), reports, their evidence,
    # navbar counts (awaiting review, unread notifications)
    with django_assert_num_queries(10):
        response = client.get(reverse("reporting:review_queue"))
        for update in response.context["updates"]:
            assert update.milestone.agency.name
            assert update.milestone.goal.number
            assert update.author.username
            list(update.evidence.all())
    assert len(response.context["updates"]) == count


def test_a_user_without_a_role_is_refused(client, milestone):
    stranger = factories.UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("reporting:my_agency")).status_code == 403
    assert client.get(reverse("reporting:milestone", args=[milestone.pk])).status_code == 404
    assert client.get(reverse("reporting:review_queue")).status_code == 403


def test_pages_render_in_english_too(client, director_user, officer_user, milestone):
    from django.utils import translation

    factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    client.force_login(director_user)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        for url in (
            reverse("reporting:my_agency") + f"?agency={milestone.agency.code}",
            reverse("reporting:milestone", args=[milestone.pk]),
            reverse("reporting:report", args=[milestone.pk]),
            reverse("reporting:review_queue"),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert 'dir="ltr"' in response.content.decode()


def test_history_names_a_moved_milestone_goal_and_shows_jalali_dates(client, director_user, milestone, plan):
    new_goal = factories.GoalFactory(plan=plan, number=7, title="آموزش کارشناسان")
    milestone.goal = new_goal
    milestone.due_date = datetime.date(2026, 12, 21)
    milestone._history_user = director_user
    milestone.save()
    client.force_login(director_user)
    response = client.get(reverse("reporting:milestone", args=[milestone.pk]))
    changes = {str(label): (old, new) for label, old, new in response.context["changes"][0]["changes"]}
    assert changes["هدف برنامه"][1] == "7. آموزش کارشناسان"
    assert changes["موعد انجام"][1] == "۱۴۰۵/۰۹/۳۰"


@pytest.mark.django_db
def test_an_officer_cannot_cancel_a_milestone_only_the_director_can(client, agency, officer_user, director_user):
    from plans.models import Status
    from plans.services import report_progress

    milestone = factories.MilestoneFactory(agency=agency, progress=0)
    client.force_login(officer_user)
    form_page = client.get(reverse("reporting:report", args=[milestone.pk])).content.decode()
    assert 'value="cancelled"' not in form_page
    response = client.post(
        reverse("reporting:report", args=[milestone.pk]),
        {"version": milestone.version, "status": "cancelled", "progress": "0", "note": "لغو"},
    )
    assert response.status_code == 200
    milestone.refresh_from_db()
    assert milestone.status != Status.CANCELLED
    report_progress(
        milestone=milestone,
        author=director_user,
        status=Status.CANCELLED,
        progress=0,
        note="با تصمیم شورا لغو شد",
        expected_version=milestone.version,
    )
    milestone.refresh_from_db()
    assert milestone.status == Status.CANCELLED


@pytest.mark.django_db
def test_a_link_longer_than_the_column_gets_a_message_not_a_500(client, agency, officer_user):
    milestone = factories.MilestoneFactory(agency=agency, progress=0)
    client.force_login(officer_user)
    response = client.post(
        reverse("reporting:report", args=[milestone.pk]),
        {
            "version": milestone.version,
            "status": "in_progress",
            "progress": "20",
            "links": "https://www.irna.ir/news/" + "a" * 600,
        },
    )
    assert response.status_code == 200
    assert not milestone.updates.exists()


@pytest.mark.django_db
def test_evidence_of_a_returned_report_does_not_let_a_milestone_be_done(agency, officer_user, director_user):
    from django.core.exceptions import ValidationError

    from plans.models import Status
    from plans.services import EvidenceLink, report_progress, review_progress_update

    milestone = factories.MilestoneFactory(agency=agency, progress=0)
    first = report_progress(
        milestone=milestone,
        author=officer_user,
        status=Status.IN_PROGRESS,
        progress=50,
        expected_version=milestone.version,
        links=[EvidenceLink(url="https://example.ir/x")],
    )
    review_progress_update(update=first, reviewer=director_user, accept=False, reason="پیوند نامعتبر است")
    with pytest.raises(ValidationError):
        report_progress(
            milestone=milestone,
            author=officer_user,
            status=Status.DONE,
            progress=100,
            expected_version=milestone.version,
        )
