from django import template
from django.utils.html import format_html, format_html_join
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
    """One heatmap row's cells. Built here rather than in template tags: a row of 150 agencies
    rendered tag by tag dominated the page's time at national scale."""
    persian = jalali.persian_is_active()

    def text(value):
        if value is None:
            return "—"
        return jalali.to_persian_digits(value) if persian else str(value)

    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<td class="num heat heat-{}" data-cell="{}-{}" data-progress="{}">'
                    '<a href="{}?goal={}#milestones">{}</a></td>',
                    heat_bucket(cell["progress"]),
                    goal.number,
                    agency.code,
                    "" if cell["progress"] is None else cell["progress"],
                    agency.page_url,
                    goal.number,
                    text(cell["progress"]),
                )
                if cell
                else BLANK,
            )
            for agency, cell in cells
        ),
    )
