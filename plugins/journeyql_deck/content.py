"""What the board deck says, as plain data: kept apart from python-pptx so it can be tested alone.

Per journey: the emotional curve (expected, measured, target per step), the moments of truth with
their owners, the KPI targets met or missed, and the top of the improvement plan that concerns it.
Measured values follow the curve's rules (docs/analysis.md): a step with too few answers to show
has no measured point.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .words import words_for

#: how many improvements of the plan a journey's plan slide lists
TOP = 5


@dataclass(frozen=True)
class CurveSeries:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class MomentLine:
    polarity: str        #: positive | negative | critical, in words of the locale
    where: str
    text: str
    owner: str


@dataclass(frozen=True)
class KpiLine:
    text: str            #: what is measured and the target, in words
    measured: str
    status: str          #: met | missed | no_data
    status_text: str


@dataclass(frozen=True)
class PlanLine:
    title: str
    owner: str
    horizon: str
    case: str


@dataclass
class JourneySlides:
    id: str
    label: str
    steps: tuple[str, ...]
    series: list[CurveSeries] = field(default_factory=list)
    measured: bool = False
    moments: list[MomentLine] = field(default_factory=list)
    kpis: list[KpiLine] = field(default_factory=list)
    plan: list[PlanLine] | None = None  #: None: the plan was not made in this run


@dataclass
class Deck:
    locale: str
    title: str
    subtitle: str
    words: dict
    journeys: list[JourneySlides] = field(default_factory=list)


def _text(item, name: str, locale: str) -> str:
    """A text field in ``locale``: the model's ``text()`` where it has one, else its translations."""
    if item is None:
        return ""
    if hasattr(item, "text") and callable(item.text):
        return item.text(name, locale) or ""
    translations = getattr(item, "translations", None) or {}
    if locale in translations and name in translations[locale]:
        return translations[locale][name] or ""
    return getattr(item, name, None) or ""


def _number(value: float, digits: int, locale: str, group: bool = False) -> str:
    from journeyql.host.numbers import decimal

    return decimal(value, locale, digits, group=group)


class DeckBuilder:
    def __init__(self, workspace, results, plan_items, locale: str):
        self.ws = workspace
        self.results = results
        self.plan_items = plan_items      # plan.json's items, or None when the plan was not made
        self.locale = locale
        self.t = words_for(locale)

    def label(self, item) -> str:
        if item is None:
            return ""
        return item.text("label", self.locale) or item.id

    def ref(self, key: str | None) -> str:
        found = self.ws.get(key) if key else None
        return self.label(found) if found is not None else (key or "")

    def deck(self, title: str | None = None) -> Deck:
        organisations = ", ".join(self.label(o) for o in self.ws.organisations)
        deck = Deck(self.locale, title or self.t["title"],
                    organisations + (" \u2013 " if organisations else "") + self.t["subtitle"], self.t)
        deck.journeys = [self.journey(j) for j in self.ws.journeys if j.steps]
        return deck

    def journey(self, journey) -> JourneySlides:
        steps = [step for stage in journey.stages for step in stage.steps]
        slides = JourneySlides(journey.id, self.label(journey), tuple(self.label(s) for s in steps))
        expected = tuple(s.expected.score if s.expected is not None else None for s in steps)
        slides.series.append(CurveSeries(self.t["expected"], expected))
        measured = tuple(self._measured(s) for s in steps)
        if any(v is not None for v in measured):
            slides.series.append(CurveSeries(self.t["measured"], measured))
            slides.measured = True
        target = tuple(s.target.score if s.target is not None else None for s in steps)
        if any(v is not None for v in target):
            slides.series.append(CurveSeries(self.t["target"], target))
        for step in steps:
            if step.moment is not None:
                slides.moments.append(self._moment(step.moment, step, None))
            for touchpoint in step.touchpoints:
                if touchpoint.moment is not None:
                    slides.moments.append(self._moment(touchpoint.moment, touchpoint, touchpoint.owner))
        slides.kpis = self._kpis(journey)
        slides.plan = self._plan(journey)
        return slides

    def _measured(self, step) -> float | None:
        metrics = self.results.step(step.key) if self.results is not None else None
        # below show_n a figure is shown nowhere (docs/analysis.md): not on a slide either
        if metrics is None or metrics.valence_mean is None or metrics.sample == "too_small":
            return None
        return round(metrics.valence_mean, 6)

    def _moment(self, moment, where, owner: str | None) -> MomentLine:
        return MomentLine(self.t.get(moment.polarity, moment.polarity), self.label(where),
                          _text(moment, "text", self.locale),
                          self.ref(owner) if owner else self.t["no_owner"])

    def metric_words(self, metric: str) -> str:
        if metric.startswith(("emotion.", "intent.")):
            kind, name = metric.split(".", 1)
            return f"{self.t[kind]} {self.ref(name)}"
        return self.t.get(metric, metric)

    def _kpis(self, journey) -> list[KpiLine]:
        found = {}
        if self.results is not None:
            found = {(k.measurement, k.subject, k.metric, k.op, k.target, k.since): k for k in self.results.kpis}
        lines = []
        for measurement in self.ws.measurements:
            if measurement.journey != journey.id:
                continue
            for kpi in measurement.kpis:
                subject = kpi.subject or measurement.journey
                subject_text = self.ref(kpi.subject) if kpi.subject else self.t["whole_journey"]
                unit = "%" if kpi.unit == "percent" else ""
                text = (f"{subject_text}: {self.metric_words(kpi.metric)} {_OPS.get(kpi.op, kpi.op)} "
                        f"{_number(kpi.value, 0 if float(kpi.value).is_integer() else 1, self.locale)}{unit}")
                result = found.get((measurement.id, subject, kpi.metric, kpi.op, kpi.value, kpi.since))
                status = result.status if result is not None else "no_data"
                measured = ""
                if kpi.since == "previous":  # judged on the change since the previous wave
                    from journeyql.host.names import no_worse_than_previous

                    text = f"{subject_text}: {self.metric_words(kpi.metric)} {no_worse_than_previous(self.locale)}"
                    if result is not None and result.change is not None:
                        measured = ("+" if result.change > 0 else "") + _number(result.change, 2, self.locale)
                elif result is not None and result.value is not None:
                    whole = kpi.metric in ("nps", "n") or kpi.unit == "percent"
                    measured = _number(result.value, 0 if whole else 1, self.locale) + unit
                lines.append(KpiLine(text, measured, status, self.t[status]))
        return lines

    def _plan(self, journey) -> list[PlanLine] | None:
        if self.plan_items is None:
            return None
        lines = []
        for item in self.plan_items:
            if journey.id not in item.get("journeys", ()):
                continue
            titles = item.get("title") or {}
            title = titles.get(self.locale) or next(iter(titles.values()), item.get("id", ""))
            horizon = item.get("horizon")
            per_year = (item.get("business_case") or {}).get("per_year") or {}
            case = ", ".join(f"{currency} {_number(amount, 0, self.locale, group=True)}"
                             for currency, amount in sorted(per_year.items()))
            lines.append(PlanLine(title, self.ref(item.get("owner")) if item.get("owner") else "",
                                  self.t.get(horizon, horizon) if horizon else "", case))
            if len(lines) == TOP:
                break
        return lines


_OPS = {">=": "\u2265", "<=": "\u2264", ">": ">", "<": "<", "==": "="}
