"""The typed, frozen model of a resolved JourneyQL workspace.

Every object carries the :class:`Span` it was written at. References are
stored as the *key* of what they point to: a top-level definition's id
(``billing``), or ``journey.local`` for stages, steps and touchpoints
(``moving.meter_form``), so a key is unique in the workspace. The
:class:`Workspace` has lookups from key to object.

Equality of two models includes their spans; to compare what two specs
*say*, compare :meth:`Workspace.content`.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ..diagnostics.span import Span as _Span
from . import shapes
from .shapes import text_in  # noqa: F401 - its home was here; plugins import it from here


def _span_in(value):
    return _Span(**value) if isinstance(value, dict) else value


_SPAN_SCHEMA = {
    "type": "object",
    "title": "Span",
    "description": "Where an object is written; lines and columns are 1-based, the end is exclusive.",
    "properties": {"path": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
                   "end_line": {"type": "integer"}, "end_column": {"type": "integer"}},
    "required": ["path", "line", "column", "end_line", "end_column"],
}

#: A source span; in JSON an object {path, line, column, end_line, end_column}.
Span = Annotated[_Span, BeforeValidator(_span_in),
                 PlainSerializer(lambda s: s._asdict(), return_type=dict, when_used="json"),
                 WithJsonSchema(_SPAN_SCHEMA)]

StakeholderKind = Literal["customer", "internal", "external"]
ChannelKind = Literal["digital", "web", "app", "email", "chat", "phone", "paper", "in_person", "social", "field", "other"]
Ownership = Literal["own", "third_party"]
FlowKind = Literal["money", "information", "service", "trust", "goods", "data", "other"]
MomentPolarity = Literal["positive", "negative", "critical"]
InstrumentKind = Literal["valence", "emotions", "nps", "ces", "csat", "question", "intents"]
TeaserKind = Literal["letter", "email", "web_page", "form", "phone", "roleplay", "day_in_life", "video", "other"]
Horizon = Literal["quick_win", "mid_term", "long_term"]
ImprovementStatus = Literal["idea", "planned", "in_progress", "done", "dropped"]
Valence = Literal["positive", "negative", "neutral"]


#: Texts in other locales: {locale: {field: text}}; a repeatable text (needs, evidence, the texts of
#: wait points) has a tuple of texts, item by item in the order written.
Translations = dict[str, dict[str, str | tuple[str, ...]]]


# defer_build: a validator is built only for the model actually validated
# (the Workspace, which includes every nested one), not for each class at
# import; this takes a third off `journeyql check`'s start-up.
_CONFIG = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Node(BaseModel):
    model_config = _CONFIG

    span: Span = Field(description="Where this object is written.")


class Labelled(shapes.Labelled, Node):
    id: str
    label: str = Field(description="The human label, in the workspace's default locale.")
    description: str | None = None
    translations: Translations = Field(
        default_factory=dict, description="Texts in other locales: {locale: {field: text or texts}}.")



class Scale(shapes.Scale, BaseModel):
    model_config = _CONFIG
    low: float
    high: float



class Duration(BaseModel):
    model_config = _CONFIG
    text: str = Field(description="As written, e.g. `5d`.")
    seconds: float


class Money(BaseModel):
    model_config = _CONFIG
    amount: float
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Organisation(shapes.Organisation, Labelled):
    sector: str | None = None
    locale: str | None = None
    locales: tuple[str, ...] = ()


class Stakeholder(shapes.Stakeholder, Labelled):
    kind: StakeholderKind
    organisation: str | None = None
    role: str | None = None


class Flow(BaseModel):
    model_config = _CONFIG
    kind: FlowKind
    text: str | None = None


class Relation(Node):
    source: str
    target: str
    flows: tuple[Flow, ...] = ()
    label: str | None = None
    translations: Translations = Field(default_factory=dict, description="Texts in other locales.")


class Channel(Labelled):
    kind: ChannelKind
    ownership: Ownership = "own"
    operator: str | None = Field(default=None, description="The stakeholder running a third-party channel.")


class Persona(Labelled):
    segment: str | None = None
    context: str | None = None
    quote: str | None = None
    goals: tuple[str, ...] = ()
    ambitions: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    channels: tuple[str, ...] = Field(default=(), description="Preferred channels.")
    share: float | None = Field(default=None, description="Share of the customer base, in percent.")


class MomentOfTruth(Node):
    polarity: MomentPolarity
    text: str | None = None


class Emotion(Node):
    """An emotion score on the journey's scale, with the named emotions felt."""

    score: float
    emotions: tuple[str, ...] = ()


class Action(Node):
    text: str
    owner: str | None = None
    systems: tuple[str, ...] = ()
    translations: Translations = Field(default_factory=dict, description="Texts in other locales.")


