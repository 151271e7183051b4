"""The emails as their readers get them: Persian, right-to-left, Jalali dates in Persian digits, a plain-text
part, and links that open pages the reader is allowed to see (the exact row, or the review queue)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core import mail

from notifications.ladder import run_reminders
from plans.services import report_progress, review_progress_update
from tests import factories

from .conftest import at
from .test_ladder import TODAY, emails_to, milestone

pytestmark = pytest.mark.usefixtures("official_holidays", "ladder_settings")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.root = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs["href"])
        if tag in ("html", "body"):
            self.root[tag] = attrs


def parsed(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    links = Links()
    links.feed(html)
    return html, links


def assert_links_open_for(client, user, hrefs):
    client.force_login(user)
    assert hrefs
    for href in hrefs:
        parts = urlsplit(href)
        assert f"{parts.scheme}://{parts.netloc}" == "http://testserver", href
        response = client.get(parts.path, dict(pair.split("=") for pair in parts.query.split("&") if pair))
        assert response.status_code == 200, href
        if parts.fragment:
            assert f'id="{parts.fragment}"' in response.content.decode(), href


@pytest.fixture
def reminded(goal, agency, other_agency, officer_with_email, other_officer_with_email, director_with_email):
    items = [
        milestone(goal, agency, "نشست خبری فصل پاییز", "1405/09/19"),
        milestone(goal, agency, "پوشش خبری هفته کتاب", "1405/09/10"),
        milestone(goal, other_agency, "اطلاع‌رسانی قطعی گاز", "1405/09/19"),
        milestone(goal, other_agency, "گزارش گازرسانی روستاها", "1405/09/10"),
    ]
    with at(TODAY):
        run_reminders()
    return items


def test_the_digest_is_persian_right_to_left_with_jalali_dates_and_a_plain_text_part(reminded, officer_with_email):
    [email] = emails_to(officer_with_email.email)
    html, links = parsed(email)
    assert links.root["html"]["dir"] == "rtl"
    assert links.root["html"]["lang"] == "fa"
    assert links.root["body"]["dir"] == "rtl"
    assert "direction:rtl" in links.root["body"]["style"]
    assert email.subject == "یادآوری برنامه برای آموزش و پرورش: ۱۴۰۵/۰۹/۱۶"
    for part in (email.body, html):
        assert "۱۴۰۵/۰۹/۱۹" in part  # the due date, Jalali, Persian digits
        assert "۱۴۰۵/۰۹/۱۰" in part
        assert "۶ روز تأخیر" in part  # 1405/09/10 to 09/16
        assert not re.search(r"\b(1405|2026)\b", part.replace("http://testserver", ""))
    assert "<" not in email.body  # the plain-text part is text, not markup
    assert email.extra_headers["Content-Language"] == "fa"


def test_the_digests_links_open_the_officers_own_rows(client, reminded, officer_with_email):
    [email] = emails_to(officer_with_email.email)
    _html, links = parsed(email)
    mine = reminded[:2]
    assert {f"http://testserver/reporting/my-agency/?milestone={item.pk}#milestone-{item.pk}" for item in mine} <= set(
        links.hrefs
    )
    assert_links_open_for(client, officer_with_email, links.hrefs)


def test_the_escalation_is_persian_and_its_links_open_for_the_director(client, reminded, director_with_email):
    [email] = emails_to(director_with_email.email)
    html, links = parsed(email)
    assert links.root["html"]["dir"] == "rtl"
    assert "آموزش و پرورش" in html  # both agencies have never reported: silent
    assert "هرگز" in email.body
    assert_links_open_for(client, director_with_email, links.hrefs)


def test_review_emails_link_to_the_row_and_to_the_review_queue(
    client, goal, agency, officer_with_email, director_with_email, django_capture_on_commit_callbacks
):
    item = milestone(goal, agency, "برگزاری نشست خبری پایان سال", "1405/12/20")
    with at("1405/09/15", 9), django_capture_on_commit_callbacks(execute=True):
        update = report_progress(
            milestone=item, author=officer_with_email, status="in_progress", progress=30, expected_version=1
        )
    [waiting] = emails_to(director_with_email.email)
    assert waiting.subject == "گزارش‌های تازه آموزش و پرورش در انتظار بررسی است"
    _html, links = parsed(waiting)
    assert "http://testserver/reporting/review/?agency=education" in links.hrefs
    assert_links_open_for(client, director_with_email, links.hrefs)

    with at("1405/09/15", 11), django_capture_on_commit_callbacks(execute=True):
        review_progress_update(update=update, reviewer=director_with_email, accept=False, reason="عکس جلسه لازم است")
    [returned] = emails_to(officer_with_email.email)
    html, links = parsed(returned)
    assert "عکس جلسه لازم است" in html
    assert "۱۴۰۵/۰۹/۱۵" in returned.body
    assert f"http://testserver/reporting/my-agency/?milestone={item.pk}#milestone-{item.pk}" in links.hrefs
    assert_links_open_for(client, officer_with_email, links.hrefs)


def test_the_other_agencys_officer_cannot_open_the_rows_of_my_email(client, reminded, other_officer_with_email):
    # The row links of one agency's email do not open another agency's rows: its own page has no such row.
    client.force_login(other_officer_with_email)
    page = client.get("/reporting/my-agency/").content.decode()
    for item in reminded[:2]:
        assert f'id="milestone-{item.pk}"' not in page
        assert client.get(f"/reporting/milestones/{item.pk}/").status_code == 404


def test_reports_by_the_director_on_behalf_of_an_agency_do_not_notify_the_director_themself(
    goal, agency, director_with_email, django_capture_on_commit_callbacks
):
    other_director = factories.director(username="secretariat", email="sec@ostan.example.ir")
    item = milestone(goal, agency, "گام", "1405/12/20")
    with at("1405/09/15", 9), django_capture_on_commit_callbacks(execute=True):
        report_progress(
            milestone=item, author=director_with_email, status="in_progress", progress=10, expected_version=1
        )
    assert emails_to(director_with_email.email) == []
    assert [message.to for message in mail.outbox] == [[other_director.email]]
