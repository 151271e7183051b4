"""ASGI entry point, with a cap on what the handler buffers before any middleware runs.

Django's ASGI handler reads the whole request body into a spooled temporary file before the
request reaches the middleware (prcouncil.middleware.RequestBodyLimitMiddleware, which then
refuses by kind of request). BoundedASGIHandler stops at the largest body any request may carry
(a progress report with the most evidence allowed): a bigger Content-Length is refused before a
byte is read, and a body streamed past the cap is cut off there. Django never parses a body that
came without Content-Length, so such a body may only be as large as an anonymous one.
Production runs under WSGI (gunicorn), where nothing is read before the middleware.
"""

import os

from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prcouncil.settings.production")


class BodyTooLarge(Exception):
    pass


class _CappedReceive:
    """Passes ASGI messages through, counting body bytes; past the cap, stops the read."""

    def __init__(self, receive, cap):
        self.receive, self.cap, self.size = receive, cap, 0

    async def __call__(self):
        message = await self.receive()
        self.size += len(message.get("body", b""))
        if self.size > self.cap:
            raise BodyTooLarge
        return message


class BoundedASGIHandler(ASGIHandler):
    async def handle(self, scope, receive, send):
        declared, cap = body_cap(scope)
        if declared is not None and declared > cap:
            return await self.refuse(send)
        try:
            await super().handle(scope, _CappedReceive(receive, cap), send)
        except BodyTooLarge:
            await self.refuse(send)

    async def refuse(self, send):
        from django.conf import settings
        from django.http import HttpResponse
        from django.utils import translation
        from django.utils.translation import gettext

        with translation.override(settings.LANGUAGE_CODE):
            text = gettext("What you sent is too large")
        await self.send_response(HttpResponse(text, status=413, content_type="text/plain; charset=utf-8"), send)


def body_cap(scope):
    """(the Content-Length declared, or None; the most this request may send)."""
    from django.conf import settings

    from prcouncil.middleware import largest_body_limit

    declared = None
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = None
    cap = largest_body_limit() if declared is not None else settings.REQUEST_BODY_MAX_BYTES["anonymous"]
    return declared, cap


def get_bounded_asgi_application():
    get_asgi_application()  # django.setup(), as Django's own entry point does
    return BoundedASGIHandler()


application = get_bounded_asgi_application()
