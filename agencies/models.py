from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    # --- progress views ---------------------------------------------------------------
    def with_plan_progress(self, plan, scope=None):
        """Per agency, over its counted milestones in `plan`: weighted progress and counts (one query).

        `scope` is a Q on milestones written with the "milestones__" prefix (the dashboard filters).
        Only agencies with at least one milestone in the plan are kept.
        """
        from plans.models import percent, weighted_figures

        # Filtering the join first keeps the aggregates to this plan's rows (and drops agencies with none).
        figures = weighted_figures("milestones__")
        return self.filter(Q(milestones__goal__plan=plan) & (scope or Q())).annotate(
            **figures,
            progress=percent(figures["weighted_sum"], figures["weight_sum"]),
            milestone_count=models.Count("milestones"),
        )

    def with_last_report(self, plan):
        """Annotate `last_reported_at`: the agency's latest report on any milestone of `plan`."""
        from plans.models import ProgressUpdate

        # A grouped Max, not ORDER BY … LIMIT 1: the latter lets PostgreSQL walk every report newest
        # first looking for the agency's, which reads the whole table for an agency that never reported.
        latest = (
            ProgressUpdate.objects.filter(milestone__agency=models.OuterRef("pk"), milestone__goal__plan=plan)
            .order_by()
            .values("milestone__agency")
            .annotate(last=models.Max("created_at"))
            .values("last")
        )
        return self.annotate(last_reported_at=models.Subquery(latest))

    def not_reporting(self, plan, since):
        """Agencies with milestones in `plan` and no report on them at or after `since`."""
        from plans.models import Milestone, ProgressUpdate

        recent = ProgressUpdate.objects.filter(created_at__gte=since, milestone__goal__plan=plan)
        return (
            self.filter(pk__in=Milestone.objects.in_plan(plan).values("agency"))
            .exclude(pk__in=recent.values("milestone__agency"))
            .with_last_report(plan)
        )


class Agency(models.Model):
    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("Governance and administration")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure and production")
        SOCIAL = "social", _("Social and welfare")
        CULTURAL = "cultural", _("Culture, education and media")
        SERVICES = "services", _("Public services")

    name = models.CharField(_("name"), max_length=200, unique=True)
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
