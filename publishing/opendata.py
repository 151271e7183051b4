"""A published bulletin's figures as open data: the goals' progress and the agencies' scores, as CSV
(UTF-8 with a byte-order mark, through the one sanitising writer) and JSON. The columns are declared
once here; the CSV headers, the JSON keys and the data dictionary page all read them."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fileformats.writer import Sheet, safe_cell, write_csv
from persian.jalali import Quarter, format_date, to_latin_digits

from .figures import score

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key and the CSV column's English name; stable across versions
    header: str
    description: str
    kind: str = "text"


GOAL_COLUMNS = (
    Column("goal_number", _("Goal number"), _("The goal's number in the plan."), "integer"),
    Column("goal_title", _("Goal"), _("The goal's title.")),
    Column("goal_weight", _("Goal weight"), _("The goal's weight in the plan's overall progress."), "integer"),
    Column(
        "progress_at_quarter_end",
        _("Progress at the quarter's end (%)"),
        _(
            "The weighted mean of the goal's milestones' progress (cancelled ones left out) as the reports stood on "
            "the quarter's last day; empty when the goal has no milestone yet."
        ),
        "integer",
    ),
    Column("done", _("What was done"), _("The director-general's account of the quarter's work on the goal.")),
    Column("next", _("What is next"), _("What is planned for the next quarter.")),
    Column("obstacles", _("Obstacles"), _("What stands in the way.")),
)
AGENCY_COLUMNS = (
    Column("agency_code", _("Agency code"), _("The agency's short code (stable across quarters).")),
    Column("agency", _("Agency"), _("The agency's name.")),
    Column(
        "rank",
        _("Rank"),
        _("By final score, highest first; equal scores share a rank. Empty for an agency nobody scored."),
        "integer",
    ),
    Column("previous_rank", _("Previous rank"), _("The rank in the previous quarter's evaluation, if any."), "integer"),
    Column(
        "final_score",
        _("Final score"),
        _("0–100: the council score and the execution score weighted by the round's execution weight."),
        "decimal",
    ),
    Column("council_score", _("Council score"), _("0–100: the council members' scores on the rubric."), "decimal"),
    Column(
        "execution_score",
        _("Execution score"),
        # xgettext:no-python-format
        _("0–100: the agency's milestones in the quarter, 70% completion against what was expected, 30% reporting."),
        "decimal",
    ),
    Column(
        "tier",
        _("Tier"),
        _("excellent (سرآمد), active (فعال), semi_active (نیمه‌فعال) or inactive (غیرفعال), from the round's cut-offs."),
    ),
)


def goal_rows(figures):
    for goal in figures["goals"]:
        yield [
            goal["number"],
            goal["title"],
            goal["weight"],
            goal["progress"],
            goal.get("done", ""),
            goal.get("next", ""),
            goal.get("obstacles", ""),
        ]


def agency_rows(figures):
    for row in figures["ranking"]:
        yield [
            row["agency"],
            row["name"],
            row["rank"],
            row["previous_rank"],
            score(row["final_score"]),
            score(row["council_score"]),
            score(row["execution_score"]),
            row["tier"],
        ]


TABLES = {
    "goals": (GOAL_COLUMNS, goal_rows, _("Goals' progress")),
    "agencies": (AGENCY_COLUMNS, agency_rows, _("Agencies' scores")),
}


def csv_bytes(figures, table):
    columns, rows, title = TABLES[table]
    output = io.BytesIO()
    write_csv(Sheet(title=str(title), headers=[str(column.header) for column in columns], rows=rows(figures)), output)
    return output.getvalue()


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return safe_cell(value) if isinstance(value, str) else value


def as_json(bulletin, errata, figures):
    """The whole bulletin as plain values: stable English keys (SCHEMA_VERSION), Jalali and ISO dates."""
    quarter = Quarter(figures["quarter"]["year"], figures["quarter"]["number"])
    return {
        "schema_version": SCHEMA_VERSION,
        "bulletin": bulletin.pk,
        "quarter": {"year": quarter.year, "quarter": quarter.number, "code": quarter.code},
        "quarter_end": figures["quarter"]["end"],
        "published_on": bulletin.published_on.isoformat(),
        "published_on_jalali": _jalali(bulletin.published_on),
        "plan": {"title": figures["plan"]["title"], "progress_at_quarter_end": figures["plan"]["progress"]},
        "tier_counts": figures["tier_counts"],
        "goals": [
            {column.key: _json_value(value) for column, value in zip(GOAL_COLUMNS, row, strict=True)}
            for row in goal_rows(figures)
        ],
        "agencies": [
            {column.key: _json_value(value) for column, value in zip(AGENCY_COLUMNS, row, strict=True)}
            for row in agency_rows(figures)
        ],
        "errata": [
            {
                "date": erratum.published_on.isoformat(),
                "date_jalali": _jalali(erratum.published_on),
                "text": safe_cell(erratum.text),
            }
            for erratum in errata
        ],
    }


def _jalali(day):
    return to_latin_digits(format_date(day, persian=True))
