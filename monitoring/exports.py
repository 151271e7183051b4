"""The websites page as a spreadsheet, through the project's one writer (fileformats.writer)."""

from django.utils.translation import gettext as _

from fileformats.writer import Sheet, write_csv, write_xlsx
from persian.jalali import persian_is_active

from .models import ContentSource, Failure


def websites_sheet(agencies):
    failures, sources = dict(Failure.choices), dict(ContentSource.choices)

    def row(agency):
        check = agency.latest
        return [
            agency.name,
            str(agency.county),
            agency.get_category_display(),
            agency.website,
            None if check is None else (_("yes") if check.reachable else _("no")),
            None if check is None else check.status_code,
            None if check is None else check.checked_at,
            None if check is None else check.newest_content_date,
            None if check is None else check.days_since_update,
            "" if check is None else str(sources.get(check.newest_content_source, "")),
            None if check is None else check.news_7,
            None if check is None else check.news_30,
            None if check is None else check.news_90,
            "" if agency.stale is None else (_("stale") if agency.stale else _("up to date")),
            "" if check is None else str(failures.get(check.failure, "")),
        ]

    return Sheet(
        title=_("Websites"),
        headers=[
            _("Agency"),
            _("County"),
            _("Category"),
            _("Website"),
            _("Reachable"),
            _("HTTP status"),
            _("Last check"),
            _("Newest content"),
            _("Days since the last update"),
            _("Taken from"),
            _("News in 7 days"),
            _("News in 30 days"),
            _("News in 90 days"),
            _("Freshness"),
            _("Failure"),
        ],
        rows=(row(agency) for agency in agencies),
        column_widths=[36, 14, 22, 30, 10, 10, 18, 14, 12, 18, 10, 10, 10, 12, 30],
        date_columns=(6, 7),
    )


def write_websites(agencies, output, fmt):
    sheet = websites_sheet(agencies)
    if fmt == "csv":
        write_csv(sheet, output)
    else:
        write_xlsx([sheet], output, rtl=persian_is_active())
