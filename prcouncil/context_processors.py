import rules
from django.utils.functional import SimpleLazyObject

NAV_PERMISSIONS = {
    "can_evaluate": "evaluations.open_evaluation_pages",
    "can_use_sheet": "spreadsheets.open_agency_sheet",
    "can_admin": "prcouncil.open_admin",
    "can_view_websites": "monitoring.view_websites",
    "can_edit_plan": "plans.change_strategicplan",
}


def site_nav(request):
    """Which navbar links a person gets, asked of the rules (rules.has_perm: no model-permission queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "site_nav": SimpleLazyObject(lambda: {key: rules.has_perm(perm, user) for key, perm in NAV_PERMISSIONS.items()})
    }
