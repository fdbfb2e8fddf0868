"""Writing the plan: Markdown and HTML pages (templates), the backlog CSV and the JSON.

Spec text is user input and lands in four syntaxes: ``md()`` escapes Markdown
(and the HTML Markdown lets through), the HTML template autoescapes, the CSV
is RFC 4180 with spreadsheet formulas neutralised (``csv_cell``), and the JSON
is written by ``json.dumps``.
"""

from __future__ import annotations

import csv
import io
import json

from .plan import PlanItem
from .remeasure import MONTHS_AFTER
from .view import Viewer

_MD_SPECIAL = "\\`*_[]<>#|~"
#: A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

CSV_COLUMNS = ("id", "journey", "title", "source", "owner", "horizon", "quadrant", "priority", "reach",
               "impact", "confidence", "effort", "business_case_per_year", "kpis", "suggestion", "status",
               "customers_per_year", "business_case_basis", "initiatives")


def md(text) -> str:
    """One line of spec text, safe in Markdown (also in a table cell); ``<script>`` stays text."""
    if text is None:
        return ""
    out = str(text).replace("&", "&amp;")
    for ch in _MD_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def csv_cell(value) -> str:
    """A text cell that a spreadsheet shows as text: a leading ``'`` disarms formula characters.

    Leading spaces are looked through, because some spreadsheets trim them before deciding.
    Numbers we compute ourselves are written as plain numbers and never prefixed.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return _plain_number(value)
    text = str(value)
    if text.lstrip(" ").startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _plain_number(value: float) -> str:
    value = round(float(value), 2)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")


def kpi_text(kpi) -> str:
    subject = f"{kpi.subject}." if kpi.subject else ""
    if getattr(kpi, "since", None) == "previous":
        return f"{subject}{kpi.metric} no worse than previous"
    return f"{subject}{kpi.metric} {kpi.op} {_plain_number(kpi.value)}{'%' if kpi.unit == 'percent' else ''}"


def plan_csv(workspace, items: tuple[PlanItem, ...], locale: str, results) -> str:
    """One row per improvement or suggestion, for a backlog tool (RFC 4180: CRLF line ends, quoted as needed)."""
    viewer = Viewer(workspace, locale, results, items)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        per_year = item.case.per_year
        if len(per_year) == 1:
            case = _plain_number(next(iter(per_year.values())))
            basis = f"{next(iter(per_year))} {'estimate' if item.case.estimate else 'measured'}"
        elif per_year:
            case = "; ".join(f"{c} {_plain_number(a)}" for c, a in per_year.items())
            basis = "estimate" if item.case.estimate else "measured"
        else:
            case = ""
            basis = "per customer, no volume" if item.case.per_customer else ""
        row = [item.id, " ".join(item.journeys), viewer.title(item), item.source, viewer.label(item.owner)
               if item.owner else "", item.horizon, item.quadrant, round(item.priority, 2),
               round(item.reach.share * 100, 2), item.impact.value, item.confidence.value, item.effort.value, case,
               "; ".join(kpi_text(k) for k in item.kpis), "yes" if item.suggested else "no", item.status or "",
               round(item.reach.customers, 2) if item.reach.customers is not None else "", basis,
               " ".join(item.initiatives)]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def plan_json(workspace, items: tuple[PlanItem, ...], locales, results) -> str:
    """Everything the plan computed, deterministic (sorted keys, no timestamps), titles per locale."""
    viewers = {loc: Viewer(workspace, loc, results, items) for loc in locales}
    data = {
        "formula": "priority = reach * impact * confidence / effort",
        "measured": results is not None,
        "sources": list(results.sources) if results is not None else [],
        "items": [_item_json(item, viewers) for item in items],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _item_json(item: PlanItem, viewers) -> dict:
    return {
        "id": item.id, "source": item.source, "suggestion": item.suggested,
        # every cause a merged suggestion stands for, each once (source is the strongest of them)
        "sources": list(item.suggestion.sources) if item.suggestion else [item.source],
        "title": {loc: v.title(item) for loc, v in viewers.items()},
        "journeys": list(item.journeys), "touchpoints": list(item.touchpoints), "owner": item.owner,
        "horizon": item.horizon, "horizon_origin": item.horizon_origin, "status": item.status,
        "quadrant": item.quadrant, "priority": round(item.priority, 4),
        "reach": {"share": round(item.reach.share, 4), "customers_per_year": item.reach.customers,
                  "origin": item.reach.origin},
        "impact": {"value": item.impact.value, "origin": item.impact.origin},
        "confidence": {"value": item.confidence.value, "origin": item.confidence.origin},
        "effort": {"value": item.effort.value, "origin": item.effort.origin},
        "covered_by": list(item.covered_by), "initiatives": list(item.initiatives),
        "business_case": {
            "per_year": {c: round(a, 2) for c, a in item.case.per_year.items()},
            "per_customer_without_volume": {c: round(a, 4) for c, a in item.case.per_customer.items()},
            "estimate": item.case.estimate,
            "chains": [{"element": c.element, "touchpoint": c.touchpoint, "touchpoints": list(c.touchpoints),
                        "path": list(c.path),
                        "rates": [{"link": list(r.segment), "rate": round(r.value, 4), "origin": r.origin}
                                  for r in c.rates],
                        "rate": round(c.rate, 6), "impact": c.impact, "amount": c.amount, "currency": c.currency,
                        "per": c.per, "unit_from_link": list(c.unit_link) if c.unit_link else None,
                        "per_customer": None if c.per_customer is None else round(c.per_customer, 4),
                        "per_year": None if c.per_year is None else round(c.per_year, 2),
                        "estimate": c.estimate} for c in item.case.chains],
        },
        "kpis": [{"subject": k.subject, "metric": k.metric, "op": k.op, "value": k.value, "unit": k.unit,
                  "origin": k.origin, "questions": list(k.questions), "sampled": k.sampled, "baseline": k.baseline,
                  "remeasure_after_months": MONTHS_AFTER[item.horizon]} for k in item.kpis],
    }
