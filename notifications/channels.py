"""How a notification reaches a person: in the app, by email, and later by SMS or a messenger bot.

The ladder and the review events build `Outgoing` messages and hand them to `deliver()`, which
sends each through every channel in settings.NOTIFICATION_CHANNELS that the recipient accepts.
A new channel is a subclass of `Channel` named in that setting; nothing else changes.

Every (channel, recipient, event key) is logged in `Message` before it is sent, so a second run
sends nothing twice; a failed send is tried again at once (NOTIFICATION_SEND_ATTEMPTS times), then
left "failed" for the next run, and never stops the other messages.
"""

import datetime
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Message, Notification, Preference

logger = logging.getLogger(__name__)

# A channel that fails this many messages in a row is not tried again in this run (the server is down):
# its remaining messages are logged as failed and a retry run picks them up.
BROKEN_AFTER = 5
# A message claimed by a run that died is given up as stuck after this long and sent again.
STUCK_AFTER = datetime.timedelta(minutes=15)


@dataclass
class Outgoing:
    """One message for one person, ready for any channel."""

    recipient: object  # a User
    key: str  # the event: one message per channel, recipient and key, ever
    kind: str
    day: object
    subject: str
    text: str
    html: str = ""
    agency_id: int | None = None
    milestone_id: int | None = None
    update_id: int | None = None
    data: dict = field(default_factory=dict)
    created_at: object = None  # for a day replayed later (send_reminders --date): that day, not now


class Channel:
    """A way to reach people. Subclasses set `name` and implement `send`; `accepts` may refuse a person."""

    name = ""

    def accepts(self, recipient):
        return True

    def open(self):
        """Called once before a batch of sends (e.g. to open one SMTP connection)."""

    def close(self):
        """Called once after the batch, even when sends failed."""

    def send(self, message):
        """Deliver one message; raise on failure (the caller logs and retries)."""
        raise NotImplementedError


class InAppChannel(Channel):
    """The bell: a Notification row. It cannot be turned off."""

    name = "in_app"

    def send(self, message):
        Notification.objects.get_or_create(
            recipient=message.recipient,
            key=message.key,
            defaults={
                "kind": message.kind,
                "agency_id": message.agency_id,
                "milestone_id": message.milestone_id,
                "update_id": message.update_id,
                "data": message.data,
                **({"created_at": message.created_at} if message.created_at else {}),
            },
        )


class EmailChannel(Channel):
    """Email through Django's backend (SMTP from the environment in production), HTML with a plain-text part."""

    name = "email"

    def accepts(self, recipient):
        return bool(recipient.email) and email_wanted(recipient)

    def open(self):
        # One connection for the whole batch (mailers.default is a new backend instance each time).
        self.mailer = mailers.default
        self.mailer.open()

    def close(self):
        try:
            self.mailer.close()
        except Exception:  # closing a broken connection must not hide the sends' outcome
            logger.warning("could not close the email connection", exc_info=True)

    def send(self, message):
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient.email],
            headers={"Auto-Submitted": "auto-generated", "Content-Language": "fa"},
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        mailer = getattr(self, "mailer", None) or mailers.default
        if mailer.send_messages([email]) != 1:
            raise RuntimeError("the email backend did not send the message")


def email_wanted(user):
    """The person has not turned email off (read from a select_related preference when there is one)."""
    try:
        preference = user.notification_preference
    except Preference.DoesNotExist:
        return True
    return preference.email


def channels():
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]


def deliver(messages, *, using=None):
    """Send each message through each channel its recipient accepts, at most once ever; returns counts.

    Counts: "sent", "failed", "already" (sent before), "skipped" (the channel does not reach the person).
    The number of queries grows with the number of messages, never with what they are about.
    """
    counts = Counter()
    using = using if using is not None else channels()
    planned = []
    for message in messages:
        for channel in using:
            if channel.accepts(message.recipient):
                planned.append((channel, message))
            else:
                counts["skipped"] += 1
    if not planned:
        return counts
    Message.objects.bulk_create(
        [
            Message(
                channel=channel.name,
                recipient=message.recipient,
                key=message.key,
                kind=message.kind,
                agency_id=message.agency_id,
                day=message.day,
                subject=message.subject[:255],
            )
            for channel, message in planned
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    waiting = {
        (row["channel"], row["recipient_id"], row["key"]): row["pk"]
        for row in Message.objects.filter(key__in={message.key for _, message in planned})
        .filter(_sendable())
        .values("pk", "channel", "recipient_id", "key")
    }
    failures = Counter()
    for channel in using:
        batch = [message for chosen, message in planned if chosen is channel]
        todo = [(waiting.get((channel.name, m.recipient.pk, m.key)), m) for m in batch]
        counts["already"] += sum(pk is None for pk, _ in todo)
        todo = [(pk, message) for pk, message in todo if pk is not None]
        if not todo:
            continue
        channel.open()
        try:
            for pk, message in todo:
                if failures[channel.name] >= BROKEN_AFTER:
                    Message.objects.filter(pk=pk).filter(_sendable()).update(
                        status=Message.Status.FAILED, error="not tried: the channel failed repeatedly in this run"
                    )
                    counts["failed"] += 1
                    continue
                outcome = _send_one(channel, pk, message)
                counts[outcome] += 1
                failures[channel.name] = failures[channel.name] + 1 if outcome == "failed" else 0
        finally:
            channel.close()
    return counts


def _sendable():
    """Log rows that may be (re)sent: never sent, failed, or claimed by a run that died."""
    return Q(status__in=[Message.Status.PENDING, Message.Status.FAILED]) | Q(
        status=Message.Status.SENDING, claimed_at__lt=timezone.now() - STUCK_AFTER
    )


def _send_one(channel, pk, message):
    # Claim the row first, so two runs at once never both send it.
    claimed = (
        Message.objects.filter(pk=pk)
        .filter(_sendable())
        .update(status=Message.Status.SENDING, claimed_at=timezone.now())
    )
    if not claimed:
        return "already"
    error, attempts = "", 0
    for attempt in range(1, settings.NOTIFICATION_SEND_ATTEMPTS + 1):
        attempts = attempt
        try:
            channel.send(message)
        except Exception as exc:  # noqa: BLE001 -- any failure of one send is logged; the others go on
            error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning("sending %s by %s failed (attempt %d): %s", message.key, channel.name, attempt, error)
            if attempt < settings.NOTIFICATION_SEND_ATTEMPTS and settings.NOTIFICATION_RETRY_SECONDS:
                time.sleep(settings.NOTIFICATION_RETRY_SECONDS * attempt)
        else:
            error = ""
            break
    if error:
        Message.objects.filter(pk=pk).update(
            status=Message.Status.FAILED, attempts=F("attempts") + attempts, error=error
        )
        return "failed"
    Message.objects.filter(pk=pk).update(
        status=Message.Status.SENT, attempts=F("attempts") + attempts, error="", sent_at=timezone.now()
    )
    return "sent"
