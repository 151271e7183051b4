"""The websites page, an agency's check history and the sources editor. Views ask the rules; reads are
the models' functions named for these screens."""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from agencies.models import Agency

from . import services
from .exports import write_websites
from .forms import SourcesForm, WebsiteFilterForm
from .models import WebsiteCheck, WebsiteSource, agencies_with_latest_check, is_stale, staleness_key

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PAGE_SIZE = 50


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
@require_safe
def websites(request):
    """Every active agency's site, most stale first, flagged against MONITORING_STALE_DAYS; ?format=xlsx|csv."""
    _require(request, "monitoring.view_websites")
    form = WebsiteFilterForm(request.GET or None)
    threshold = settings.MONITORING_STALE_DAYS
    agencies = agencies_with_latest_check(form.agencies())
    for agency in agencies:
        agency.stale = is_stale(agency.latest, threshold) if agency.website else None
    agencies.sort(key=staleness_key)
    fmt = request.GET.get("format", "")
    if fmt in CONTENT_TYPES:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
        write_websites(agencies, handle, fmt)
        handle.seek(0)
        filename = f"websites-{timezone.localdate().isoformat()}.{fmt}"
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    context = {
        "form": form,
        "agencies": agencies,
        "threshold": threshold,
        "stale_count": sum(1 for agency in agencies if agency.stale),
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/websites.html", context)


@login_required
@require_safe
def agency_website(request, code):
    """One agency's site: its sources, its latest news items and every check (the evidence), newest first."""
    _require(request, "monitoring.view_websites")
    agency = get_object_or_404(Agency.objects.select_related("county"), code=code)
    source = WebsiteSource.objects.filter(agency=agency).first()
    checks = Paginator(WebsiteCheck.objects.for_agency_history(agency), PAGE_SIZE).get_page(request.GET.get("page"))
    latest = checks[0] if checks.number == 1 and checks.object_list else None
    context = {
        "agency": agency,
        "source": source,
        "checks": checks,
        "latest": latest,
        "stale": is_stale(latest, settings.MONITORING_STALE_DAYS) if latest else None,
        "threshold": settings.MONITORING_STALE_DAYS,
        "news": agency.news_items.order_by("-published_at")[:10],
        "can_edit": request.user.has_perm("monitoring.edit_sources", agency),
    }
    return render(request, "monitoring/agency_website.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_sources(request, code):
    """The director-general sets where an agency's news is looked for: website, feeds, sitemap."""
    agency = get_object_or_404(Agency, code=code)
    _require(request, "monitoring.edit_sources", agency)
    source = WebsiteSource.objects.filter(agency=agency).first()
    initial = {
        "website": agency.website,
        "feed_urls": "\n".join(source.feeds) if source else "",
        "sitemap_url": source.sitemap_url if source else "",
    }
    form = SourcesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sources(
                agency=agency,
                website=form.cleaned_data["website"],
                feed_urls=form.cleaned_data["feed_urls"],
                sitemap_url=form.cleaned_data["sitemap_url"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The website sources of %(agency)s are saved.") % {"agency": agency})
            return redirect("monitoring:agency", agency.code)
    return render(request, "monitoring/edit_sources.html", {"agency": agency, "form": form})
