"""The plan as a reader sees it: every text in one locale, ready for the Markdown and HTML templates."""

from __future__ import annotations

from journeyql.host.names import OPERATORS, Names
from journeyql.language.model import Workspace

from .business_case import combined_per_year
from .plan import PlanItem
from .priority import HORIZONS
from .remeasure import MONTHS_AFTER, REPEAT_MONTHS
from .words import number, smart, words_for


def translated(obj, field: str, locale: str | None):
    """A text field of a spec object in ``locale``: labelled objects and those with only ``translations``."""
    if obj is None:
        return None
    if hasattr(obj, "text") and callable(obj.text):
        return obj.text(field, locale)
    translations = getattr(obj, "translations", None) or {}
    if locale in translations and field in translations[locale]:
        return translations[locale][field]
    return getattr(obj, field, None)


class Viewer:
    """Localised texts about one workspace's plan items."""

    def __init__(self, workspace: Workspace, locale: str, results, items=(), titles: dict[str, str] | None = None):
        self.ws, self.locale, self.results = workspace, locale, results
        self.w = words_for(locale)
        # titles are unique across the whole plan (``items``), so a row reads the same on every page;
        # ``titles`` (from ``unique_titles``) lets every page of one locale share them instead of
        # recomputing them over the whole plan per page, which made the plan quadratic in its journeys
        self._titles = titles if titles is not None else unique_titles(self, items)

    def label(self, key) -> str:
        found = self.ws.get(key) if key else None
        return (found.text("label", self.locale) or found.id) if found is not None else str(key)

    def title(self, item: PlanItem) -> str:
        return self._titles.get(item.id) or self.plain_title(item)

    def plain_title(self, item: PlanItem) -> str:
        """What to do, before titles that come out the same are told apart."""
        if item.improvement is not None:
            return self.label(item.improvement.id)
        found = item.suggestion
        subject = self.label(found.subject)
        if len(found.sources) > 1:          # several causes at one place: improve it, naming each cause
            return self.w["title_causes"].format(subject=subject, causes=self.sources(item))
        if len(found.findings) > 1:         # the same cause more than once (two fail points of one step)
            many = self.w["titles_many"].get(found.sources[0])
            if many:
                return many.format(subject=subject, count=len(found.findings))
            return self.w["title_causes"].format(subject=subject, causes=self.sources(item))
        first = found.findings[0]
        return self.w["titles"][first.source].format(subject=subject, **self.figures(first))

    def figures(self, finding) -> dict:
        return {k: ("" if v is None else smart(v, self.locale) if isinstance(v, (int, float)) else v)
                for k, v in finding.figures.items()}

    def sources(self, item: PlanItem) -> str:
        """The causes of a row, each once: "fail point (2), long wait"."""
        if item.suggestion is None:
            return self.w["sources"][item.source]
        findings = item.suggestion.findings
        names = []
        for source in item.suggestion.sources:
            count = sum(1 for f in findings if f.source == source)
            names.append(self.w["sources"][source] + (f" ({count})" if count > 1 else ""))
        return ", ".join(names)

    def why(self, item: PlanItem) -> str:
        if item.suggestion is None:
            return self.w["sources"][item.source]
        reasons = []
        for finding in item.suggestion.findings:
            text = self.detail_text(finding)
            if finding.source == "wait":
                duration = finding.figures.get("duration")
                text = ", ".join(x for x in (Names(None, self.locale).duration(duration) if duration else None, text) if x)
            elif finding.source in self.w["figures"]:
                text = self.w["figures"][finding.source].format(**self.figures(finding))
            reasons.append(self.w["sources"][finding.source] + (f": {text}" if text else ""))
        return f"{self.w['suggestion']}: " + "; ".join(reasons)

    def detail_text(self, finding) -> str | None:
        """The text of what a suggestion is about (a moment of truth, a wait, a fail point) in this locale:
        a moment's and a wait's translations live on the step or touchpoint that holds them."""
        from journeyql.language.model import text_in

        detail, holder = finding.detail, self.ws.get(finding.subject) if finding.subject else None
        if detail is not None and holder is not None:
            if detail is getattr(holder, "moment", None):
                return text_in(holder, "moment", self.locale)
            for n, wait in enumerate(getattr(holder, "wait_points", ())):
                if wait is detail:
                    return text_in(holder, "wait_points", self.locale)[n]
        return translated(detail, "text", self.locale)

    def owner(self, item: PlanItem) -> str:
        return self.label(item.owner) if item.owner else self.w["nobody"]

    def reach(self, item: PlanItem) -> str:
        share = number(item.reach.share * 100, self.locale) + "%"
        if item.reach.customers is not None:
            return f"{number(item.reach.customers, self.locale)} ({share})"
        return share

    def money(self, totals: dict[str, float]) -> str:
        return "; ".join(f"{currency} {number(amount, self.locale)}" for currency, amount in totals.items())

    def case(self, item: PlanItem) -> str:
        if item.case.per_year:
            text = self.money(item.case.per_year)
        elif item.case.per_customer:
            text = f"{self.money_precise(item.case.per_customer)} {self.w['per_customer']}"
        else:
            return self.w["none"]
        return text + (f" ({self.w['estimate']})" if item.case.estimate else "")

    def money_precise(self, totals: dict[str, float]) -> str:
        return "; ".join(f"{currency} {number(amount, self.locale, 2)}" for currency, amount in totals.items())

    def factor(self, name: str, value: str, origin: str) -> str:
        return self.w["factor"].format(name=self.w["factor_names"][name], value=value,
                                       origin=self.w["origin"][origin])

    def calc(self, item: PlanItem) -> str:
        reach = number(item.reach.customers, self.locale) if item.reach.customers is not None \
            else smart(item.reach.share, self.locale)
        return self.w["calc"].format(reach=reach, impact=smart(item.impact.value, self.locale),
                                     confidence=number(item.confidence.value, self.locale) + "%",
                                     effort=smart(item.effort.value, self.locale),
                                     priority=smart(item.priority, self.locale))

    def link(self, path) -> str:
        return " → ".join(self.label(k) for k in path)

    def chains(self, item: PlanItem) -> list[dict]:
        rows = []
        for chain in item.case.chains:
            rates = []
            for rate in chain.rates:
                if rate.origin == "assumed":
                    rates.append(self.w["assumed_rate"].format(link=self.link(rate.segment)))
                else:
                    rates.append(self.w["rate"].format(link=self.link(rate.segment),
                                                       value=smart(rate.value * 100, self.locale) + "%",
                                                       origin=self.w["origin"][rate.origin]))
            if chain.unit_link:
                rates.append(self.w["unit_from"].format(link=self.link(chain.unit_link)))
            if chain.reach.origin == "default":
                rates.append(self.w["reach_default"].format(touchpoint=self.label(chain.touchpoint)))
            if chain.amount is None:
                figure = self.w["no_money"]
            else:
                unit = self.w["per_unit"].format(unit=chain.per) if chain.per else ""
                amount = f"{chain.currency} {number(chain.amount, self.locale, 2)} {unit}".strip()
                rate = smart(chain.rate * 100, self.locale) + "%"
                if chain.per_year is not None:
                    figure = (f"{number(chain.reach.customers, self.locale)} {self.w['customers']} × {rate} × "
                              f"{amount} = {chain.currency} {number(chain.per_year, self.locale)} {self.w['per_year']}")
                else:
                    figure = (f"{rate} × {amount} = {chain.currency} {number(chain.per_customer, self.locale, 2)} "
                              f"{self.w['per_customer']}")
                figure += f" ({self.w['estimate'] if chain.estimate else self.w['measured_figure']})"
            rows.append({"path": self.link(chain.path), "at": self.label(chain.touchpoint), "figure": figure,
                         "notes": rates, "estimate": chain.estimate and chain.amount is not None})
        return rows

    def kpis(self, item: PlanItem) -> list[dict]:
        rows = []
        for kpi in item.kpis:
            subject = self.label(kpi.subject) if kpi.subject else self.label(item.journeys[0]) if item.journeys else ""
            value = smart(kpi.value, self.locale) + ("%" if kpi.unit == "percent" else "")
            # the target in words ("Share negative ≤ 30%"), as every page shows a KPI
            text = f"{subject}: {Names(self.ws, self.locale).metric(kpi.metric)} {OPERATORS.get(kpi.op, kpi.op)} {value}"
            if kpi.origin == "suggested":
                text += f" ({self.w['suggested_kpi']})"
            baseline = None
            if kpi.baseline is not None:
                baseline = smart(kpi.baseline, self.locale) + ("%" if kpi.unit == "percent" else "")
            rows.append({"text": text, "questions": ", ".join(kpi.questions),
                         "when": self.w["when_text"].format(months=MONTHS_AFTER[item.horizon], repeat=REPEAT_MONTHS),
                         "baseline": baseline, "note": None if kpi.sampled else self.w["not_sampled"]})
        return rows

    def assumptions(self, item: PlanItem) -> list[str]:
        notes = [self.factor(name, smart(f.value, self.locale) + ("%" if name == "confidence" else ""), f.origin)
                 for name, f in (("impact", item.impact), ("confidence", item.confidence), ("effort", item.effort))
                 if f.origin == "default"]
        if item.reach.origin == "default":
            notes.append(self.factor("reach", "100%", "assumed"))
        return notes

    def item(self, item: PlanItem, rank: int) -> dict:
        initiatives = []
        for key in item.initiatives:
            initiative = self.ws.get(key)
            status = getattr(initiative, "status", None)
            initiatives.append(self.w["initiative_status"].format(label=self.label(key), status=self.w["statuses"][status])
                               if status else self.label(key))
        return {
            "rank": rank, "id": item.id, "title": self.title(item), "suggested": item.suggested,
            "why": self.why(item), "source": self.sources(item),
            "quadrant": self.w["quadrant_names"][item.quadrant], "quadrant_key": item.quadrant,
            "horizon": self.w["horizons"][item.horizon], "owner": self.owner(item), "owned": item.owner is not None,
            "status": self.w["statuses"][item.status] if item.status else self.w["suggestion"],
            "priority": smart(item.priority, self.locale), "reach": self.reach(item),
            "impact": smart(item.impact.value, self.locale), "confidence": number(item.confidence.value, self.locale) + "%",
            "effort": smart(item.effort.value, self.locale), "case": self.case(item),
            "factors": [self.factor("reach", self.reach(item), item.reach.origin if item.reach.origin != "default"
                                    else "assumed"),
                        self.factor("impact", smart(item.impact.value, self.locale), item.impact.origin),
                        self.factor("confidence", number(item.confidence.value, self.locale) + "%",
                                    item.confidence.origin),
                        self.factor("effort", smart(item.effort.value, self.locale), item.effort.origin)],
            "calc": self.calc(item),
            "changes": [self.label(k) for k in (item.improvement.changes if item.improvement else item.touchpoints)],
            "covered_by": [self.label(k) for k in item.covered_by],
            "chains": self.chains(item), "kpis": self.kpis(item), "initiatives": initiatives,
            "assumptions": self.assumptions(item),
        }


