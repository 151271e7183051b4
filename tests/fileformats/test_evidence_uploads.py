"""Evidence uploads: checked by content, size and name before anything is stored (fileformats/uploads.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from fileformats.uploads import check_evidence as check_upload
from fileformats.uploads import safe_display_name
from plans.forms import ProgressReportForm
from plans.models import Evidence, ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="5"/></svg>'
PDF_WITH_HTML = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"


@pytest.fixture
def milestone(agency):
    return factories.MilestoneFactory(agency=agency, progress=40)


def all_files(settings):
    return {path for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()}


# The private root is shared by the whole test session; count only what this test stores.
FILES_BEFORE = set()


@pytest.fixture(autouse=True)
def _files_before(settings):
    FILES_BEFORE.clear()
    FILES_BEFORE.update(all_files(settings))


def stored_files(settings):
    return sorted(all_files(settings) - FILES_BEFORE)


def raw_multipart(milestone, filename, content):
    """A multipart body written by hand, so the file name reaches the server exactly as given."""
    boundary = "----prcouncil-boundary"
    fields = {"version": str(milestone.version), "status": "in_progress", "progress": "50", "note": "گزارش"}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_file(client, milestone, upload):
    data = {"version": milestone.version, "status": "in_progress", "progress": "50", "note": "گزارش", "files": upload}
    return client.post(reverse("reporting:report", args=[milestone.pk]), data)


def assert_rejected(response, settings, message):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE, "نیست"),
        ("page.pdf", HTML, "محتوای صفحه وب یا اسکریپت"),
        ("logo.png", SVG, "محتوای صفحه وب یا اسکریپت"),
        ("report.pdf", PDF_WITH_HTML, "محتوای صفحه وب یا اسکریپت"),
        ("photo.png", factories.tiny_pdf(), "با محتوای آن نمی‌خواند"),
        ("macro.docx", factories.tiny_office("docx", extra=["word/vbaProject.bin"]), "ماکرو"),
        ("fake.xlsx", factories.tiny_office("docx"), "با محتوای آن نمی‌خواند"),
        ("empty.pdf", b"", "خالی"),
    ],
)
def test_bad_files_are_rejected_with_a_clear_message_and_nothing_is_stored(
    client, officer_user, milestone, settings, name, content, message
):
    client.force_login(officer_user)
    response = post_file(client, milestone, SimpleUploadedFile(name, content))
    assert_rejected(response, settings, message)


def test_a_file_over_the_size_limit_is_rejected(client, officer_user, milestone, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(officer_user)
    response = post_file(client, milestone, SimpleUploadedFile("big.pdf", factories.tiny_pdf() + b"\n" * 200))
    assert_rejected(response, settings, "بیشترین حجم مجاز")


@pytest.mark.parametrize(
    "name",
    [
        "invoice\u202egpj.pdf",  # shows as "invoicefdp.jpg": a PDF content, a disguised name
        "invoice\u202efdp.exe",
        "../../../etc/cron.d/evil.pdf",
        "..\\..\\windows\\evil.pdf",
        "evil&#8238;fdp.pdf",  # the override as an HTML entity, which Django's parser unescapes
    ],
)
def test_a_disguised_or_path_like_file_name_is_rejected_as_sent(client, officer_user, milestone, settings, name):
    # Django's parser would quietly clean these names; the names as sent are what the officer chose.
    client.force_login(officer_user)
    body, content_type = raw_multipart(milestone, name, factories.tiny_pdf())
    response = client.generic("POST", reverse("reporting:report", args=[milestone.pk]), body, content_type)
    assert_rejected(response, settings, "نام فایل")


def test_a_name_sent_in_rfc5987_form_is_checked_too(client, officer_user, milestone, settings):
    client.force_login(officer_user)
    body, content_type = raw_multipart(milestone, "invoice.pdf", factories.tiny_pdf())
    body = body.replace(b'filename="invoice.pdf"', b"filename*=UTF-8''invoice%E2%80%AEfdp.pdf")
    response = client.generic("POST", reverse("reporting:report", args=[milestone.pk]), body, content_type)
    assert_rejected(response, settings, "نام فایل")


def test_a_persian_name_with_a_zero_width_non_joiner_is_accepted(client, officer_user, milestone, settings):
    client.force_login(officer_user)
    body, content_type = raw_multipart(milestone, "گزارش\u200cها.pdf", factories.tiny_pdf())
    response = client.generic("POST", reverse("reporting:report", args=[milestone.pk]), body, content_type)
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "گزارش\u200cها.pdf"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "مسیر پوشه"),
        ("..\\..\\boot.ini.pdf", "مسیر پوشه"),
        ("invoice\u202efdp.exe", "جهت‌نمای پنهان"),
        ("report\u2066.pdf", "جهت‌نمای پنهان"),
        ("line\nbreak.pdf", "جهت‌نمای پنهان"),
        (".htaccess", "مسیر پوشه"),
    ],
)
def test_the_form_rejects_disguised_names_whatever_channel_they_come_from(milestone, name, message):
    upload = SimpleUploadedFile("x.pdf", factories.tiny_pdf())
    upload._name = name  # as if a channel other than Django's multipart parser had passed it on
    form = ProgressReportForm(
        {"version": milestone.version, "status": "in_progress", "progress": "50"},
        MultiValueDict({"files": [upload]}),
        milestone=milestone,
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors["files"])


def test_good_files_pass_and_keep_their_persian_names():
    for name, content, content_type in [
        ("صورتجلسه اتاق‌فکر.pdf", factories.tiny_pdf(), "application/pdf"),
        ("عکس.PNG", factories.tiny_png(), "image/png"),
        ("گزارش.docx", factories.tiny_office("docx"), "wordprocessingml"),
        ("آمار.xlsx", factories.tiny_office("xlsx"), "spreadsheetml"),
    ]:
        checked = check_upload(SimpleUploadedFile(name, content))
        assert checked.original_name == name
        assert content_type in checked.content_type


def test_safe_display_name_keeps_zero_width_non_joiner():
    assert safe_display_name("می‌خواهم.pdf") == "می‌خواهم.pdf"
    with pytest.raises(ValidationError):
        safe_display_name("a\u202eb.pdf")


def test_an_empty_file_input_is_no_file_not_a_bad_name(client, officer_user, milestone):
    # Browsers send an unused file input as a part with filename="".
    client.force_login(officer_user)
    body, content_type = raw_multipart(milestone, "", b"")
    response = client.generic("POST", reverse("reporting:report", args=[milestone.pk]), body, content_type)
    assert response.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    assert not Evidence.objects.exists()
