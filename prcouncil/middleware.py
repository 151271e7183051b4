import html
import re
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from fileformats.uploads import evidence_limits, spreadsheet_limits
from persian.templatetags.persian import digits

from . import security


class RejectNullBytesMiddleware:
    """A NUL byte in a query string or form field is never something a person typed.

    PostgreSQL refuses it in text, so a filter like ?agency=%00 would otherwise end in a
    500 wherever a view reads a parameter before a form cleans it. Refused here, once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return self.refuse()
        if request.method == "POST" and any("\x00" in value for value in request.POST.values()):
            return self.refuse()
        return self.get_response(request)

    def refuse(self):
        return HttpResponseBadRequest(_("The request contains a character that is not allowed."))


class UploadNamesMiddleware:
    """Keep the file names of a multipart upload as the browser sent them.

    Django's upload parser drops folder parts and invisible characters from a file name before
    any application code sees it, so "../../x.pdf" or a name with a right-to-left override
    (U+202E, which makes "gpj.exe" read as "exe.jpg") would arrive looking harmless. Forms
    that accept files refuse such uploads outright (fileformats.uploads); to do that they need
    the names as sent: `request.upload_names_as_sent`, filled while the body is parsed.
    The body is read through, never buffered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.upload_names_as_sent = []
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith("multipart/") and hasattr(request, "_stream"):
            request._stream = _NameSniffingStream(request._stream, request.upload_names_as_sent)
        return self.get_response(request)


_FILENAME = re.compile(rb'filename(\*?)\s*=\s*(?:"((?:[^"\\\r\n]|\\.)*)"|([^;\r\n]*))', re.IGNORECASE)
_HEADER_TAIL = 8192


class _NameSniffingStream:
    """Passes the request body through, noting the filename= of every part header it sees."""

    def __init__(self, stream, names):
        self._stream = stream
        self._names = names
        self._tail = b""

    def read(self, *args, **kwargs):
        data = self._stream.read(*args, **kwargs)
        self._scan(data)
        return data

    def readline(self, *args, **kwargs):
        data = self._stream.readline(*args, **kwargs)
        self._scan(data)
        return data

    def _scan(self, data):
        buffer = self._tail + data
        end = buffer.rfind(b"\r\n")
        if end == -1:
            self._tail = buffer[-_HEADER_TAIL:]
            return
        for line in buffer[:end].split(b"\r\n"):
            if line[:19].lower() == b"content-disposition":
                for extended, quoted, bare in _FILENAME.findall(line):
                    name = _decode_name(quoted or bare.strip(), extended=bool(extended))
                    if name:  # filename="" is an empty file input: no file chosen
                        self._names.append(name)
        self._tail = buffer[end + 2 :][-_HEADER_TAIL:]


def _decode_name(raw, *, extended):
    if extended:  # RFC 5987: filename*=UTF-8''%E2%80%AE...
        _charset, _, encoded = raw.decode("latin-1").partition("''")
        return unquote(encoded, errors="replace")
    return html.unescape(raw.decode("utf-8", errors="replace").replace('\\"', '"'))


class PersianFirstLocaleMiddleware(LocaleMiddleware):
    """Persian unless the person chose English with the language switch (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Iranian
    offices run English-language browsers and systems: they would land in English.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def evidence_body_limit():
    """A progress report with the most evidence files allowed, each at the largest size, and its form."""
    return settings.EVIDENCE_MAX_FILES * evidence_limits().max_bytes + settings.REQUEST_BODY_FORM_ROOM


def spreadsheet_body_limit():
    return spreadsheet_limits().max_bytes + settings.REQUEST_BODY_FORM_ROOM


def largest_body_limit():
    return max(evidence_body_limit(), spreadsheet_body_limit(), *settings.REQUEST_BODY_MAX_BYTES.values())


def body_limit_for(request):
    """The largest body this request may carry, in bytes, and what kind of request it is.

    Anonymous requests only log in or switch the language. For a signed-in person the URL decides:
    a progress report with evidence files, a spreadsheet upload (the round trip and the admin's
    import), or any other form.
    """
    limits = settings.REQUEST_BODY_MAX_BYTES
    if not request.user.is_authenticated:
        return limits["anonymous"], "anonymous"
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return limits["form"], "form"
    if match.view_name == "reporting:report":
        return evidence_body_limit(), "evidence"
    if match.view_name == "spreadsheets:agency_sheet" or (
        match.namespace == "admin" and (match.url_name or "").endswith("_import")
    ):
        return spreadsheet_body_limit(), "spreadsheet"
    return limits["form"], "form"


class RequestBodyLimitMiddleware:
    """Refuse a request body larger than its kind allows, before anything reads it.

    Decided from Content-Length, so a 100 MB upload is answered 413 without a byte of it being
    parsed into memory or temporary files (and before the CSRF and login checks, which parse the
    form). Under WSGI a body without Content-Length is never read by Django at all; under ASGI
    the handler itself caps what it buffers (prcouncil.asgi). The page is Persian, in the layout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES["anonymous"]:
            limit, kind = body_limit_for(request)
            if length > limit:
                security.logger.warning(
                    "request body refused: %(length)s bytes > %(limit)s (%(kind)s) %(method)s %(path)s ip=%(ip)s",
                    {
                        "length": length,
                        "limit": limit,
                        "kind": kind,
                        "method": request.method,
                        "path": request.path[:200],
                        "ip": security.client_ip(request),
                    },
                )
                return render(request, "413.html", {"limit": _size_text(limit), "kind": kind}, status=413)
        return self.get_response(request)


def _size_text(size):
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": digits(round(size / 1024))}
    return _("%(size)s MB") % {"size": digits(round(size / (1024 * 1024)))}


class PrivateCacheMiddleware:
    """A page or file sent to a signed-in person is theirs: no cache, shared or the browser's own, keeps it.

    Public responses (the login page, the public progress page for anonymous visitors, static
    files, which WhiteNoise serves before this runs) keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)  # drops "public" if a view set it
        return response


class ForbiddenLogMiddleware:
    """Log every 403 (prcouncil.security): someone asked for what their role does not allow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            security.log_refusal(request, response)
        return response
