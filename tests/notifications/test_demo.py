"""The demo shows the chase at once: reminder history, notifications (some unread), no email sent."""

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Digest, Escalation, Message, Notification

from .conftest import at


def counts():
    return [model.objects.count() for model in (Digest, Escalation, Message, Notification)]


@pytest.mark.django_db
@pytest.mark.usefixtures("official_holidays")
def test_the_demo_brings_reminder_history_and_notifications_and_sends_no_email():
    with at("1405/09/16", 9):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        first = counts()
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert counts() == first
    digests, escalations, _messages, notifications = first
    assert digests >= 5
    assert escalations >= 1
    assert notifications >= digests
    assert set(Message.objects.values_list("channel", flat=True)) == {"in_app"}
    assert mail.outbox == []
    assert Notification.objects.filter(recipient__username="director", kind="escalation").exists()
    assert Notification.objects.filter(kind="returned").exists()
    assert Notification.objects.unread().exists()
    assert Notification.objects.exclude(read_at=None).exists()
