from django.http import HttpResponseBadRequest
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
