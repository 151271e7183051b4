"""The reminder ladder: one digest per agency per day, and the daily escalation (docs/reminders.md).

    result = run_reminders()                 # today, for real (the daily task)
    result = run_reminders(day, dry_run=True)  # what would be sent, writing nothing

The number of queries does not grow with the number of milestones: the due dates reminded today are
worked out in Python from the working-day calendar, and the milestones are read in one query.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from persian.collation import sort_key
from persian.jalali import format_date
from plans.models import Milestone, ProgressUpdate, Status, StrategicPlan, agency_figures

from . import compose
from .channels import deliver
from .models import Digest, Escalation, Kind
from .workdays import Ladder, WorkingDays


@dataclass
class Reminder:
    """A milestone named in a digest."""

    milestone: Milestone
    kind: str  # Ladder.BEFORE, DUE or AFTER
    day: datetime.date

    @property
    def days_left(self):
        return (self.milestone.due_date - self.day).days

    @property
    def days_overdue(self):
        return (self.day - self.milestone.due_date).days

    @property
    def url(self):
        return compose.milestone_row_url(self.milestone.pk)


@dataclass
class AgencyDigest:
    agency: Agency
    due: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    returned: list = field(default_factory=list)  # ProgressUpdate, with .url
    recipients: list = field(default_factory=list)

    @property
    def first_milestone_id(self):
        """The most urgent milestone: where the notification opens."""
        for items in (self.overdue, self.due):
            if items:
                return items[0].milestone.pk
        return self.returned[0].milestone_id if self.returned else None

    @property
    def milestone_ids(self):
        return [item.milestone.pk for item in self.overdue + self.due] + [u.milestone_id for u in self.returned]


@dataclass
class EscalatedAgency:
    agency: Agency
    overdue_count: int = 0
    oldest_due_date: datetime.date | None = None
    silent: bool = False
    last_reported_at: datetime.datetime | None = None
    waiting_count: int = 0
    oldest_waiting_at: datetime.datetime | None = None
    page_url: str = ""
    review_url: str = ""


@dataclass
class RunResult:
    day: datetime.date
    working_day: bool = True
    plan: StrategicPlan | None = None
    digests: list = field(default_factory=list)
    escalated: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def as_dict(self):
        return {
            "day": self.day.isoformat(),
            "working_day": self.working_day,
            "digests": len(self.digests),
            "escalated": len(self.escalated),
            **self.counts,
        }


def open_milestones(plan):
    return (
        Milestone.objects.in_plan(plan)
        .exclude(status__in=[Status.DONE, Status.CANCELLED])
        .filter(agency__is_active=True)
    )


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def run_reminders(day=None, *, dry_run=False, channels=None):
    """Remind every agency that has something due, overdue or returned today, and escalate; see the module."""
    day = day or timezone.localdate()
    result = RunResult(day=day)
    calendar = WorkingDays.load()
    if not calendar.is_working(day):
        result.working_day = False
        return result
    result.plan = plan = StrategicPlan.objects.active().first()
    if plan is None:
        return result
    ladder = Ladder(calendar, before=settings.REMINDER_DAYS_BEFORE, every=settings.REMINDER_EVERY_DAYS_AFTER)
    result.digests = agency_digests(plan, day, ladder)
    result.escalated = escalated_agencies(plan, day)
    if dry_run:
        return result
    # A day replayed later is dated that day (its last second), so "since the last digest" stays true.
    created_at = min(timezone.now(), start_of(day + datetime.timedelta(days=1)) - datetime.timedelta(seconds=1))
    messages = []
    for digest in result.digests:
        messages += digest_outgoing(digest, day, plan)
    messages += escalation_outgoing(result.escalated, day, plan)
    if day < timezone.localdate():
        for message in messages:
            message.created_at = created_at
    with transaction.atomic():
        Digest.objects.bulk_create(
            [
                Digest(
                    agency=digest.agency,
                    day=day,
                    due_count=len(digest.due),
                    overdue_count=len(digest.overdue),
                    returned_count=len(digest.returned),
                    milestone_ids=digest.milestone_ids,
                    recipient_count=len(digest.recipients),
                    created_at=created_at,
                )
                for digest in result.digests
            ],
            ignore_conflicts=True,
        )
        Escalation.objects.bulk_create(
            [
                Escalation(
                    agency=item.agency,
                    day=day,
                    overdue_count=item.overdue_count,
                    oldest_due_date=item.oldest_due_date,
                    silent=item.silent,
                    last_reported_at=item.last_reported_at,
                    waiting_count=item.waiting_count,
                )
                for item in result.escalated
            ],
            ignore_conflicts=True,
        )
    result.counts = deliver(messages, **({"using": channels} if channels else {}))
    return result


def agency_digests(plan, day, ladder):
    """The day's digests: agencies with a reminder due today, or a report returned since their last digest."""
    milestones = open_milestones(plan)
    earliest = milestones.aggregate(earliest=Min("due_date"))["earliest"]
    due_dates = ladder.due_dates_for(day, earliest) if earliest else {}
    latest_kept_report = (
        ProgressUpdate.objects.filter(milestone=OuterRef("pk"))
        .exclude(review_state=ProgressUpdate.ReviewState.RETURNED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    reminded = (
        milestones.filter(due_date__in=list(due_dates))
        .select_related("goal", "agency")
        .annotate(last_kept_report_at=Subquery(latest_kept_report))
        .order_by("agency__name", "due_date", "goal__number", "pk")
        if due_dates
        else []
    )
    digests, window_starts = {}, {}
    for milestone in reminded:
        due = milestone.due_date
        if due not in window_starts:
            window_starts[due] = ladder.window_start(due)
        reported = milestone.last_kept_report_at
        if reported is not None and timezone.localdate(reported) >= window_starts[due]:
            continue  # reported since the chase began: the ladder stops
        digest = digests.setdefault(milestone.agency_id, AgencyDigest(agency=milestone.agency))
        reminder = Reminder(milestone=milestone, kind=due_dates[due], day=day)
        (digest.overdue if reminder.kind == Ladder.AFTER else digest.due).append(reminder)

    returned = list(
        ProgressUpdate.objects.filter(milestone__goal__plan=plan, milestone__agency__is_active=True)
        .returned_unanswered()
        .select_related("milestone__goal", "milestone__agency")
        .order_by("milestone__agency__name", "reviewed_at", "pk")
    )
    if returned:
        last_digest = dict(
            Digest.objects.filter(agency__in={update.milestone.agency_id for update in returned}, day__lt=day)
            .values("agency")
            .annotate(last=Max("created_at"))
            .values_list("agency", "last")
        )
        fresh = {
            update.milestone.agency_id
            for update in returned
            if last_digest.get(update.milestone.agency_id) is None
            or update.reviewed_at > last_digest[update.milestone.agency_id]
        }
        for update in returned:
            agency_id = update.milestone.agency_id
            if agency_id in digests or agency_id in fresh:
                update.url = compose.milestone_row_url(update.milestone_id)
                digests.setdefault(agency_id, AgencyDigest(agency=update.milestone.agency)).returned.append(update)

    officers = compose.officers_by_agency(digests) if digests else {}
    for agency_id, digest in digests.items():
        digest.recipients = officers.get(agency_id, [])
    return sorted(digests.values(), key=lambda digest: sort_key(digest.agency.name))


def digest_outgoing(digest, day, plan):
    if not digest.recipients:
        return []
    agency = digest.agency
    subject = _("Reminder for %(agency)s: %(date)s") % {"agency": agency.name, "date": format_date(day, persian=True)}
    page_url = compose.absolute(reverse("reporting:my_agency"))
    rendered = compose.render(
        "digest", {"subject": subject, "digest": digest, "day": day, "plan": plan, "page_url": page_url}
    )
    return compose.messages_for(
        digest.recipients,
        key=f"digest:{agency.pk}:{day.isoformat()}",
        kind=Kind.DIGEST,
        day=day,
        rendered=rendered,
        agency_id=agency.pk,
        milestone_id=digest.first_milestone_id,
        data={
            "day": day.isoformat(),
            "due": len(digest.due),
            "overdue": len(digest.overdue),
            "returned": len(digest.returned),
        },
    )


def escalated_agencies(plan, day):
    """Agencies past a threshold today: overdue > K days, no report in D days, a report waiting > R days."""
    overdue_before = day - datetime.timedelta(days=settings.ESCALATION_OVERDUE_DAYS)
    silent_since = start_of(day - datetime.timedelta(days=settings.ESCALATION_SILENT_DAYS))
    waiting_before = start_of(day - datetime.timedelta(days=settings.ESCALATION_REVIEW_DAYS))
    found = {}

    def entry(agency):
        return found.setdefault(agency.pk, EscalatedAgency(agency=agency))

    overdue = (
        open_milestones(plan)
        .filter(due_date__lt=overdue_before)
        .values("agency")
        .annotate(count=Count("pk"), oldest=Min("due_date"))
        .order_by()
    )
    overdue = {row["agency"]: row for row in overdue}
    waiting = (
        ProgressUpdate.objects.awaiting_review()
        .filter(milestone__goal__plan=plan, milestone__agency__is_active=True, created_at__lt=waiting_before)
        .values("milestone__agency")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    waiting = {row["milestone__agency"]: row for row in waiting}
    # Silence counts only while the agency still has something open: one that has finished is not chased.
    silent = list(
        agency_figures()
        .active()
        .not_reporting(plan, silent_since)
        .filter(pk__in=open_milestones(plan).values("agency"))
        .order_by("name")
    )
    others = Agency.objects.filter(pk__in=set(overdue) | set(waiting)).exclude(pk__in=[a.pk for a in silent])
    agencies = {agency.pk: agency for agency in [*silent, *others]}
    for agency in silent:
        item = entry(agency)
        item.silent, item.last_reported_at = True, agency.last_reported_at
    for agency_id, row in overdue.items():
        item = entry(agencies[agency_id])
        item.overdue_count, item.oldest_due_date = row["count"], row["oldest"]
    for agency_id, row in waiting.items():
        item = entry(agencies[agency_id])
        item.waiting_count, item.oldest_waiting_at = row["count"], row["oldest"]
    for item in found.values():
        item.page_url = compose.absolute(reverse("plans:agency", args=[plan.pk, item.agency.code]))
        item.review_url = compose.absolute(f"{reverse('reporting:review_queue')}?agency={item.agency.code}")
    return sorted(found.values(), key=lambda item: sort_key(item.agency.name))


def escalation_outgoing(escalated, day, plan):
    if not escalated:
        return []
    recipients = compose.directors()
    if not recipients:
        return []
    subject = _("Agencies to follow up: %(date)s") % {"date": format_date(day, persian=True)}
    rendered = compose.render(
        "escalation",
        {
            "subject": subject,
            "escalated": escalated,
            "day": day,
            "plan": plan,
            "overdue_days": settings.ESCALATION_OVERDUE_DAYS,
            "silent_days": settings.ESCALATION_SILENT_DAYS,
            "review_days": settings.ESCALATION_REVIEW_DAYS,
            "overdue_url": compose.absolute(reverse("plans:overdue", args=[plan.pk])),
            "review_url": compose.absolute(reverse("reporting:review_queue")),
        },
    )
    return compose.messages_for(
        recipients,
        key=f"escalation:{day.isoformat()}",
        kind=Kind.ESCALATION,
        day=day,
        rendered=rendered,
        data={"day": day.isoformat(), "agencies": len(escalated), "plan": plan.pk},
    )
