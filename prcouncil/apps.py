from django.contrib.admin.apps import AdminConfig


class CouncilAdminConfig(AdminConfig):
    default_site = "prcouncil.admin.CouncilAdminSite"
