"""API tokens in the admin: the director-general makes one for a person (the secret is shown once) and revokes it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from persian.jalali import format_datetime

from . import services
from .models import ApiToken

SECRET_SHOWN_ONCE = _(
    "The token “%(name)s” for %(user)s is made. Copy its secret now; it is shown only this once and "
    "only its hash is kept: %(secret)s"
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    actions = ["revoke"]
    fields = ["user", "name", "prefix", "created", "last_used", "revoked"]
    autocomplete_fields = []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # adding: who and what for; the secret is made on save
            return ["prefix", "created", "last_used", "revoked"]
        return ["user", "name", "prefix", "created", "last_used", "revoked"]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else self.fields

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj):
        return format_datetime(obj.created_at) if obj.created_at else ""

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj):
        return format_datetime(obj.last_used_at) if obj.last_used_at else "—"

    @admin.display(description=_("revoked at"), ordering="revoked_at")
    def revoked(self, obj):
        return format_datetime(obj.revoked_at) if obj.revoked_at else "—"

    def save_model(self, request, obj, form, change):
        if change:  # nothing of a made token changes; revoking is the action
            return
        token, secret = services.create_token(user=obj.user, name=obj.name)
        obj.pk = token.pk
        obj.__dict__.update(token.__dict__)
        messages.warning(request, SECRET_SHOWN_ONCE % {"name": token.name, "user": token.user, "secret": secret})

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_tokens(tokens=queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
