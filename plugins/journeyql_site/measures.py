"""Measured results as the site shows them: numbers with their intervals, and KPIs met or missed.

Reads only ``journeyql.measure.results`` objects (``context.results``); None means no
data, and then the site shows the plan without results.
"""

from __future__ import annotations

import operator

from journeyql.host.numbers import decimal, list_separator

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
#: metrics that are shares (0..1) in the results but usually written as percentages in a KPI
_SHARES = ("negative_share", "csat")


def number(value, digits: int = 1, locale: str | None = None) -> str:
    if value is None:
        return ""
    text = decimal(value, locale, digits)
    return "0" if float(value) == 0 or text.strip("0.,") == "" else text


def signed(value, digits: int = 1, locale: str | None = None) -> str:
    if value is None:
        return ""
    text = number(value, digits, locale)
    return text if text.startswith("-") or text == "0" else "+" + text


def interval(ci, digits: int = 1, locale: str | None = None) -> str:
    if not ci:
        return ""
    return f"[{number(ci[0], digits, locale)}{list_separator(locale)}{number(ci[1], digits, locale)}]"


def percent(share) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def metrics_row(label: str, metrics, *, href: str | None = None, locale: str | None = None) -> dict:
    """One row of a results table (every value already formatted).

    Answers pooled from journeys on different scales have no raw mean: their valence is the 0-100 score.
    """
    if getattr(metrics, "mixed_scales", False):
        valence = f"score {number(metrics.valence_score, 0)}/100" if metrics.valence_score is not None else ""
        valence_ci = interval(metrics.valence_score_ci, 0, locale)
    else:
        valence, valence_ci = signed(metrics.valence_mean, 1, locale), interval(metrics.valence_ci, 1, locale)
    row = {
        "label": label, "href": href, "n": metrics.n,
        "valence": valence, "valence_ci": valence_ci,
        "nps": signed(metrics.nps, 0), "nps_ci": interval(metrics.nps_ci, 0, locale),
        "ces": number(metrics.ces_mean, 1, locale), "csat": percent(metrics.csat),
        "negative_share": percent(metrics.negative_share),
        "sample": getattr(metrics, "sample", "none"),
    }
    # the same markers as analyze's reports (docs/analysis.md): small samples are marked, too small
    # ones show no figure at all
    if row["sample"] == "small":
        row["n"] = f"{metrics.n} {SMALL}"
    elif row["sample"] == "too_small":
        row["n"] = f"{metrics.n} {TOO_SMALL}"
        for key in ("valence", "valence_ci", "nps", "nps_ci", "ces", "csat", "negative_share"):
            row[key] = NOT_SHOWN
    return row


SMALL, TOO_SMALL, NOT_SHOWN = "\u2020", "\u2021", "\u2013"


def sample_note(rows, results, words) -> list[str]:
    """The legend lines for the markers the rows use (none when no row is marked)."""
    used = {row["sample"] for row in rows if row}
    notes = []
    if "small" in used:
        notes.append(f"{SMALL} " + words["small_sample"].format(n=results.report_n))
    if "too_small" in used:
        notes.append(f"{TOO_SMALL} " + words["too_small_sample"].format(n=results.show_n))
    return notes


def subject_metrics(results, subject: str | None, journey_id: str):
    """The metrics a KPI is about: its touchpoint, step, stage or journey (the plan's journey when None)."""
    if results is None:
        return None
    key = subject or journey_id
    for table in (results.touchpoints, results.steps, results.stages, results.journeys):
        found = table.get(key)
        if found is not None and found.n > 0:
            return found
    return None


def kpi_value(metrics, kpi):
    """The measured value of a KPI's metric, in the KPI's own unit; None when it cannot be computed."""
    if metrics is None:
        return None
    metric = kpi.metric
    share = False
    if metric == "valence":
        value = metrics.valence_mean
    elif metric == "ces":
        value = metrics.ces_mean
    elif metric == "nps":
        value = metrics.nps
    elif metric == "n":
        value = metrics.n
    elif metric in _SHARES:
        value, share = getattr(metrics, metric), True
    elif metric.startswith("emotion.") or metric.startswith("intent."):
        table = metrics.emotions if metric.startswith("emotion.") else metrics.intents
        value, share = table.get(metric.split(".", 1)[1]), True
    else:
        value = getattr(metrics, metric, None)
        value = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if value is None:
        return None
    return value * 100 if share and kpi.unit == "percent" else value


def kpi_status(results, kpi, journey_id: str) -> tuple[str, str]:
    """("met" | "missed" | "unknown", the measured value as text).

    A ``no worse than previous`` KPI is judged by ``analyze`` against the previous wave: its status is the
    KPI result's, and the text the change since that wave."""
    if getattr(kpi, "since", None) == "previous":
        subject = kpi.subject or journey_id
        found = next((k for k in getattr(results, "kpis", ()) if k.since == "previous" and k.subject == subject
                      and k.metric == kpi.metric), None) if results is not None else None
        if found is None or found.status not in ("met", "missed"):
            return "unknown", ""
        return found.status, signed(found.change, 2)
    value = kpi_value(subject_metrics(results, kpi.subject, journey_id), kpi)
    if value is None:
        return "unknown", ""
    met = _OPS[kpi.op](value, kpi.value)
    whole = kpi.metric in ("nps", "n") or kpi.unit == "percent"  # scores and percentages read as whole numbers
    text = number(value, 0 if whole else 1) + ("%" if kpi.unit == "percent" else "")
    return ("met" if met else "missed"), text


def kpi_target(kpi) -> str:
    value = f"{kpi.value:g}" + ("%" if kpi.unit == "percent" else "")
    return f"{kpi.metric} {kpi.op} {value}"
