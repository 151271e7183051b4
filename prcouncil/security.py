"""Who is asking, and a record of what matters for security: logins, failures, lockouts, refusals.

Everything goes to the logger "prcouncil.security" (to the console by default, see LOGGING),
one line per event with the username and the client's address; never a password.
docs/security.md lists the events.
"""

import ipaddress
import logging
import math

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.shortcuts import render

logger = logging.getLogger("prcouncil.security")


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address
    the outermost trusted proxy saw, read from the right of X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N trusted proxies the
    client is the N-th entry from the right; anything further left was written by the client and
    may be forged. With 0 proxies (the default) no header is trusted. A malformed entry falls back
    to REMOTE_ADDR rather than letting a made-up string become a lockout key.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (axes' AXES_LOCKOUT_CALLABLE): Persian, in the layout, 429."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _who(request, username=None):
    ip = client_ip(request) if request is not None else "-"
    return {"username": username or "-", "ip": ip or "-"}


def logged_in(sender, request, user, **kwargs):
    logger.info("login succeeded: username=%(username)s ip=%(ip)s", _who(request, user.get_username()))


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout: username=%(username)s ip=%(ip)s", _who(request, user.get_username()))


def login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") if isinstance(credentials, dict) else None
    logger.warning("login failed: username=%(username)s ip=%(ip)s", _who(request, username))


def locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "login locked out: username=%(username)s ip=%(ip)s (after %(limit)s failures, for %(cooloff)s)",
        {**_who(request, username), "limit": settings.AXES_FAILURE_LIMIT, "cooloff": settings.AXES_COOLOFF_TIME},
    )


def log_refusal(request, response):
    """A 403: someone asked for what their role does not allow."""
    user = getattr(request, "user", None)
    username = user.get_username() if user is not None and user.is_authenticated else None
    logger.warning(
        "permission refused: username=%(username)s ip=%(ip)s %(method)s %(path)s",
        {**_who(request, username), "method": request.method, "path": request.path[:200]},
    )


def connect_signals():
    from axes.signals import user_locked_out

    user_logged_in.connect(logged_in, dispatch_uid="prcouncil.security.logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="prcouncil.security.logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="prcouncil.security.login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="prcouncil.security.locked_out")