class FailPoint(Node):
    text: str
    touchpoint: str | None = None
    translations: Translations = Field(default_factory=dict, description="Texts in other locales.")


class WaitPoint(Node):
    text: str | None = None
    duration: Duration


class PersonaView(Node):
    """How one persona's experience of a step differs from the journey's default."""

    persona: str
    expected: Emotion | None = None
    target: Emotion | None = None
    skips: bool = False
    note: str | None = None
    translations: Translations = Field(default_factory=dict, description="Texts in other locales.")


class TouchpointView(Node):
    """How one organisation's touchpoint differs in a journey several organisations share."""

    organisation: str
    label: str | None = Field(default=None, description="This organisation's name for the touchpoint.")
    channel: str | None = None
    owner: str | None = None
    moment: MomentOfTruth | None = None
    reach: float | None = None
    skips: bool = Field(default=False, description="The organisation has no such touchpoint.")
    note: str | None = None
    translations: dict[str, dict[str, str]] = Field(default_factory=dict, description="Texts in other locales.")


class OrganisationView(Node):
    """How one organisation's step differs in a journey several organisations share."""

    organisation: str
    expected: Emotion | None = None
    target: Emotion | None = None
    skips: bool = False
    note: str | None = None
    translations: dict[str, dict[str, str]] = Field(default_factory=dict, description="Texts in other locales.")


class Touchpoint(shapes.Touchpoint, Labelled):
    key: str
    channel: str
    owner: str | None = None
    moment: MomentOfTruth | None = None
    reach: float | None = Field(default=None, description="Share of the journey's customers who meet it, in percent.")
    organisations: tuple[TouchpointView, ...] = Field(default=(), description="Per-organisation differences.")



