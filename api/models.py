"""Personal API tokens: only a hash of the secret is stored; the secret is shown once, when it is made."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "prc_"  # noqa: S105  (a marker that says what the secret is, not a secret)
SHOWN_PREFIX_LENGTH = 8  # "prc_" and four characters: enough to tell a person's tokens apart in a list
# last_used_at is written at most this often per token, so a busy client does not write on every request.
LAST_USED_RESOLUTION_SECONDS = 60


def new_secret():
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret):
    """The stored form of a secret: its SHA-256 in hex.

    The secret is 256 random bits, not a password a person chose: no salt or stretching is needed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def owned_by(self, user):
        """A person's own tokens (their profile page): nobody else's is ever listed or revoked there."""
        return self.filter(user_id=user.pk) if user.is_authenticated else self.none()

    def for_secret(self, secret):
        """The active token with this secret (with its user and membership), or None; one query."""
        return self.active().filter(key_hash=hash_secret(secret)).select_related("user", "user__membership").first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. 'national dashboard'."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=SHOWN_PREFIX_LENGTH, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
            models.CheckConstraint(condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_is_sha256"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def set_secret(self):
        """Give the token a new secret; returns it (the only time it exists outside the client)."""
        secret = new_secret()
        self.key_hash = hash_secret(secret)
        self.prefix = secret[:SHOWN_PREFIX_LENGTH]
        return secret

    def touch(self, now=None):
        """Record a use, at most once a minute (one UPDATE, no model save)."""
        now = now or timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
