"""Request bodies are refused by size before anything parses them (prcouncil.middleware, prcouncil.asgi).

The probe's finding: an anonymous multipart POST of 100 MB was parsed into temporary files before
the CSRF and login checks. Here the same request is answered 413 with not one byte of its body
read, while a signed-in officer can still send a report with the documented evidence sizes.
"""

import asyncio

import pytest
from django.core.files import uploadedfile
from django.urls import reverse

from prcouncil.middleware import evidence_body_limit, spreadsheet_body_limit
from tests import factories

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----prcouncil-test-boundary"


class MultipartBody:
    """A multipart/form-data body of `size` bytes with one file field, made as it is read.

    Counts how many bytes anyone read from it, so a test can say the body was never touched.
    """

    def __init__(self, size, field="files"):
        self.head = (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.position = 0

    def _byte_range(self, start, end):
        head_end, tail_start = len(self.head), self.size - len(self.tail)
        parts = [self.head[start : min(end, head_end)]] if start < head_end else []
        filler = min(end, tail_start) - max(start, head_end)
        if filler > 0:
            parts.append(b"x" * filler)
        if end > tail_start:
            parts.append(self.tail[max(start, tail_start) - tail_start : end - tail_start])
        return b"".join(parts)

    def read(self, size=-1):
        end = self.size if size is None or size < 0 else min(self.size, self.position + size)
        data = self._byte_range(self.position, end)
        self.position = end
        return data

    def readline(self, size=-1):
        rest = self.read(size if size and size > 0 else 64 * 1024)
        cut = rest.find(b"\n")
        if cut != -1:
            self.position -= len(rest) - cut - 1
            rest = rest[: cut + 1]
        return rest


def post_body(client, url, body):
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )


@pytest.fixture
def temp_files(monkeypatch):
    """Every temporary upload file Django creates while parsing a body."""
    created = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        created.append(self.temporary_file_path())

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", spy)
    return created


@pytest.fixture
def milestone(agency):
    return factories.MilestoneFactory(agency=agency)


def urls(milestone):
    return [
        reverse("login"),
        reverse("reporting:report", args=[milestone.pk]),
        reverse("spreadsheets:agency_sheet"),
        reverse("admin:plans_milestone_import"),
        reverse("home"),
    ]


def test_a_100_mb_anonymous_post_is_refused_unread_everywhere(client, milestone, temp_files):
    for url in urls(milestone):
        body = MultipartBody(100 * MB)
        response = post_body(client, url, body)
        assert response.status_code == 413, url
        assert body.position == 0, f"{url}: {body.position} bytes of the body were read"
    assert temp_files == []


def test_without_the_limit_the_same_post_would_be_parsed_to_temporary_files(client, settings, milestone, temp_files):
    """The defect the limit prevents: the body is parsed before the login check sends the visitor away."""
    settings.REQUEST_BODY_MAX_BYTES = {"anonymous": 200 * MB, "form": 200 * MB}
    body = MultipartBody(4 * MB)  # above FILE_UPLOAD_MAX_MEMORY_SIZE, so it goes to a temporary file
    response = post_body(client, reverse("reporting:report", args=[milestone.pk]), body)
    assert response.status_code == 302  # to the login page, after parsing
    assert body.position == body.size
    assert len(temp_files) == 1


def test_the_413_page_is_persian_in_the_layout_with_the_limit(client, milestone):
    response = post_body(client, reverse("login"), MultipartBody(1 * MB))
    html = response.content.decode()
    assert response.status_code == 413
    assert '<html lang="fa" dir="rtl">' in html
    assert "بیش از اندازه بزرگ" in html
    assert "۶۴ کیلوبایت" in html  # the anonymous limit
    assert f'href="{reverse("start")}"' in html
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert 'nonce="None"' not in html


def test_a_signed_in_officer_sends_evidence_up_to_the_documented_size(client, officer_user, milestone, settings):
    client.force_login(officer_user)
    report = reverse("reporting:report", args=[milestone.pk])
    assert evidence_body_limit() == settings.EVIDENCE_MAX_FILES * settings.EVIDENCE_MAX_BYTES + MB
    # 12 MB passes the body limit (the form itself then checks each file: this one is no PDF).
    body = MultipartBody(12 * MB)
    response = post_body(client, report, body)
    assert response.status_code == 200
    assert body.position == body.size
    refused = MultipartBody(evidence_body_limit() + 1)
    assert post_body(client, report, refused).status_code == 413
    assert refused.position == 0


def test_a_signed_in_person_sends_only_a_form_elsewhere(client, officer_user, milestone, temp_files):
    client.force_login(officer_user)
    body = MultipartBody(3 * MB)
    response = post_body(client, reverse("reporting:review_queue"), body)
    assert response.status_code == 413
    assert "۱ مگابایت" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"  # the page names the person in its navbar
    assert body.position == 0
    assert temp_files == []


def test_spreadsheet_uploads_get_the_spreadsheet_size(client, officer_user, director_user, settings):
    assert spreadsheet_body_limit() == 5 * MB + MB
    client.force_login(officer_user)
    sheet = reverse("spreadsheets:agency_sheet")
    assert post_body(client, sheet, MultipartBody(7 * MB)).status_code == 413
    accepted = MultipartBody(int(5.5 * MB))
    assert post_body(client, sheet, accepted).status_code != 413
    assert accepted.position == accepted.size
    client.force_login(director_user)
    assert post_body(client, reverse("admin:plans_milestone_import"), MultipartBody(7 * MB)).status_code == 413
    settings.SPREADSHEET_UPLOAD_LIMITS = {"max_bytes": 10 * MB}
    assert spreadsheet_body_limit() == 11 * MB


def test_refusals_are_logged(client, milestone, caplog):
    post_body(client, reverse("login"), MultipartBody(2 * MB))
    assert "request body refused: 2097152 bytes > 65536 (anonymous) POST /accounts/login/" in caplog.text


# --- ASGI: the handler buffers the body before any middleware, so it caps the read itself ----------


def run_asgi(headers, chunks, path="/accounts/login/"):
    from prcouncil.asgi import application

    received, sent = [], []
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1} for i, chunk in enumerate(chunks)
    ]

    async def receive():
        if messages:
            received.append(messages[0])
            return messages.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    asyncio.run(application(scope, receive, send))
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return status, body.decode(), received


def test_asgi_refuses_a_declared_size_past_the_cap_before_reading():
    status, body, received = run_asgi([(b"content-length", str(200 * MB).encode())], [b"x" * 1024] * 3)
    assert status == 413
    assert "بیش از اندازه بزرگ" in body
    assert received == []


def test_asgi_stops_reading_a_body_streamed_without_length_at_the_cap():
    chunks = [b"x" * (16 * 1024)] * 1000  # 16 MB on offer, no Content-Length
    status, _body, received = run_asgi([(b"content-type", b"application/octet-stream")], chunks)
    assert status == 413
    assert len(received) == 5  # 64 KB allowed: the fifth chunk passes it and the read stops