class Step(shapes.Step, Labelled):
    key: str
    action: str | None = None
    needs: tuple[str, ...] = ()
    expectations: tuple[str, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = ()
    moment: MomentOfTruth | None = None
    frontstage: tuple[Action, ...] = ()
    backstage: tuple[Action, ...] = ()
    support: tuple[Action, ...] = ()
    evidence: tuple[str, ...] = ()
    fail_points: tuple[FailPoint, ...] = ()
    wait_points: tuple[WaitPoint, ...] = ()
    expected: Emotion | None = None
    target: Emotion | None = None
    personas: tuple[PersonaView, ...] = ()
    organisations: tuple[OrganisationView, ...] = Field(default=(), description="Per-organisation differences.")



class Stage(shapes.Stage, Labelled):
    key: str
    steps: tuple[Step, ...] = ()


class Journey(shapes.Journey, Labelled):
    organisation: str | None = None
    personas: tuple[str, ...] = ()
    goal: str | None = None
    # built without validation: calling Scale(...) here would build its validator (and load
    # pydantic's plugin machinery) at import, which defer_build exists to avoid
    scale: Scale = Scale.model_construct(low=-3.0, high=3.0)
    volume: float | None = Field(default=None, description="Customers going through this journey per year.")
    stages: tuple[Stage, ...] = ()
    organisations: tuple[str, ...] = Field(
        default=(), description="The organisations that share this journey (a benchmark); see `organisation_ids`.")



class Instrument(Node):
    kind: InstrumentKind
    id: str
    question: str | None = None
    translations: Translations = Field(default_factory=dict)
    scale: Scale | None = None
    set: str | None = Field(default=None, description="Named emotion set: premo, panas or custom.")
    items: tuple[str, ...] = Field(default=(), description="Emotions of a custom set, or behaviour intentions.")
    answer: Literal["text", "number", "choice"] | None = Field(default=None, description="A free question's answer type.")
    options: tuple[str, ...] = Field(default=(), description="Answer options of a choice question.")


class Sample(Node):
    """When to ask: right after these touchpoints, or at the end of the journey."""

    after: tuple[str, ...] = ()
    end: bool = False


class KPI(Node):
    subject: str | None = Field(description="Touchpoint, step, stage or journey key; None for the plan's journey.")
    metric: str
    op: Literal[">=", "<=", ">", "<", "=="]
    value: float
    unit: Literal["number", "percent"] = "number"
    #: ``no worse than previous``: met unless the metric is significantly worse than in the plan's
    #: previous wave (the wave changes' test); ``op`` and ``value`` are then ``>= 0`` (of the change)
    since: Literal["previous"] | None = None


class Wave(Labelled):
    """One round of fieldwork of a measurement plan; a plan's waves are written in time order."""

    data: tuple[str, ...] = Field(default=(), description="This wave's response files, relative to the workspace root.")
    period: str | None = None


class Measurement(shapes.Measurement, Labelled):
    journey: str
    instruments: tuple[Instrument, ...] = ()
    samples: tuple[Sample, ...] = ()
    kpis: tuple[KPI, ...] = ()
    data: tuple[str, ...] = Field(default=(), description="Response files, relative to the workspace root.")
    locales: tuple[str, ...] = ()
    period: str | None = None
    #: rounds of fieldwork in time order; empty: one measurement whose files are ``data``
    waves: tuple[Wave, ...] = ()
    baseline: str | None = Field(default=None, description="The wave later waves are compared with (default: the first).")



class ServiceElement(Labelled):
    at: tuple[str, ...] = Field(default=(), description="Touchpoints where the element acts.")


class EmotionDef(Labelled):
    valence: Valence = "neutral"


class Behaviour(Labelled):
    pass


class Impact(Labelled):
    amount: Money | None = None
    per: str | None = None


class CausalLink(Node):
    path: tuple[str, ...]
    rate: float | None = Field(default=None, description="Share (percent) of customers in which the cause leads to the effect.")
    strength: float | None = None
    note: str | None = None
    translations: Translations = Field(default_factory=dict, description="Texts in other locales.")


class CxModel(Labelled):
    organisation: str | None = None
    elements: tuple[ServiceElement, ...] = ()
    emotions: tuple[EmotionDef, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()
    impacts: tuple[Impact, ...] = ()
    links: tuple[CausalLink, ...] = ()


class Teaser(Labelled):
    kind: TeaserKind
    imitates: tuple[str, ...] = ()
    pain: str | None = None
    audience: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    subject: str | None = Field(default=None, description="Subject line of the letter or e-mail, title of the page.")
    content: str | None = Field(default=None, description="The material's own text as the customer gets it; "
                                                          "[[...]] marks a flawed passage.")


class Initiative(Labelled):
    owner: str | None = None
    status: ImprovementStatus | None = None


class StepChange(Node):
    """What an improvement changes at an existing step: ``at step { ... }``."""

    step: str = Field(description="The key of the step it changes.")
    expected: Emotion | None = Field(default=None, description="The emotion expected once the improvement is in place.")
    touchpoints: tuple[Touchpoint, ...] = Field(default=(), description="Touchpoints it adds to the step.")
    frontstage: tuple[Action, ...] = ()
    backstage: tuple[Action, ...] = ()
    support: tuple[Action, ...] = ()


class StageChange(Node):
    """Steps an improvement adds to an existing stage: ``in stage { after step  step ... }``."""

    stage: str = Field(description="The key of the stage the steps are added to.")
    after: str | None = Field(default=None, description="The step they follow (default: the end of the stage).")
    steps: tuple[Step, ...] = ()


class Improvement(Labelled):
    changes: tuple[str, ...] = ()
    effort: float | None = Field(default=None, ge=1, le=5)
    impact: float | None = Field(default=None, ge=1, le=5)
    confidence: float | None = Field(default=None, ge=0, le=100)
    owner: str | None = None
    horizon: Horizon | None = None
    status: ImprovementStatus = "idea"
    kpis: tuple[KPI, ...] = ()
    initiatives: tuple[str, ...] = ()
    channels: tuple[Channel, ...] = Field(default=(), description="Channels the improvement introduces.")
    step_changes: tuple[StepChange, ...] = Field(
        default=(), description="What it changes at existing steps (`at step { ... }`): touchpoints and actions it "
                                "adds, the emotion expected after it.")
    stage_changes: tuple[StageChange, ...] = Field(
        default=(), description="Steps it adds to existing stages (`in stage { step ... }`).")


class Workspace(shapes.Workspace, BaseModel):
    model_config = _CONFIG

    root: str = "."
    files: tuple[str, ...] = ()
    locale: str = "en"
    organisations: tuple[Organisation, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    relations: tuple[Relation, ...] = ()
    channels: tuple[Channel, ...] = ()
    personas: tuple[Persona, ...] = ()
    journeys: tuple[Journey, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    models: tuple[CxModel, ...] = ()
    teasers: tuple[Teaser, ...] = ()
    improvements: tuple[Improvement, ...] = ()
    initiatives: tuple[Initiative, ...] = ()

    def content(self) -> dict:
        """What the specs say, without where: the model as JSON data minus spans and file names.

        Top-level definitions are sorted by id, so moving one to another file changes nothing.
        """
        data = _strip_spans(self.model_dump(mode="json", exclude={"files", "root"}))
        for group, items in data.items():
            if isinstance(items, list):
                data[group] = sorted(items, key=lambda item: json.dumps(item, sort_keys=True) if "id" not in item
                                     else item["id"])
        return data


def _strip_spans(data):
    if isinstance(data, dict):
        return {k: _strip_spans(v) for k, v in data.items() if k != "span"}
    if isinstance(data, list):
        return [_strip_spans(v) for v in data]
    return data
