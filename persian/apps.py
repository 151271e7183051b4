from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersianConfig(AppConfig):
    name = "persian"
    verbose_name = _("Jalali calendar and Persian text")

    def ready(self):
        from .admin import install_jalali_admin

        install_jalali_admin()
