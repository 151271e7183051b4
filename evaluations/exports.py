"""The round's results as an xlsx workbook, through the project's one writer (fileformats.writer)."""

from django.utils.translation import gettext as _

from fileformats.writer import Sheet, write_xlsx
from persian.jalali import persian_is_active

from .models import RoundCriterion, Tier
from .results import round_results


def round_workbook(round, output):
    rows = round_results(round)
    criteria = list(RoundCriterion.objects.filter(round=round).order_by("order", "pk"))
    tiers = dict(Tier.choices)
    ranking = Sheet(
        title=_("Ranking"),
        headers=[
            _("Rank"),
            _("Agency"),
            _("Council score"),
            _("Execution score"),
            _("Final score"),
            _("Tier"),
            _("Rank last quarter"),
        ],
        rows=(
            [
                row.rank,
                row.agency.name,
                row.council_score,
                row.execution_score,
                row.final_score,
                str(tiers.get(row.tier, "")),
                row.previous_rank,
            ]
            for row in rows
        ),
        column_widths=[8, 40, 14, 14, 14, 14, 14],
        percent_columns=(2, 3, 4),
    )
    by_criterion = Sheet(
        title=_("Criteria"),
        headers=[_("Agency"), *(f"{criterion.name} ({criterion.weight})" for criterion in criteria)],
        rows=(
            [row.agency.name, *(_number(row.criteria.get(str(criterion.pk))) for criterion in criteria)] for row in rows
        ),
        column_widths=[40, *(18 for _criterion in criteria)],
        percent_columns=tuple(range(1, len(criteria) + 1)),
    )
    write_xlsx([ranking, by_criterion], output, rtl=persian_is_active())


def _number(text):
    from decimal import Decimal

    return None if text in (None, "") else Decimal(text)
