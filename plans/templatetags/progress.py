from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from persian import jalali

register = template.Library()
BLANK = mark_safe('<td class="blank"></td>')


@register.filter
def heat_bucket(value):
    """A progress percent's colour step on the heatmap: 0 (0–19) … 5 (100); "none" when nothing is weighed."""
    if value is None or value == "":
        return "none"
    return min(int(value) // 20, 5)


@register.simple_tag
def heatmap_cells(goal, cells):
    """One heatmap row's cells, as one string. No per-cell template or format_html work (issue 15):
    each agency's code and link are escaped once per page, each percent's text once per value;
    a cell is then one f-string of already-safe parts (3,000 cells at national scale)."""
    persian = jalali.persian_is_active()
    number = int(goal.number)
    texts = {}
    parts = []
    for agency, cell in cells:
        if not cell:
            parts.append(BLANK)
            continue
        head = getattr(agency, "_heat_head", None)
        if head is None:
            head = agency._heat_head = (escape(agency.code), escape(agency.page_url))
        progress = cell["progress"]
        shown = texts.get(progress)
        if shown is None:
            shown = texts[progress] = (
                "—"
                if progress is None
                else (jalali.to_persian_digits(int(progress)) if persian else str(int(progress)))
            )
        value = "" if progress is None else int(progress)
        parts.append(
            f'<td class="num heat heat-{heat_bucket(progress)}" data-cell="{number}-{head[0]}" data-progress="{value}">'
            f'<a href="{head[1]}?goal={number}#milestones">{shown}</a></td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every part is an int, a fixed string or escaped above
