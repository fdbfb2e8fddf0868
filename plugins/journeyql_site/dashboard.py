"""The dashboard that opens the site, and the downloads page: what a board reads first.

Per journey: its emotional curve (the `emotion-curve` chart: expected, measured, target), its KPI
targets met or missed in words, its moments of truth with the owner of each, and the top of the
improvement plan with the business case (the `plan` renderer's ``plan/plan.json``, read through
the render context, so the site and the plan never disagree). The downloads page lists every
file of the build by kind, each under a human name (what it is about, its format and language)
instead of its path.
"""

from __future__ import annotations

from journeyql.host.names import no_worse_than_previous
from journeyql.host.numbers import decimal, symbols
from journeyql.language.model import text_in

from . import links, measures
from .words import language_name

#: how many improvements of the plan a journey's dashboard shows
TOP = 3
_OPS = {">=": "\u2265", "<=": "\u2264", ">": ">", "<": "<", "==": "="}


class Dashboard:
    def __init__(self, site, plan_items):
        self.site = site                  # the SiteLocale: labels, paths, results, words
        self.plan_items = plan_items      # plan.json's items in plan order, or None: no plan in this build
        self.b = site.b

    def journeys(self, page: str) -> list[dict]:
        return [self.journey(journey, page) for journey in self.site.ws.journeys]

    def journey(self, journey, page: str) -> dict:
        site = self.site
        curve = site._chart(f"emotion-curve/{journey.id}")
        # the journey after the plan, where the plan changes it (the curve renderer's to-be chart)
        to_be = site._chart(f"emotion-curve/{journey.id}--to-be")
        moments = []
        for step in journey.steps:
            if step.moment is not None:
                owners = [site.ref(t.owner) for t in step.touchpoints if t.owner]
                moments.append(self._moment(step, site.label(step), ", ".join(dict.fromkeys(owners))))
            for touchpoint in step.touchpoints:
                if touchpoint.moment is not None:
                    moments.append(self._moment(touchpoint, site.label(touchpoint),
                                                site.ref(touchpoint.owner) if touchpoint.owner else ""))
        return {"id": journey.id, "label": site.label(journey),
                "href": links.href(page, site.journey_path(journey.id)),
                "curve": {"src": links.href(page, curve), "alt": f"{site.t['curve_alt']} {site.label(journey)}"}
                if curve else None,
                "to_be": {"src": links.href(page, to_be), "alt": f"{site.t['to_be_curve_alt']} {site.label(journey)}"}
                if to_be else None,
                "kpis": self.kpis(journey), "moments": moments, "plan": self.plan(journey)}

    def _moment(self, item, where: str, owner: str) -> dict:
        """The moment of truth of a step or touchpoint: its text is translated on the item that has it."""
        site = self.site
        moment = item.moment
        return {"polarity": moment.polarity, "polarity_text": site.t.get(moment.polarity, moment.polarity),
                "where": where, "text": text_in(item, "moment", site.locale) or "",
                "owner": owner or self.b["no_owner"]}

    def metric(self, metric: str) -> str:
        if metric.startswith(("emotion.", "intent.")):
            kind, name = metric.split(".", 1)
            return f"{self.b[kind]} {self.site.ref(name)}"
        return self.b.get(f"metric_{metric}", metric)

    def kpis(self, journey) -> list[dict]:
        site, rows = self.site, []
        for measurement in site.ws.measurements:
            if measurement.journey != journey.id:
                continue
            for kpi in measurement.kpis:
                subject = site.ref(kpi.subject) if kpi.subject else self.b["whole_journey"]
                value = decimal(kpi.value, site.locale, 0 if float(kpi.value).is_integer() else 1)
                unit = "%" if kpi.unit == "percent" else ""
                status, measured = measures.kpi_status(site.results, kpi, journey.id)
                text = f"{self.metric(kpi.metric)} {_OPS.get(kpi.op, kpi.op)} {value}{unit}"
                if kpi.since == "previous":  # in words: "Feeling no worse than in the previous wave"
                    text = f"{self.metric(kpi.metric)} {no_worse_than_previous(site.locale)}"
                rows.append({"text": f"{subject}: {text}",
                             "status": status, "status_text": site.t[f"kpi_{status}"],
                             "value": measured.replace(".", symbols(site.locale)[0]) if measured else ""})
        return rows

    def plan(self, journey) -> list[dict] | None:
        if self.plan_items is None:
            return None
        site, rows = self.site, []
        for item in self.plan_items:
            if journey.id not in item.get("journeys", ()):
                continue
            titles = item.get("title") or {}
            per_year = (item.get("business_case") or {}).get("per_year") or {}
            horizon = item.get("horizon")
            rows.append({"title": titles.get(site.locale) or next(iter(titles.values()), item.get("id", "")),
                         "owner": site.ref(item.get("owner")) if item.get("owner") else self.b["no_owner"],
                         "horizon": site.t.get(horizon, horizon) if horizon else "",
                         "case": ", ".join(f"{currency} {decimal(amount, site.locale, 0, group=True)}"
                                           for currency, amount in sorted(per_year.items()))})
            if len(rows) == TOP:
                break
        return rows


def downloads(site, page: str, files: list[tuple[str, str]]) -> list[dict]:
    """Every file of the build by kind (renderer), each with a human name, in a stable order."""
    groups: dict[str, list] = {}
    for renderer, path in files:
        groups.setdefault(renderer, []).append({"name": file_name(site, path), "href": links.href(page, path),
                                                "path": path})
    return [{"kind": site.b.get(f"kind_{renderer}", renderer), "renderer": renderer,
             "files": sorted(items, key=lambda f: (f["name"], f["path"]))}
            for renderer, items in sorted(groups.items(), key=lambda g: site.b.get(f"kind_{g[0]}", g[0]))]


def file_name(site, path: str) -> str:
    """``blueprint/verhuizen--sanne.en.svg`` -> "Verhuizen, voor Sanne: afbeelding (SVG), English"."""
    leaf = path.rsplit("/", 1)[-1]
    stem, _, extension = leaf.rpartition(".")
    if not stem:
        stem, extension = extension, ""
    parts = stem.split(".")
    locale = None
    codes = {code for code, _prefix in site.locales} | set(getattr(site.ws, "locales", ()) or ())
    if len(parts) > 1 and (parts[-1] in codes or parts[-1] in ("nl", "en")):
        locale = parts.pop()
    subject, _, persona = ".".join(parts).partition("--")
    qualifier = ""
    if "." in persona:  # ``switch_benchmark--lumen.surveyjs.json``: the view's name, then the file's kind
        persona, _, qualifier = persona.partition(".")
    found = site.ws.get(subject) if subject else None
    kind = extension.lower()
    if found is None and "." in subject:
        # a second suffix names the file's kind: ``verhuismeting.surveyjs.json`` is a SurveyJS form
        subject, _, qualifier = subject.partition(".")
        found = site.ws.get(subject)
    if qualifier:
        kind = f"{qualifier}_{kind}" if f"format_{qualifier}_{kind}" in site.b else kind
    name = site.label(found) if found is not None else (site.b["workspace"] if subject in ("", "index", "plan",
                                                        "workspace", "stakeholders", "journeys", "roadmap")
                                                        else subject)
    if persona:
        name += f", {site.b['for_persona']} {site.ref(persona)}"
    what = site.b.get(f"format_{kind}", extension.upper())
    return f"{name}: {what}" + (f", {language_name(locale)}" if locale else "")
