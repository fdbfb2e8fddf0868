"""Changes between measurement waves, and trends over them: which moves are real.

For each wave after the first, every touchpoint, step and journey of the plan is compared with the
previous wave and with the baseline (``since`` = ``previous`` | ``baseline``):

- the means are of respondents: each respondent's mean valence over the subject's touchpoints
  (at a touchpoint that is their one answer), so a respondent who rated three touchpoints of a step
  counts once, and the two waves' respondents are independent samples;
- the test is Welch's t (unequal variances, Welch-Satterthwaite df), two-sided; the interval of the
  change is the matching 95% Welch interval;
- with many touchpoints some would differ by chance, so the p-values of one level (all touchpoints,
  or all steps) in one comparison are adjusted with Holm's method; a change is ``improved`` or
  ``declined`` when its adjusted p is below ``CHANGE_ALPHA``, else ``no_significant_change``;
- a subject with fewer than ``report_n`` respondents (default 30) in either wave is
  ``not_enough_data``: it takes no part in the test or the correction, and is never significant.

A trend is the subject's ``valence_mean`` in each wave (None where fewer than ``show_n`` answered)
with its least-squares slope in points per wave.
"""

from __future__ import annotations

import math

from .results import Change, Trend
from .statistics import holm, nps_difference, welch_difference

#: Family-wise level of the change tests (Holm-corrected per level and comparison).
CHANGE_ALPHA = 0.05
LEVELS = ("touchpoints", "steps", "journeys")


def subjects(journey) -> dict[str, list[str]]:
    """The plan's subjects per level, in the journey's order."""
    return {"touchpoints": [tp.key for tp in journey.touchpoints], "steps": [s.key for s in journey.steps],
            "journeys": [journey.id]}


def _stats(sums) -> tuple[int, float | None, float | None]:
    """(n, mean, sample sd) from [n, sum, sum of squares]."""
    if not sums or sums[0] <= 0:
        return 0, None, None
    n, total, squares = sums
    mean = total / n
    sd = math.sqrt(max(0.0, (squares - total * total / n) / (n - 1))) if n > 1 else None
    return int(n), mean, sd


def compare(measurement: str, level: str, keys: list[str], before_wave: str, after_wave: str, since: str,
            before: dict, after: dict, report_n: int) -> list[Change]:
    """One comparison of two waves at one level: a Change per subject, Holm-corrected together."""
    found = []
    tested = []
    for key in keys:
        n1, m1, sd1 = _stats(before.get((level, key)))
        n2, m2, sd2 = _stats(after.get((level, key)))
        if n1 == 0 and n2 == 0:
            continue  # not asked here in either wave: nothing to report
        change = Change(measurement, level, key, since, before_wave, after_wave, m1, m2, n1, n2,
                        m2 - m1 if m1 is not None and m2 is not None else None)
        if n1 >= max(2, report_n) and n2 >= max(2, report_n):
            difference, ci, p = welch_difference(n1, m1, sd1, n2, m2, sd2)
            change = Change(**{**change.__dict__, "change": difference, "ci": ci, "p": p})
            tested.append(len(found))
        found.append(change)
    adjusted = holm([found[i].p for i in tested])
    for i, p_adjusted in zip(tested, adjusted):
        change = found[i]
        status = ("improved" if change.change > 0 else "declined") if p_adjusted < CHANGE_ALPHA \
            else "no_significant_change"
        found[i] = Change(**{**change.__dict__, "p_adjusted": p_adjusted, "status": status})
    return found


def compare_nps(measurement: str, journey: str, before_wave: str, after_wave: str, since: str,
                before, after, report_n: int) -> Change | None:
    """The journey's NPS in two waves (one answer per respondent), tested with :func:`nps_difference`.

    One test per comparison (only the journey has one NPS per respondent), so Holm leaves its p as it is.
    """
    n1 = before.nps_n if before is not None else 0
    n2 = after.nps_n if after is not None else 0
    if n1 == 0 and n2 == 0:
        return None
    change = Change(measurement, "journeys", journey, since, before_wave, after_wave,
                    before.nps if n1 else None, after.nps if n2 else None, n1, n2,
                    after.nps - before.nps if n1 and n2 else None, metric="nps")
    if n1 < max(2, report_n) or n2 < max(2, report_n):
        return change
    difference, ci, p = nps_difference((n1, before.nps_promoters, before.nps_detractors),
                                       (n2, after.nps_promoters, after.nps_detractors))
    status = ("improved" if difference > 0 else "declined") if p < CHANGE_ALPHA else "no_significant_change"
    return Change(**{**change.__dict__, "change": difference, "ci": ci, "p": p, "p_adjusted": p, "status": status})


def slope(values: list[float | None]) -> float | None:
    """Least-squares slope of the values over their positions 0, 1, 2, ... (None values left out)."""
    points = [(x, y) for x, y in enumerate(values) if y is not None]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def changes_and_trends(workspace, waves, respondents: dict, report_n: int, show_n: int):
    """Every wave against its previous wave and the baseline, and a trend per subject, per plan."""
    changes: list[Change] = []
    trends: list[Trend] = []
    for measurement in workspace.measurements:
        own = [w for w in waves if w.measurement == measurement.id]
        journey = workspace.get(measurement.journey)
        if not own or journey is None:
            continue
        keys = subjects(journey)
        base = next((i for i, w in enumerate(own) if w.baseline), 0)
        for i in range(1, len(own)):
            pairs = [("previous", i - 1)] + ([("baseline", base)] if base < i else [])
            for since, j in pairs:
                for level in LEVELS:
                    changes.extend(compare(measurement.id, level, keys[level], own[j].wave, own[i].wave, since,
                                           respondents[(measurement.id, own[j].wave)],
                                           respondents[(measurement.id, own[i].wave)], report_n))
                nps = compare_nps(measurement.id, journey.id, own[j].wave, own[i].wave, since,
                                  own[j].results.journeys.get(journey.id), own[i].results.journeys.get(journey.id),
                                  report_n)
                if nps is not None:  # after the valence changes: every list of them keeps its order
                    changes.append(nps)
        for level in LEVELS:
            for key in keys[level]:
                values = []
                for wave in own:
                    metrics = getattr(wave.results, level).get(key)
                    shown = metrics is not None and metrics.valence_mean is not None and metrics.n >= show_n
                    values.append(metrics.valence_mean if shown else None)
                trends.append(Trend(measurement.id, level, key, tuple(w.wave for w in own), tuple(values),
                                    slope(values)))
    return tuple(changes), tuple(trends)
