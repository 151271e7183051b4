from django.utils.functional import SimpleLazyObject

from .models import Notification


def bell(request):
    """The navbar bell's unread count, counted only when a page draws the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": SimpleLazyObject(lambda: {"unread": Notification.objects.for_recipient(user).unread().count()})}
