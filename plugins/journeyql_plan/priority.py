"""The one prioritisation formula, the impact/effort quadrants and the defaults behind them.

    priority = reach x impact x confidence / effort

``reach`` is the number of customers per year who meet the touchpoint
(journey volume x touchpoint reach) when the journey states its volume, else
the share of the journey's customers (0..1). ``impact`` and ``effort`` are on
1..5, ``confidence`` is a percentage used as a fraction. docs/plan.md works an
example through; tests/test_plan.py checks it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The midpoint of the 1..5 scales: 3 or more counts as high impact / high effort.
HIGH = 3.0

#: Confidence when nothing is declared: measured data weighs more than the organisation's expectation.
CONFIDENCE_MEASURED = 80.0
CONFIDENCE_SPEC = 50.0

#: (impact, confidence, effort) for each source when the spec declares nothing.
#: Gaps and drivers compute their impact from the data (see impact_from_gap / impact_from_driver).
DEFAULTS = {
    "declared": (3.0, CONFIDENCE_SPEC, 3.0),
    "moment_critical": (5.0, CONFIDENCE_SPEC, 3.0),
    "moment_negative": (4.0, CONFIDENCE_SPEC, 3.0),
    "fail_point": (4.0, CONFIDENCE_SPEC, 3.0),
    "wait": (3.0, CONFIDENCE_SPEC, 3.0),
    # naming an owner is cheap, and by itself changes little for the customer
    "no_owner": (2.0, CONFIDENCE_SPEC, 1.0),
    "gap": (None, CONFIDENCE_MEASURED, 3.0),
    "driver": (None, CONFIDENCE_MEASURED, 3.0),
    "benchmark": (None, CONFIDENCE_MEASURED, 3.0),
}

QUADRANTS = ("quick_win", "major_project", "fill_in", "thankless_task")
HORIZONS = ("quick_win", "mid_term", "long_term")


@dataclass(frozen=True)
class Factor:
    """One input of the formula and where it comes from: declared, measured or default."""

    value: float
    origin: str


@dataclass(frozen=True)
class Reach:
    """Who meets what an improvement changes: a share of the journey's customers, and a count per year."""

    share: float                 #: 0..1
    customers: float | None      #: per year; None when the journey states no volume
    origin: str                  #: declared (touchpoint reach) or default (100%)

    @property
    def value(self) -> float:
        return self.customers if self.customers is not None else self.share


def priority(reach: float, impact: float, confidence: float, effort: float) -> float:
    """reach x impact x confidence / effort, with confidence in percent."""
    if effort <= 0:
        raise ValueError("effort is 1..5")
    return reach * impact * (confidence / 100.0) / effort


def quadrant(impact: float, effort: float) -> str:
    """The impact/effort quadrant; a value of exactly 3 (the midpoint) counts as high."""
    high_impact, high_effort = impact >= HIGH, effort >= HIGH
    if high_impact:
        return "major_project" if high_effort else "quick_win"
    return "thankless_task" if high_effort else "fill_in"


def horizon_from_effort(effort: float) -> str:
    """A horizon for a suggestion: a little effort is a quick win, a lot is long term."""
    if effort < HIGH:
        return "quick_win"
    return "mid_term" if effort < 4 else "long_term"


def impact_from_gap(gap: float, low: float, high: float) -> float:
    """1..5 from a gap (measured - expected) on the journey's scale: half the scale's range or more gives 5."""
    half = (high - low) / 2.0 or 1.0
    return round(1.0 + 4.0 * min(1.0, abs(gap) / half), 2)


def impact_from_driver(weight: float, strongest: float) -> float:
    """1..5 from a driver weight, relative to the journey's strongest driver (which gets 5)."""
    if strongest <= 0:
        return 1.0
    return round(1.0 + 4.0 * min(1.0, max(0.0, weight) / strongest), 2)
