"""Notifications for what happens to a report: the officers hear when it is accepted or returned, the
director-general and the secretariat when an agency's reports wait for review.

Receivers of plans.signals enqueue a task (tasks.py) with the report's id; the task calls these.
"""

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import ProgressUpdate

from . import compose
from .channels import deliver
from .models import Kind


def _update(update_id):
    return (
        ProgressUpdate.objects.select_related("milestone__goal", "milestone__agency", "author")
        .filter(pk=update_id)
        .first()
    )


def report_reviewed(update_id, *, channels=None):
    """Tell the agency's officers that a report was accepted or returned (with the reason)."""
    update = _update(update_id)
    if update is None or update.review_state == ProgressUpdate.ReviewState.SUBMITTED:
        return Counter()
    milestone = update.milestone
    returned = update.review_state == ProgressUpdate.ReviewState.RETURNED
    recipients = compose.officers_by_agency([milestone.agency_id]).get(milestone.agency_id, [])
    if not recipients:
        return Counter()
    template = (
        _("Your report on “%(milestone)s” was returned for revision")
        if returned
        else _("Your report on “%(milestone)s” was accepted")
    )
    subject = template % {"milestone": milestone.title}
    rendered = compose.render(
        "reviewed",
        {"subject": subject, "update": update, "returned": returned, "url": compose.milestone_row_url(milestone.pk)},
    )
    return deliver(
        compose.messages_for(
            recipients,
            key=f"reviewed:{update.pk}",
            kind=Kind.RETURNED if returned else Kind.ACCEPTED,
            day=timezone.localdate(update.reviewed_at),
            rendered=rendered,
            agency_id=milestone.agency_id,
            milestone_id=milestone.pk,
            update_id=update.pk,
        ),
        **({"using": channels} if channels else {}),
    )


def report_submitted(update_id, *, channels=None):
    """Tell the reviewers that an agency's reports wait for review: once per agency and day, not per report."""
    update = _update(update_id)
    if update is None or update.review_state != ProgressUpdate.ReviewState.SUBMITTED:
        return Counter()
    agency = update.milestone.agency
    recipients = [user for user in compose.directors() if user.pk != update.author_id]
    if not recipients:
        return Counter()
    day = timezone.localdate(update.created_at)
    subject = _("New reports from %(agency)s wait for review") % {"agency": agency.name}
    rendered = compose.render(
        "awaiting_review",
        {
            "subject": subject,
            "update": update,
            "agency": agency,
            "url": compose.absolute(f"{reverse('reporting:review_queue')}?agency={agency.code}"),
        },
    )
    return deliver(
        compose.messages_for(
            recipients,
            key=f"awaiting:{agency.pk}:{day.isoformat()}",
            kind=Kind.AWAITING_REVIEW,
            day=day,
            rendered=rendered,
            agency_id=agency.pk,
            update_id=update.pk,
        ),
        **({"using": channels} if channels else {}),
    )