def unique_titles(viewer: Viewer, items) -> dict[str, str]:
    """Titles by item id, told apart where they come out the same: by the step (or journey) they are at,
    else by a number."""
    by_title: dict[str, list] = {}
    for item in items:
        by_title.setdefault(viewer.plain_title(item), []).append(item)
    steps = {tp.key: step for journey in viewer.ws.journeys for step in journey.steps for tp in step.touchpoints}
    titles = {}
    for title, same in by_title.items():
        if len(same) == 1:
            titles[same[0].id] = title
            continue
        for where in (lambda i: steps[i.touchpoints[0]].key if i.touchpoints and i.touchpoints[0] in steps else None,
                      lambda i: i.journeys[0] if i.journeys else None):
            places = [where(i) for i in same]
            if None not in places and len(set(places)) == len(places):
                titles.update({i.id: f"{title} ({viewer.label(p)})" for i, p in zip(same, places)})
                break
        else:
            titles.update({i.id: f"{title} ({n})" for n, i in enumerate(same, 1)})
    return titles


def scope_view(workspace: Workspace, items, locale: str, results, *, heading: str, journeys,
               everything=None, titles: dict[str, str] | None = None) -> dict:
    """Everything one plan page says, in one locale (``everything``: the whole plan, for unique titles;
    ``titles``: those titles already computed for this locale)."""
    viewer = Viewer(workspace, locale, results, everything if everything is not None else items, titles)
    w = viewer.w
    rows = [viewer.item(item, rank) for rank, item in enumerate(items, 1)]
    notes = [w["no_data"] if results is None else
             w["data"].format(sources=", ".join(results.sources) or w["none"])]
    for journey in journeys:
        prefix = f"{viewer.label(journey.id)}: " if len(journeys) > 1 else ""
        notes.append(prefix + (w["volume"].format(volume=number(journey.volume, locale)) if journey.volume
                               else w["no_volume"]))
    quadrants = [{"key": q, "name": w["quadrant_names"][q], "entries": [r for r in rows if r["quadrant_key"] == q]}
                 for q in ("quick_win", "major_project", "fill_in", "thankless_task")]
    owners: dict[str, dict[str, list[dict]]] = {}
    for item, row in zip(items, rows):
        owners.setdefault(item.owner or "", {}).setdefault(item.horizon, []).append(row)

    def horizons(key: str) -> list[dict]:
        # each horizon once per owner, soonest first; the rows inside keep their rank order
        return [{"name": w["horizons"][h], "entries": owners[key][h]} for h in HORIZONS if h in owners[key]]

    owner_groups = [{"owner": viewer.label(key), "unowned": False, "horizons": horizons(key)}
                    for key in sorted(k for k in owners if k)]
    if "" in owners:
        owner_groups.append({"owner": w["unowned"], "unowned": True, "horizons": horizons("")})
    totals = combined_per_year(item.case for item in items)  # a chain improvements share counts once
    return {
        "lang": locale, "w": w, "title": f"{w['plan']}: {heading}", "notes": notes, "rows": rows,
        "quadrants": quadrants, "owners": owner_groups,
        "total": viewer.money(dict(sorted(totals.items()))) if totals else None,
        "estimates": [{"title": r["title"], "notes": r["assumptions"]} for r in rows if r["assumptions"]],
    }
