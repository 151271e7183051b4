"""The press text the app drafts from a bulletin's figures, in Persian whatever the director's language:
the top agencies, how many agencies are in each tier and the biggest movers since the last quarter.
The director-general edits it before publishing."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import Tier
from persian.jalali import Quarter, to_persian_digits

from .figures import top_agencies


def _number(value):
    """Persian digits and the Persian decimal separator: ۹۵٫۲۲."""
    return to_persian_digits(value).replace(".", "٫")


def _join(names):
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": "، ".join(names[:-1]), "last": names[-1]}


def draft(figures):
    with translation.override("fa"):
        return _draft(figures)


def _draft(figures):
    quarter = Quarter(figures["quarter"]["year"], figures["quarter"]["number"])
    ranking = figures["ranking"]
    ranked = [row for row in ranking if row["rank"] is not None]
    paragraphs = [
        _(
            "The provincial PR coordination council has published its evaluation of %(quarter)s: "
            "%(count)s agencies were scored and ranked."
        )
        % {"quarter": quarter.label, "count": to_persian_digits(len(ranked))}
    ]
    top = top_agencies(ranking)
    if top:
        paragraphs.append(
            _("The top agencies: %(agencies)s.")
            % {
                "agencies": "، ".join(
                    _("%(name)s (rank %(rank)s, score %(score)s)")
                    % {
                        "name": row["name"],
                        "rank": to_persian_digits(row["rank"]),
                        "score": _number(row["final_score"]),
                    }
                    for row in top
                )
            }
        )
    counts = figures["tier_counts"]
    paragraphs.append(
        _("By tier: %(excellent)s excellent, %(active)s active, %(semi_active)s semi-active and %(inactive)s inactive.")
        % {tier: to_persian_digits(counts.get(tier, 0)) for tier in (t.value for t in Tier)}
    )
    movers = figures["movers"]
    if movers["up"]:
        paragraphs.append(
            _("Climbed the most since last quarter: %(agencies)s.")
            % {"agencies": _join(_places(row) for row in movers["up"])}
        )
    if movers["down"]:
        paragraphs.append(
            _("Fell the most since last quarter: %(agencies)s.")
            % {"agencies": _join(_places(row) for row in movers["down"])}
        )
    progress = figures["plan"]["progress"]
    if progress is not None:
        paragraphs.append(
            _("At the quarter's end the plan «%(plan)s» stood at %(progress)s%% overall progress.")
            % {"plan": figures["plan"]["title"], "progress": _number(progress)}
        )
    return "\n\n".join(paragraphs)


def _places(row):
    change = abs(row["rank_change"])
    return ngettext(
        "%(name)s (%(count)s place, to rank %(rank)s)",
        "%(name)s (%(count)s places, to rank %(rank)s)",
        change,
    ) % {"name": row["name"], "count": to_persian_digits(change), "rank": to_persian_digits(row["rank"])}
