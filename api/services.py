"""Making and revoking API tokens: the admin and `manage.py create_api_token` both come here."""

from django.db import transaction
from django.utils import timezone

from .models import ApiToken


@transaction.atomic
def create_token(*, user, name):
    """A new token for `user`; returns (token, secret). Only the secret's hash is stored."""
    token = ApiToken(user=user, name=name)
    secret = token.set_secret()
    token.full_clean()
    token.save()
    return token, secret


def revoke_tokens(*, tokens):
    """Revoke the given tokens (a queryset); already revoked ones keep their date. Returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
