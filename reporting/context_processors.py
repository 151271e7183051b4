import rules
from django.utils.functional import SimpleLazyObject

from plans.models import ProgressSummary, ProgressUpdate


def reporting_nav(request):
    """What the navigation bar shows for reporting; counted only when a page draws it.

    Asks the rules themselves (not user.has_perm), so no model-permission queries are added to every page.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def build():
        from agencies.rules import own_agency_id

        can_review = rules.has_perm("reporting.view_review_queue", user)
        agency_id = own_agency_id(user)
        return {
            "can_review": can_review,
            # From the progress summary's counters (plans that take reports), never a scan of all reports.
            "awaiting_review": ProgressSummary.objects.awaiting_review_count(user) if can_review else 0,
            "agency_page": agency_id is not None or rules.has_perm("reporting.view_agency_page", user),
            "returned": (
                ProgressUpdate.objects.filter(milestone__agency_id=agency_id).returned_unanswered().count()
                if agency_id is not None
                else 0
            ),
        }

    return {"reporting_nav": SimpleLazyObject(build)}
