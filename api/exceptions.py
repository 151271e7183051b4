"""The API's errors, in the request's language (Persian first), never revealing what a 404 hid."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


def handler(exc, context):
    # Django's 404 says which model was looked for ("No Milestone matches…"), in English: say only "not found".
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return exception_handler(exc, context)
