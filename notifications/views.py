"""The notifications page, opening a notification (marks it read), and the email preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import PreferenceForm
from .models import Notification, Preference

PAGE_SIZE = 30
PREFERENCE_SAVED = _("Your notification settings were saved.")


def _ask(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
@require_GET
def notification_list(request):
    """The person's notifications, newest first; unread ones stand out until opened."""
    _ask(request, "notifications.view_notifications")
    page = Paginator(Notification.objects.for_list_page(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = Notification.objects.for_recipient(request.user).unread().count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read and go to the page it is about (someone else's is a 404)."""
    notification = get_object_or_404(Notification.objects.for_recipient(request.user).select_related("agency"), pk=pk)
    if not request.user.has_perm("notifications.open_notification", notification):
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notification.target_url())


@login_required
@require_POST
def read_all(request):
    _ask(request, "notifications.view_notifications")
    Notification.objects.for_recipient(request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Turn email on or off for oneself; in-app notifications always stay on."""
    _ask(request, "notifications.change_own_preference")
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    # A form with every box unticked posts nothing at all: bind it on POST, not on "POST has data".
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, PREFERENCE_SAVED)
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
