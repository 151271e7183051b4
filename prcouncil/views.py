from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from agencies.rules import is_officer


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on every page that names no icon (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@login_required
@require_safe
def start(request):
    """Where a login lands: an officer on their agency's milestones, everyone else on the plan dashboard."""
    return redirect("reporting:my_agency" if is_officer(request.user) else "home")
