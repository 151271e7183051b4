import rules
from django.utils.functional import SimpleLazyObject

from .models import Notification


def bell(request):
    """The navbar bell, for whoever the rules give a notifications page; unread counted only when drawn."""
    user = getattr(request, "user", None)
    if user is None or not rules.has_perm("notifications.view_notifications", user):
        return {}
    return {"bell": SimpleLazyObject(lambda: {"unread": Notification.objects.for_recipient(user).unread().count()})}
