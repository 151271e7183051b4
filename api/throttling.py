"""Rate limits (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES): per token, per signed-in session, per anonymous address."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class CouncilRateThrottle(SimpleRateThrottle):
    """One limit per client: a token has its own bucket (scope "token"), a browser session its user's ("user"),
    and an anonymous client its address's ("anon", read as the login protection reads it: TRUSTED_PROXY_COUNT)."""

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope, ident = "token", request.auth.pk
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "user", request.user.pk
        else:
            self.scope, ident = "anon", self.get_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.ident = ident
        return super().allow_request(request, view)

    def __init__(self):  # the scope is chosen per request, in allow_request
        pass

    def get_rate(self):
        # Read at each request (not once at import, as SimpleRateThrottle does), so settings apply as they stand.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
