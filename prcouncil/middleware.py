import html
import re
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


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
