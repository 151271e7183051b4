from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from persian.collation import COLLATION


class County(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=COLLATION)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Agency(models.Model):
    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("Governance and administration")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure and production")
        SOCIAL = "social", _("Social and welfare")
        CULTURAL = "cultural", _("Culture, education and media")
        SERVICES = "services", _("Public services")

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=COLLATION)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short Latin code, used in user names and spreadsheets (e.g. 'education')."),
    )
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="agencies")
    category = models.CharField(_("category"), max_length=20, choices=Category)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="agency_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="agency_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's role in the council's work, and for officers the agency they speak for."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director-general / secretariat")
        OFFICER = "officer", _("Agency PR officer")
        EVALUATOR = "evaluator", _("Council member / evaluator")
        VIEWER = "viewer", _("Viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
    )
    title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(agency__isnull=False),
                name="officer_has_agency",
                violation_error_message=_("An agency officer must belong to an agency."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"
