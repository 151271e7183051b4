"""Personal API tokens: `Authorization: Token <secret>` (or `Bearer <secret>`), looked up by the secret's hash."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken

MALFORMED = _("The Authorization header must be “Token” followed by the token's secret.")
INVALID = _("This API token is not valid: it is unknown, revoked, or its owner can no longer sign in.")
KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(MALFORMED) from None
        token = ApiToken.objects.for_secret(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return f'{self.keyword} realm="api"'
