"""The quarterly bulletin (گزارش فصلی): one per locked evaluation round, drafted by the app, edited and
published by the director-general, frozen once published; later corrections are dated errata."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round
from plans.models import Goal, StrategicPlan


class BulletinQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Bulletin.Status.PUBLISHED)

    def for_public_list(self):
        return self.published().select_related("round", "plan").order_by("-round__year", "-round__quarter")

    def latest_published(self):
        return self.for_public_list().first()


class Bulletin(models.Model):
    """A round's bulletin. A draft is the director-general's; a published bulletin is public and frozen:
    its figures (`figures`, a snapshot taken when it is published) never change, except through an erratum."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    round = models.OneToOneField(
        Round, verbose_name=_("evaluation round"), on_delete=models.PROTECT, related_name="bulletin"
    )
    plan = models.ForeignKey(StrategicPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="bulletins")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    press_text = models.TextField(_("press text"), blank=True)
    figures = models.JSONField(_("published figures"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-round__year", "-round__quarter"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="bulletin_status_valid"),
            # A published bulletin has its date, its moment, its press text and its frozen figures.
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(published_on__isnull=False) & Q(published_at__isnull=False) & ~Q(press_text="") & ~Q(figures={})),
                name="bulletin_published_is_complete",
                violation_error_message=_("A published bulletin needs its date, press text and figures."),
            ),
        ]

    def __str__(self):
        return str(_("Bulletin of %(quarter)s") % {"quarter": self.round})

    def get_absolute_url(self):
        return reverse("publishing:bulletin", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class GoalNarrative(models.Model):
    """What was done on a goal in the quarter, what is next and the obstacles, in the director-general's words."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="narratives"
    )
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="+")
    done = models.TextField(_("what was done"), blank=True)
    next = models.TextField(_("what is next"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)

    class Meta:
        verbose_name = _("goal narrative")
        verbose_name_plural = _("goal narratives")
        ordering = ["bulletin", "goal__number"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "goal"], name="one_narrative_per_goal")]

    def __str__(self):
        return f"{self.bulletin} · {self.goal}"


class Erratum(models.Model):
    """A dated correction shown on a published bulletin: published figures never change silently."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="errata")
    text = models.TextField(_("correction"))
    published_on = models.DateField(_("date"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    # When the erratum re-reads the round's (corrected) results, the figures it replaced are kept here.
    figures_before = models.JSONField(_("figures before"), null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")
        ordering = ["published_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="erratum_has_text",
                violation_error_message=_("An erratum needs its text."),
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} · {self.published_on}"

    def get_absolute_url(self):
        return f"{self.bulletin.get_absolute_url()}#erratum-{self.pk}"

    @property
    def refreshed_figures(self):
        return self.figures_before is not None
