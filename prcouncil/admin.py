import rules
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class CouncilAdminSite(admin.AdminSite):
    """The admin is the director-general's (and the secretariat's) tool, whatever else a role may read."""

    site_header = _("PR council administration")
    site_title = _("PR council")
    index_title = _("Strategic plan, agencies and people")

    def has_permission(self, request):
        return super().has_permission(request) and rules.has_perm("prcouncil.open_admin", request.user)
