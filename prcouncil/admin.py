import rules
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from persian.admin import CheckedInputAdminMixin
from persian.templatetags.persian import digits


class CouncilAdminSite(admin.AdminSite):
    """The admin is the director-general's (and the secretariat's) tool, whatever else a role may read."""

    site_header = _("PR council administration")
    site_title = _("PR council")
    index_title = _("Strategic plan, agencies and people")

    def has_permission(self, request):
        return super().has_permission(request) and rules.has_perm("prcouncil.open_admin", request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin, ours and third-party ones (axes), reads its filters, ids and related rows through
        persian.values (persian.admin.CheckedInputAdminMixin): no typed value gives a 500."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedInputAdminMixin):
            admin_class = type(
                admin_class.__name__, (CheckedInputAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)


def register_people_admin():
    """People in the admin, with "Unlock login" for someone locked out after too many wrong passwords.

    Replaces django.contrib.auth's User admin on our site (called from SiteConfig.ready(), once
    every app's admin module has registered its models).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.admin import UserAdmin

    user_model = get_user_model()
    site = admin.site
    if site.is_registered(user_model):
        base = type(site.get_model_admin(user_model))
        site.unregister(user_model)
    else:
        base = UserAdmin

    class PeopleAdmin(base):  # the site adds CheckedInputAdminMixin (checked filters, Persian-aware search)
        actions = [*(base.actions or []), "unlock_login"]

        @admin.action(description=_("Unlock login (after too many wrong passwords)"), permissions=["unlock"])
        def unlock_login(self, request, queryset):
            from axes.utils import reset

            people = list(queryset.values_list(user_model.USERNAME_FIELD, flat=True))
            removed = sum(reset(username=username) for username in people)
            self.message_user(
                request,
                ngettext(
                    "Unlocked the login of %(count)s person (%(attempts)s failed attempts cleared).",
                    "Unlocked the login of %(count)s people (%(attempts)s failed attempts cleared).",
                    len(people),
                )
                % {"count": digits(len(people)), "attempts": digits(removed)},
                messages.SUCCESS,
            )

        def has_unlock_permission(self, request):
            return request.user.has_perm("axes.delete_accessattempt")

    site.register(user_model, PeopleAdmin)
