"""Who receives what, and the messages themselves: Persian, right-to-left HTML with a plain-text part."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agencies.models import Membership

from .channels import Outgoing


def absolute(path):
    """A link for an email: the site's address and the path."""
    return f"{settings.SITE_URL}{path}"


def milestone_row_url(milestone_id):
    """The officer's row for a milestone on their agency page (the page of the list that holds it)."""
    return absolute(f"{reverse('reporting:my_agency')}?milestone={milestone_id}#milestone-{milestone_id}")


def officers_by_agency(agency_ids):
    """{agency id: [active officers]}, with each one's email preference (one query)."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, membership__role=Membership.Role.OFFICER, membership__agency_id__in=list(agency_ids)
        )
        .select_related("membership", "notification_preference")
        .order_by("pk")
    )
    found = {}
    for user in users:
        found.setdefault(user.membership.agency_id, []).append(user)
    return found


def directors():
    """The director-general and the secretariat (and superusers), with their email preference (one query)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(membership__role=Membership.Role.DIRECTOR) | Q(is_superuser=True))
        .select_related("notification_preference")
        .distinct()
        .order_by("pk")
    )


def render(template, context):
    """(subject, text, html) from notifications/email/<template>.{txt,html}, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        text = render_to_string(f"notifications/email/{template}.txt", context).strip() + "\n"
        html = render_to_string(f"notifications/email/{template}.html", context)
        subject = str(context["subject"])
    return subject, text, html


def messages_for(recipients, *, key, kind, day, rendered, **fields):
    """One Outgoing per recipient, all with the same content."""
    subject, text, html = rendered
    return [
        Outgoing(recipient=user, key=key, kind=kind, day=day, subject=subject, text=text, html=html, **fields)
        for user in recipients
    ]
