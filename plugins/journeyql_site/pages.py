"""The pages of the roadmap site, as plain data for the templates.

One :class:`SiteLocale` per language of the site: it knows where its pages
live (the default locale at the root, another under ``<locale>/``) and turns
the model, the measured results and the other renderers' files into what
each template shows. Templates get only strings, numbers and lists, so a
restyled template cannot reach into the model by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.host.names import Names
from journeyql.language.model import text_in

from . import links, measures
from .board_words import board_words
from .dashboard import Dashboard, downloads
from .trend import trend_section
from .words import language_name, words_for

STYLESHEET = "assets/site.css"


def translated(item, field: str, locale: str):
    """A text field in ``locale``; also for parts of the model that carry translations but no ``text()``."""
    if item is None:
        return None
    return text_in(item, field, locale)


@dataclass(frozen=True)
class Page:
    path: str         #: relative to the output directory
    template: str
    variables: dict


#: the folders of the renderers that draw a journey: for a shared journey they draw it as written (every
#: organisation's defaults) and once per organisation (``<journey>--<organisation>``); an organisation's
#: page shows its own drawings only, the benchmark page the drawings as written
_DRAWINGS = ("emotion-curve", "blueprint", "touchpoint-matrix", "mermaid", "markdown")


class SiteLocale:
    def __init__(self, workspace, locale: str, prefix: str, *, locales: list[tuple[str, str]], outputs: dict,
                 results, title: str | None, plan_items=None):
        self.ws = workspace
        self.locale = locale
        self.prefix = prefix              # "" for the default locale, "en/" for another
        self.locales = locales            # (locale, prefix) of every language of the site
        self.outputs = outputs
        self.results = results
        self._organisation_results: dict = {}  # organisation -> its own respondents' results (_results_of)
        self.t = words_for(locale)
        self.names = Names(workspace, locale)
        self.b = board_words(locale)
        self.plan_items = plan_items      # the plan renderer's items (plan/plan.json), None without a plan
        self.title = title or self.t["site_title"]
        self.journey_ids = [j.id for j in workspace.journeys]
        # a file naming any of these belongs to that journey, organisation, survey, teaser or improvement;
        # one naming none of them is workspace-wide (linked from every journey page of its folder)
        owned = [*self.journey_ids, *(o.id for o in workspace.organisations), *(m.id for m in workspace.measurements),
                 *(t.id for t in workspace.teasers), *(i.id for i in workspace.improvements)]
        self.index_of_outputs = links.OutputIndex(links.in_locale(outputs, locale, [c for c, _p in locales]), owned)
        self._by_journey: dict | None = None
        self._view_labels: dict[str, str] = {}

    # --- names and places ---------------------------------------------------------------

    def label(self, item) -> str:
        if item is None:
            return ""
        text = item.text("label", self.locale) if hasattr(item, "text") else getattr(item, "label", None)
        return text or getattr(item, "id", "") or ""

    def ref(self, key):
        """The label of whatever ``key`` names (the key itself when it names nothing)."""
        if key in self._view_labels:  # on an organisation's page: its own name for a touchpoint
            return self._view_labels[key]
        found = self.ws.get(key) if key else None
        return self.label(found) if found is not None else (key or "")

    def path(self, local: str) -> str:
        return self.prefix + local

    def journey_path(self, journey_id: str) -> str:
        return self.path(f"journeys/{journey_id}.html")

    def persona_path(self, persona_id: str) -> str:
        return self.path(f"personas/{persona_id}.html")

    def _common(self, page: str, local: str, heading: str, crumbs: list[tuple[str, str | None]]) -> dict:
        def to(target: str) -> str:
            return links.href(page, target)

        nav = [{"label": self.t["home"], "href": to(self.path("index.html")), "current": local == "index.html"},
               {"label": self.t["journeys"], "href": to(self.path("index.html")) + "#journeys", "current": False},
               {"label": self.t["personas"], "href": to(self.path("index.html")) + "#personas", "current": False},
               {"label": self.t["stakeholders"], "href": to(self.path("stakeholders.html")),
                "current": local == "stakeholders.html"},
               {"label": self.b["downloads"], "href": to(self.path("downloads.html")),
                "current": local == "downloads.html"}]
        languages = [{"code": code, "name": language_name(code), "href": to(prefix + local),
                      "current": code == self.locale} for code, prefix in self.locales]
        trail = [{"label": self.t["home"], "href": to(self.path("index.html")) if local != "index.html" else None}]
        trail += [{"label": text, "href": to(target) if target else None} for text, target in crumbs]
        return {"lang": self.locale, "t": self.t, "site_title": self.title, "heading": heading,
                "css": to(STYLESHEET), "nav": nav, "languages": languages if len(languages) > 1 else [],
                "crumbs": trail, "home": to(self.path("index.html"))}

    def _file(self, page: str, path: str) -> dict:
        return {"path": path, "href": links.href(page, path)}

    def _grouped(self, page: str, found: list[tuple[str, str]]) -> list[dict]:
        groups: dict[str, list] = {}
        for renderer, path in found:
            groups.setdefault(renderer, []).append(self._file(page, path))
        return [{"renderer": name, "files": files} for name, files in groups.items()]

    # --- pages -----------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        out = [self.index(), self.stakeholders(), self.downloads()]
        for n, journey in enumerate(self.ws.journeys):
            if journey.shared:
                # the benchmark page, then each organisation's own journey, views applied
                out.append(self.benchmark(journey, n))
                staff = {s.id: s.organisation for s in self.ws.stakeholders}
                out += [self.journey(journey.for_organisation(o, staff), n, organisation=o)
                        for o in journey.organisations]
            else:
                out.append(self.journey(journey, n))
        out += [self.persona(p) for p in self.ws.personas]
        return out

    def index(self) -> Page:
        local = "index.html"
        page = self.path(local)
        organisations = [{"label": self.label(o), "sector": o.sector or "",
                          "description": o.text("description", self.locale) or ""} for o in self.ws.organisations]
        journeys = []
        for journey in self.ws.journeys:
            moments = sum(1 for s in journey.steps if s.moment) + sum(1 for t in journey.touchpoints if t.moment)
            journeys.append({"label": self.label(journey), "href": links.href(page, self.journey_path(journey.id)),
                             "organisation": ", ".join(self.ref(o) for o in journey.organisation_ids),
                             "goal": journey.text("goal", self.locale) or "",
                             "personas": [self.ref(p) for p in journey.personas],
                             "steps": len(journey.steps), "moments": moments})
        personas = [{"label": self.label(p), "href": links.href(page, self.persona_path(p.id)),
                     "segment": p.text("segment", self.locale) or ""} for p in self.ws.personas]
        stakeholders = [{"label": self.label(s), "kind": self.t.get(s.kind, s.kind)} for s in self.ws.stakeholders]
        variables = self._common(page, local, self.title, [])
        variables.update(organisations=organisations, journeys=journeys, personas=personas,
                         stakeholders=stakeholders,
                         stakeholders_href=links.href(page, self.path("stakeholders.html")),
                         dashboard=Dashboard(self, self.plan_items).journeys(page), b=self.b,
                         downloads={"href": links.href(page, self.path("downloads.html")),
                                    "count": len(self.index_of_outputs.files)})
        return Page(page, "site/index.html.j2", variables)

    def downloads(self) -> Page:
        local = "downloads.html"
        page = self.path(local)
        variables = self._common(page, local, self.b["downloads"], [(self.b["downloads"], None)])
        variables.update(b=self.b, groups=downloads(self, page, self.index_of_outputs.files))
        return Page(page, "site/downloads.html.j2", variables)

    def stakeholders(self) -> Page:
        local = "stakeholders.html"
        page = self.path(local)
        owned: dict[str, list[str]] = {}
        for journey in self.ws.journeys:
            for touchpoint in journey.touchpoints:
                if touchpoint.owner:
                    owned.setdefault(touchpoint.owner, []).append(
                        f"{self.label(touchpoint)} ({self.label(journey)})")
        groups = []
        for kind in ("customer", "internal", "external"):
            members = [{"id": s.id, "label": self.label(s), "role": s.text("role", self.locale) or "",
                        "organisation": self.ref(s.organisation) if s.organisation else "",
                        "description": s.text("description", self.locale) or "",
                        "owns": owned.get(s.id, [])}
                       for s in self.ws.stakeholders if s.kind == kind]
            if members:
                groups.append({"kind": self.t[kind], "members": members})
        relations = [{"source": self.ref(r.source), "target": self.ref(r.target),
                      "label": translated(r, "label", self.locale) or "",
                      "flows": [f.text if f.text else self.t.get(f"flow_{f.kind}", f.kind) for f in r.flows]}
                     for r in self.ws.relations]
        svgs = {path for _renderer, path in links.files_of(self.outputs, under="stakeholder-map")
                if path.endswith(".svg")}
        # one map per subject, in this page's language when the maps renderer drew one
        plain = sorted(p for p in svgs if not any(p.endswith(f".{code}.svg") for code, _prefix in self.locales))
        maps = [self._file(page, self._chart(p[:-len(".svg")]) or p) for p in plain]
        variables = self._common(page, local, self.t["stakeholders"], [(self.t["stakeholders"], None)])
        variables.update(groups=groups, relations=relations, maps=maps)
        return Page(page, "site/stakeholders.html.j2", variables)

    def persona(self, persona) -> Page:
        local = f"personas/{persona.id}.html"
        page = self.path(local)
        text = lambda field: persona.text(field, self.locale) or ""  # noqa: E731
        journeys = []
        for journey in self.ws.journeys:
            if persona.id not in journey.personas:
                continue
            views = []
            for step in journey.steps:
                view = next((v for v in step.personas if v.persona == persona.id), None)
                if view is not None:
                    views.append({"step": self.label(step), "text": self._view_text(view)})
            curve = self._chart(f"emotion-curve/{journey.id}--{persona.id}")
            journeys.append({"label": self.label(journey), "href": links.href(page, self.journey_path(journey.id)),
                             "views": views, "curve": links.href(page, curve) if curve else None})
        result = None
        if self.results is not None:
            metrics = self.results.personas.get(persona.id)
            if metrics is not None and metrics.n > 0:
                result = measures.metrics_row(self.label(persona), metrics, locale=self.locale)
        variables = self._common(page, local, self.label(persona),
                                 [(self.t["personas"], self.path("index.html#personas")), (self.label(persona), None)])
        variables.update(persona={
            "label": self.label(persona), "segment": text("segment"), "context": text("context"),
            "quote": text("quote"), "description": text("description"),
            "goals": list(persona.text("goals", self.locale)),
            "ambitions": list(persona.text("ambitions", self.locale)), "needs": list(persona.text("needs", self.locale)),
            "channels": [self.ref(c) for c in persona.channels],
            "share": f"{persona.share:g}%" if persona.share is not None else ""},
            journeys=journeys, result=result,
            result_notes=measures.sample_note([result], self.results, self.t) if result else [])
        return Page(page, "site/persona.html.j2", variables)

    def _chart(self, stem: str) -> str | None:
        """The chart in this page's language when the renderer made one, else the default chart."""
        return self._localised(stem, ".svg")

    def _localised(self, stem: str, extension: str) -> str | None:
        """``stem`` in this page's language when a renderer wrote it so, else in no particular language."""
        found = self.index_of_outputs.find
        return found(f"{stem}.{self.locale}{extension}") or found(f"{stem}{extension}")

    def _emotion(self, emotion) -> str:
        if emotion is None:
            return ""
        score = f"{emotion.score:+g}" if emotion.score else "0"
        return score + (f" ({self.names.emotions(emotion.emotions)})" if emotion.emotions else "")

    def _view_text(self, view) -> str:
        parts = []
        if view.skips:
            parts.append(self.t["skips"])
        if view.expected is not None:
            parts.append(f"{self.t['expected']} {self._emotion(view.expected)}")
        if view.target is not None:
            parts.append(f"{self.t['target']} {self._emotion(view.target)}")
        note = translated(view, "note", self.locale)
        if note:
            parts.append(note)
        return "; ".join(parts)

    def _moment(self, holder, where: str) -> dict | None:
        moment = holder.moment
        if moment is None:
            return None
        return {"polarity": moment.polarity, "polarity_text": self.t.get(moment.polarity, moment.polarity),
                "text": holder.text("moment", self.locale) or "", "where": where}

    def benchmark(self, journey, number: int) -> Page:
        from .benchmark import page_variables

        local = f"journeys/{journey.id}.html"
        page = self.path(local)
        variables = self._common(page, local, self.label(journey),
                                 [(self.t["journeys"], self.path("index.html#journeys")), (self.label(journey), None)])
        variables.update(page_variables(self, journey, page))
        # the journey's own drawings and files (as written: the defaults every organisation shares) belong
        # to every organisation; a file naming one organisation is linked from that organisation's page only
        curve, blueprint = self._chart(f"emotion-curve/{journey.id}"), self._chart(f"blueprint/{journey.id}")
        everyone = [o.id for o in self.ws.organisations]
        # an organisation's own drawings are on its own page (linked above), not here
        files = [(r, p) for r, p in self.index_of_outputs.related([journey.id]) if p not in (curve, blueprint)
                 and not (p.split("/", 1)[0] in _DRAWINGS and any(links.names_organisation(p, o) for o in everyone))]
        variables.update(
            drawings=[{"src": links.href(page, f), "alt": f"{self.t[alt]} {self.label(journey)}"}
                      for f, alt in ((curve, "curve_alt"), (blueprint, "blueprint_alt")) if f],
            other_outputs=self._grouped(page, self._scoped(None, files)))
        return Page(page, "site/benchmark.html.j2", variables)

    def _scoped(self, organisation: str | None, files: list, key=lambda f: f[1]) -> list:
        """Only what may be linked from ``organisation``'s page (links.belongs_to_organisation)."""
        if organisation is None:
            return files
        everyone = [o.id for o in self.ws.organisations]
        return [f for f in files if links.belongs_to_organisation(key(f), organisation, everyone)]

    def _of_organisation(self, organisation: str | None, items: list, owner) -> list:
        """Teasers, improvements and models of ``organisation``, or of no organisation (every organisation's)."""
        if organisation is None:
            return items
        return [i for i in items if owner(i) in (None, organisation)]

    def _stakeholders_organisation(self, keys) -> str | None:
        found = {getattr(self.ws.get(k), "organisation", None) for k in keys if k}
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    def journey(self, journey, number: int, organisation: str | None = None) -> Page:
        """A journey's page; with ``organisation``, that organisation's own view of a shared journey
        (``journeys/<journey>--<organisation>.html``), linking only what belongs to it."""
        local = f"journeys/{journey.id}--{organisation}.html" if organisation else f"journeys/{journey.id}.html"
        page = self.path(local)
        self._view_labels = {tp.key: self.label(tp) for tp in journey.touchpoints} if organisation else {}
        try:
            return self._journey_page(journey, number, organisation, local, page)
        finally:
            self._view_labels = {}

    def _journey_page(self, journey, number: int, organisation: str | None, local: str, page: str) -> Page:
        jid = journey.id
        to = lambda target: links.href(page, target)  # noqa: E731
        stages, moments = [], []
        for stage in journey.stages:
            steps = []
            for step in stage.steps:
                touchpoints = []
                for tp in step.touchpoints:
                    channel = self.ws.get(tp.channel)
                    channel_text = self.label(channel) if channel is not None else tp.channel
                    if channel is not None and getattr(channel, "ownership", "own") == "third_party":
                        channel_text += f" ({self.t['third_party']}"
                        channel_text += f", {self.t['operator']} {self.ref(channel.operator)})" if channel.operator else ")"
                    moment = self._moment(tp, self.label(tp))
                    if moment:
                        moments.append(moment)
                    measured = self._measured("touchpoints", tp.key, organisation)
                    touchpoints.append({"label": self.label(tp), "channel": channel_text,
                                        "owner": self.ref(tp.owner) if tp.owner else "",
                                        "reach": f"{tp.reach:g}%" if tp.reach is not None else "",
                                        "moment": moment,
                                        "measured": measures.metrics_row(self.label(tp), measured, locale=self.locale)
                                        if measured else None})
                moment = self._moment(step, self.label(step))
                if moment:
                    moments.append(moment)
                measured = self._measured("steps", step.key, organisation)
                steps.append({
                    "id": step.key.replace(".", "-"), "label": self.label(step),
                    "description": step.text("description", self.locale) or "",
                    "action": step.text("action", self.locale) or "",
                    "needs": list(step.text("needs", self.locale)),
                    "expectations": list(step.text("expectations", self.locale)),
                    "touchpoints": touchpoints, "moment": moment,
                    "expected": self._emotion(step.expected), "target": self._emotion(step.target),
                    "measured": (f"{measures.signed(measured.valence_mean, 1, self.locale)} "
                                 f"{measures.interval(measured.valence_ci, 1, self.locale)}"
                                 f" (n={measured.n}{' ' + measures.SMALL if measured.sample == 'small' else ''})")
                    if measured and measured.valence_mean is not None and measured.sample != "too_small" else "",
                    "views": [{"persona": self.ref(v.persona), "text": self._view_text(v)} for v in step.personas],
                    "frontstage": [self._action(a) for a in step.frontstage],
                    "backstage": [self._action(a) for a in step.backstage],
                    "support": [self._action(a) for a in step.support],
                    "evidence": list(step.text("evidence", self.locale)),
                    "fail_points": [translated(f, "text", self.locale) or "" for f in step.fail_points],
                    "wait_points": [self.names.duration(w.duration) + (f": {text}" if text else "")
                                    for w, text in zip(step.wait_points, step.text("wait_points", self.locale))],
                })
            stages.append({"label": self.label(stage), "description": stage.text("description", self.locale) or "",
                           "steps": steps})

        # the drawing renderers draw a shared journey as written (its defaults), which is no organisation's
        # own, and each organisation's view as <journey>--<organisation>: an organisation's page shows those
        shared_drawing = organisation is not None
        drawn = f"{jid}--{organisation}" if shared_drawing else jid
        curve = self._chart(f"emotion-curve/{drawn}")
        persona_curves = []
        for pid in () if shared_drawing else journey.personas:
            found = self._chart(f"emotion-curve/{jid}--{pid}")
            if found:
                persona_curves.append({"persona": self.ref(pid), "src": to(found), "path": found})
        trend = None if shared_drawing else trend_section(self, journey)
        trend_chart = None if shared_drawing else self._chart(f"emotion-curve/trends/{jid}")
        waves_chart = None if shared_drawing else self._chart(f"emotion-curve/waves/{jid}")
        if trend is not None:
            trend["trends_src"] = to(trend_chart) if trend_chart else None
            trend["waves_src"] = to(waves_chart) if waves_chart else None
        blueprint = self._chart(f"blueprint/{drawn}")
        matrix = self._localised(f"touchpoint-matrix/{drawn}", ".html")
        to_be = None if shared_drawing else self._to_be(journey, to)

        concerns = self._concerning(jid)
        plans = [self._measurement(m, jid, organisation) for m in concerns["measurements"]]
        results = self._results(journey, organisation)
        teasers = [self._teaser(t) for t in self._of_organisation(
            organisation, concerns["teasers"], lambda t: self._stakeholders_organisation(t.audience))]
        improvements = [self._improvement(i) for i in self._of_organisation(
            organisation, concerns["improvements"], lambda i: self._stakeholders_organisation([i.owner]))]
        models = [self._model(m) for m in self._of_organisation(organisation, concerns["models"],
                                                                 lambda m: m.organisation)]
        related = self.index_of_outputs.related
        own = [jid, organisation or journey.organisation]  # its organisation's files too (its plan)
        teaser_files = self._scoped(organisation, related([*own, *(t["id"] for t in teasers)], under="teasers"))
        plan_files = self._scoped(organisation, related([*own, *(i["id"] for i in improvements)], under="plan"))
        survey_files = self._scoped(organisation, related([*own, *(m["id"] for m in plans)], under="surveys"))
        shown = {f for f in (curve, blueprint, matrix) if f} | {p for _r, p in teaser_files + plan_files + survey_files}
        shown |= set(to_be["paths"]) if to_be else set()
        shown |= {p["path"] for p in persona_curves} | {f for f in (trend_chart, waves_chart) if f}
        other = [(r, p) for r, p in self._scoped(organisation, related([jid]))
                 if p not in shown and not (shared_drawing and p.split("/", 1)[0] in _DRAWINGS
                                            and not links.names_organisation(p, organisation))]

        neighbours = self.ws.journeys
        previous = neighbours[number - 1] if number > 0 and organisation is None else None
        following = neighbours[number + 1] if number + 1 < len(neighbours) and organisation is None else None
        crumbs = [(self.t["journeys"], self.path("index.html#journeys")), (self.label(journey), None)]
        heading = self.label(journey)
        if organisation is not None:
            crumbs[-1] = (self.label(journey), self.journey_path(jid))
            crumbs.append((self.ref(organisation), None))
            heading = f"{self.label(journey)}: {self.ref(organisation)}"
        variables = self._common(page, local, heading, crumbs)
        variables.update(
            journey={"label": self.label(journey), "description": journey.text("description", self.locale) or "",
                     "goal": journey.text("goal", self.locale) or "",
                     "organisation": self.ref(journey.organisation) if journey.organisation else "",
                     "volume": f"{journey.volume:,.0f}".replace(",", "\u202f") if journey.volume is not None else "",
                     "scale": f"{journey.scale.low:g}..{journey.scale.high:g}",
                     "personas": [{"label": self.ref(p), "href": to(self.persona_path(p))}
                                  for p in journey.personas if self.ws.get(p) is not None]},
            stages=stages, moments=moments,
            curve={"src": to(curve), "alt": f"{self.t['curve_alt']} {heading}"} if curve else None,
            persona_curves=persona_curves, trend=trend,
            blueprint={"src": to(blueprint), "alt": f"{self.t['blueprint_alt']} {heading}"}
            if blueprint else None,
            matrix=to(matrix) if matrix else None,
            to_be=to_be,
            plans=plans, results=results, teasers=teasers, improvements=improvements, models=models, b=self.b,
            teaser_files=[self._file(page, p) for _r, p in teaser_files],
            plan_files=[self._file(page, p) for _r, p in plan_files],
            survey_files=[self._file(page, p) for _r, p in survey_files],
            other_outputs=self._grouped(page, other),
            previous={"label": self.label(previous), "href": to(self.journey_path(previous.id))} if previous else None,
            next={"label": self.label(following), "href": to(self.journey_path(following.id))} if following else None,
        )
        return Page(page, "site/journey.html.j2", variables)

    # --- parts of a journey page -----------------------------------------------------------

    def _concerning(self, journey_id: str) -> dict[str, list]:
        """The measurement plans, teasers, improvements and CX models that concern a journey, in
        workspace order; sorted out once for all journeys (one pass over each, not one per journey)."""
        if self._by_journey is None:
            found: dict[str, dict[str, list]] = {j: {"measurements": [], "teasers": [], "improvements": [],
                                                     "models": []} for j in self.journey_ids}

            def add(kind: str, item, keys) -> None:
                for jid in dict.fromkeys(self._journey_id(k) for k in keys):
                    if jid in found:
                        found[jid][kind].append(item)

            for m in self.ws.measurements:
                if m.journey in found:
                    found[m.journey]["measurements"].append(m)
            for t in self.ws.teasers:
                add("teasers", t, t.imitates)
            for i in self.ws.improvements:
                add("improvements", i, (*i.changes, *(k.subject for k in i.kpis if k.subject),
                                        *(c.step for c in i.step_changes), *(c.stage for c in i.stage_changes)))
            for m in self.ws.models:
                add("models", m, [k for e in m.elements for k in e.at])
            self._by_journey = found
        return self._by_journey.get(journey_id, {"measurements": [], "teasers": [], "improvements": [], "models": []})

    def _journey_id(self, key: str | None) -> str | None:
        found = self.ws.journey_of(key) if key and "." in key else None
        return found.id if found is not None else None

    def _action(self, action) -> str:
        text = translated(action, "text", self.locale) or ""
        extra = [self.ref(action.owner)] if action.owner else []
        extra += list(translated(action, "systems", self.locale))
        return text + (f" ({', '.join(extra)})" if extra else "")

    def _measurement(self, measurement, journey_id: str, organisation: str | None = None) -> dict:
        instruments = []
        for instrument in measurement.instruments:
            kind = self.t.get(f"instrument_{instrument.kind}", instrument.kind)
            question = translated(instrument, "question", self.locale) or ""
            extra = []
            if instrument.scale is not None:
                extra.append(f"{instrument.scale.low:g}..{instrument.scale.high:g}")
            if instrument.set and instrument.set != "custom":
                extra.append(self.t.get(f"set_{instrument.set}", instrument.set))
            if instrument.items:
                name = self.names.emotion if instrument.kind == "emotions" else self.names.intent
                extra.append(", ".join(name(item) for item in instrument.items))
            instruments.append({"kind": kind, "id": instrument.id, "question": question, "extra": "; ".join(extra)})
        samples = []
        for sample in measurement.samples:
            if sample.after:
                samples.append(f"{self.t['after']} " + ", ".join(self.ref(k) for k in sample.after))
            if sample.end:
                samples.append(self.t["at_end"])
        kpis = []
        for kpi in measurement.kpis:
            # on an organisation's page a KPI is judged on its own respondents; what is not measured per
            # organisation (NPS, the journey as a whole) is shown as the figure of all organisations
            # together, never as this organisation's met or missed
            status, value = measures.kpi_status(self._results_of(organisation), kpi, journey_id)
            status_text = self.t[f"kpi_{status}"]
            if organisation is not None and status == "unknown":
                _, pooled = measures.kpi_status(self.results, kpi, journey_id)
                if pooled:
                    status_text, value = self.t["kpi_pooled"], self.t["kpi_pooled_value"].format(value=pooled)
            kpis.append({"subject": self.ref(kpi.subject) if kpi.subject else self.ref(journey_id),
                         "target": self.names.kpi(kpi), "status": status,
                         "status_text": status_text, "value": value})
        return {"id": measurement.id, "label": self.label(measurement),
                "period": measurement.text("period", self.locale) or "",
                "instruments": instruments, "samples": samples, "kpis": kpis, "data": list(measurement.all_data)}

    def _measured(self, level: str, key: str, organisation: str | None):
        """The metrics of a step or touchpoint: everyone's, or one organisation's in a shared journey."""
        results = self._results_of(organisation)
        if results is None:
            return None
        return results.step(key) if level == "steps" else results.touchpoint(key)

    def _results_of(self, organisation: str | None):
        """The measured results as ``organisation``'s own respondents gave them (Results.for_organisation),
        or everyone's; made once per organisation."""
        if self.results is None or organisation is None:
            return self.results
        if organisation not in self._organisation_results:
            self._organisation_results[organisation] = self.results.for_organisation(organisation)
        return self._organisation_results[organisation]

    def _results(self, journey, organisation: str | None = None) -> dict | None:
        if self.results is None:
            return None
        overall = self.results.journey(journey.id) if organisation is None else None
        touchpoints = []
        for tp in journey.touchpoints:
            metrics = self._measured("touchpoints", tp.key, organisation)
            if metrics is not None:
                touchpoints.append(measures.metrics_row(self.label(tp), metrics, locale=self.locale))
        steps = []
        for step in journey.steps:
            metrics = self._measured("steps", step.key, organisation)
            if metrics is not None:
                steps.append(measures.metrics_row(self.label(step), metrics, locale=self.locale))
        if overall is None and not touchpoints and not steps:
            return None
        total = measures.metrics_row(self.t["journey_results"], overall, locale=self.locale) if overall else None
        return {"journey": total, "touchpoints": touchpoints, "steps": steps,
                "notes": measures.sample_note([total, *touchpoints, *steps], self.results, self.t)}

    def _teaser(self, teaser) -> dict:
        return {"id": teaser.id, "label": self.label(teaser), "kind": self.names.teaser_kind(teaser.kind),
                "description": teaser.text("description", self.locale) or "",
                "imitates": [self.ref(k) for k in teaser.imitates],
                "pain": teaser.text("pain", self.locale) or "",
                "audience": [self.ref(a) for a in teaser.audience], "notes": list(teaser.text("notes", self.locale))}

    def _to_be(self, journey, to) -> dict | None:
        """The journey after the plan (journeyql.to_be): what the plan adds or changes, and the
        to-be curve and blueprint beside the as-is blueprint; None when the plan changes nothing."""
        import journeyql

        change = journeyql.to_be(self.ws, journey)
        if not change.changes_anything:
            return None
        before = {step.key: step for step in change.as_is.steps}
        items = []
        for step in change.journey.steps:
            by = change.by(step.key)
            if change.is_new(step.key):
                items.append({"kind": self.t["new_step"], "what": self.label(step), "by": self.ref(by),
                              "detail": f"{self.t['expected']}: {self._emotion(step.expected) or self.t['not_stated']}"})
            elif by is not None:
                items.append({"kind": self.t["changed_emotion"], "what": self.label(step), "by": self.ref(by),
                              "detail": f"{self._emotion(before[step.key].expected) or self.t['not_stated']} "
                                        f"\u2192 {self._emotion(step.expected)}"})
            for touchpoint in step.touchpoints:
                if change.is_new(touchpoint.key) and not change.is_new(step.key):
                    items.append({"kind": self.t["new_touchpoint"], "what": self.label(touchpoint),
                                  "by": self.ref(change.by(touchpoint.key)),
                                  "detail": f"{self.t['channel']}: {self.ref(touchpoint.channel)}; "
                                            f"{self.t['step']}: {self.label(step)}"})
        jid = journey.id
        curve = self._chart(f"emotion-curve/{jid}--to-be")
        blueprint = self._chart(f"blueprint/{jid}--to-be")
        as_is = self._chart(f"blueprint/{jid}")
        label = self.label(journey)
        return {"changes": items, "channels": [self.label(c) for c in change.channels],
                "curve": {"src": to(curve), "alt": f"{self.t['to_be_curve_alt']} {label}"} if curve else None,
                "blueprint": {"src": to(blueprint), "alt": f"{self.t['to_be_blueprint_alt']} {label}"}
                if blueprint else None,
                "as_is_blueprint": {"src": to(as_is), "alt": f"{self.t['blueprint_alt']} {label}"} if as_is else None,
                "paths": [p for p in (curve, blueprint) if p]}

    def _improvement(self, improvement) -> dict:
        def scale(value):
            return f"{value:g}/5" if value is not None else ""
        return {"id": improvement.id, "label": self.label(improvement),
                "description": improvement.text("description", self.locale) or "",
                "changes": [self.ref(k) for k in improvement.changes],
                "effort": scale(improvement.effort), "impact": scale(improvement.impact),
                "confidence": f"{improvement.confidence:g}%" if improvement.confidence is not None else "",
                "owner": self.ref(improvement.owner) if improvement.owner else "",
                "horizon": self.t.get(improvement.horizon, improvement.horizon) if improvement.horizon else "",
                "status": self.t.get(improvement.status, improvement.status),
                "kpis": [self.names.kpi(k, subject=True) for k in improvement.kpis],
                "initiatives": [self.ref(i) for i in improvement.initiatives]}

    def _model(self, model) -> dict:
        chains = []
        for link in model.links:
            text = " \u2192 ".join(self.ref(k) for k in link.path)
            if link.rate is not None:
                text += f" ({self.t['rate']} {link.rate:g}%)"
            note = translated(link, "note", self.locale)
            chains.append({"text": text, "note": note or ""})
        return {"label": self.label(model), "chains": chains}
