"""Measured criteria: sub-criteria whose value the app fills from its own records, not from evaluators.

evaluations sits below the apps that measure things (monitoring measures the agencies' websites), so it
never imports them: they register their measures here in their AppConfig.ready() —

    from evaluations import measures
    measures.register(measures.Measure("news_items", _("News items in the quarter"), _("items"), compute))

where compute(quarter, agency_ids) returns {agency id: Decimal value, or None when nothing was measured}.
A round's sub-criterion names a measure and two points of its scale: the value that scores 0 % and the
value that scores 100 % (e.g. 0 news items → 0 %, 12 or more → 100 %); between them the score is linear,
beyond them it is clamped. "Fewer is better" measures (days since the last update) simply put the
full-score point below the zero point.
"""

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    compute: object  # callable(quarter, agency_ids) -> {agency_id: Decimal | None}
    zero_at: Decimal = Decimal(0)  # suggested scale for a new sub-criterion
    full_at: Decimal = HUNDRED


_registry = {}


def register(measure):
    _registry[measure.key] = measure


def get(key):
    return _registry.get(key)


def choices():
    return [(key, measure.label) for key, measure in sorted(_registry.items())]


def percent_for(value, zero_at, full_at):
    """The score (0–100 %) a measured value gives on the scale zero_at → full_at; None stays None."""
    if value is None or zero_at is None or full_at is None or zero_at == full_at:
        return None
    share = (Decimal(value) - Decimal(zero_at)) / (Decimal(full_at) - Decimal(zero_at))
    return min(HUNDRED, max(Decimal(0), share * HUNDRED))


def measure_values(key, quarter, agency_ids):
    """{agency id: value} of a registered measure; an unknown measure measures nothing."""
    measure = get(key)
    if measure is None:
        return {}
    return measure.compute(quarter, list(agency_ids))
