"""What the plan's public page shows of the bulletins (registered in apps.py through plans.panels)."""

from .models import Bulletin


def public_panel(request, *, plan):
    """The plan's latest published bulletin, with links to all of them and the feed (one query)."""
    latest = (
        Bulletin.objects.published()
        .filter(plan=plan)
        .select_related("round")
        .defer("figures")
        .order_by("-round__year", "-round__quarter")
        .first()
    )
    return {"latest": latest}
