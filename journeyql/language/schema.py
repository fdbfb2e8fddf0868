"""What the language contains: every block, the attributes it takes and their values.

The grammar only knows blocks and attributes; this table says which ones
exist. The binder checks a syntax tree against it, ``docs/language.md``
documents it, and a test keeps the two in step.

Value kinds (``Attr.kind``):

``text``      one quoted text                 ``texts``   quoted texts, repeatable
``word``      a bare word or a text           ``choice``  one of ``choices``
``words``     bare words                      ``number``, ``percent``, ``range``, ``duration``, ``money``
``ref``       a reference to ``targets``      ``refs``    references, repeatable
``emotion``   a score, then emotion names     ``moment``  positive|negative|critical, then a text
``wait``      a duration, then a text         ``kpi``     ``subject.metric >= value``
``flows``     flow kinds or texts             ``samples`` touchpoints and the word ``end``
``chain``     ``a -> b -> c``
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the light classes, not the pydantic model: the binder reads this table in every `check`, which
# must not import pydantic (light_model.py is generated from model.py; Spec.model_class is the model's)
from . import light_model as m


@dataclass(frozen=True)
class Attr:
    kind: str
    field: str
    targets: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    required: bool = False
    doc: str = ""
    low: float | None = None
    high: float | None = None
    #: whether ``KEY.LOCALE "..."`` may give its text in another locale; None: every text is (see TEXT_KINDS)
    translatable: bool | None = None

    @property
    def translates(self) -> bool:
        return self.kind in TEXT_KINDS if self.translatable is None else self.translatable

    @property
    def repeatable(self) -> bool:
        return self.kind in ("texts", "words", "refs", "flows", "samples", "kpi", "wait")


@dataclass(frozen=True)
class Spec:
    """One kind of block."""

    keyword: str
    kind: str  # the symbol kind for the resolver (journey, step, ...), or "" for unnamed parts
    model: type
    doc: str
    name: str = "required"  # required | optional | none | relation | default:FIELD
    label: str = "optional"  # required | optional | none | field:NAME (the label text fills that field)
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: dict[str, tuple[str, "Spec"]] = field(default_factory=dict)  # keyword -> (model field, spec)
    shorthand: str | None = None  # the attribute that `keyword VALUE` (no braces) fills
    extra: dict = field(default_factory=dict)  # fixed fields (e.g. the instrument kind)
    translatable: tuple[str, ...] = ("label", "description")
    #: the enclosing keyword, for a keyword that means another block there (`for` in a touchpoint)
    within: str = ""

    @property
    def model_class(self) -> type:
        """The pydantic model class of this block (``model`` is its light twin of the same name)."""
        from . import model

        return getattr(model, self.model.__name__)

    def requires(self, field: str) -> bool:
        """Whether the model has no default for ``field``."""
        return field in self.model._required

    @property
    def keywords(self) -> list[str]:
        return sorted(set(self.attrs) | set(self.blocks))

    @property
    def texts(self) -> dict[str, Attr]:
        """Every text a person reads, by keyword: the label, each text attribute and ``translatable``.

        Derived from the attributes' kinds, so a text attribute added to the schema is
        translatable (``KEY.LOCALE``) without being listed anywhere.
        """
        found: dict[str, Attr] = {}
        if self.label in ("optional", "required"):
            found["label"] = Attr("text", "label")
        elif self.label.startswith("field:"):
            found[self.label[6:]] = Attr("text", self.label[6:])
        for key, attr in self.attrs.items():
            if attr.translates:
                found[key] = attr
        for key in self.translatable:
            if key not in found and (key not in self.attrs or self.attrs[key].translates):
                found[key] = self.attrs.get(key) or Attr("text", key)
        return found


#: value kinds that hold text a person reads: each is translatable unless its Attr says otherwise
TEXT_KINDS = ("text", "texts", "moment", "wait")


def _a(kind: str, fld: str, doc: str, **kw) -> Attr:
    return Attr(kind, fld, doc=doc, **kw)


DESCRIPTION = {"description": _a("text", "description", "A longer explanation.")}
OWNER = ("stakeholder",)
TOUCHPOINT_LIKE = ("touchpoint", "step", "stage", "journey")

ACTION_ATTRS = {
    "owner": _a("ref", "owner", "The internal stakeholder who performs it.", targets=OWNER),
    "system": _a("texts", "systems", "Systems or support processes involved."),
}


def _action(keyword: str, doc: str) -> Spec:
    return Spec(keyword, "", m.Action, doc, name="none", label="field:text", attrs=ACTION_ATTRS,
                translatable=("text",))


TOUCHPOINT_VIEW = Spec(
    "for", "", m.TouchpointView,
    "How one organisation's touchpoint differs, in a journey several organisations share.",
    name="ref:organisation", label="none",
    attrs={
        "label": _a("text", "label", "This organisation's name for the touchpoint."),
        "channel": _a("ref", "channel", "The channel this organisation uses.", targets=("channel",)),
        "owner": _a("ref", "owner", "This organisation's internal stakeholder responsible.", targets=OWNER),
        "moment": _a("moment", "moment", "A moment of truth at this organisation: positive, negative or critical."),
        "reach": _a("percent", "reach", "Share of this organisation's customers who meet it.", low=0, high=100),
        "skips": _a("bool", "skips", "yes when this organisation has no such touchpoint."),
        "note": _a("text", "note", "What is different at this organisation."),
    },
    translatable=("label", "note"), within="touchpoint",
)

TOUCHPOINT = Spec(
    "touchpoint", "touchpoint", m.Touchpoint,
    "A moment where the customer meets a channel; exactly one internal owner.",
    attrs={
        **DESCRIPTION,
        "channel": _a("ref", "channel", "The channel used.", targets=("channel",), required=True),
        "owner": _a("ref", "owner", "The one internal stakeholder responsible.", targets=OWNER),
        "moment": _a("moment", "moment", "A moment of truth: positive, negative or critical, then why."),
        "reach": _a("percent", "reach", "Share of the journey's customers who meet it.", low=0, high=100),
    },
    blocks={"for": ("organisations", TOUCHPOINT_VIEW)},
)


PERSONA_VIEW = Spec(
    "for", "", m.PersonaView,
    "How one persona's experience of the step differs; in a journey several organisations share, "
    "`for` an organisation says how its step differs.",
    name="ref:persona|organisation", label="none",
    attrs={
        "expected": _a("emotion", "expected", "This persona's expected emotion."),
        "target": _a("emotion", "target", "This persona's target emotion."),
        "skips": _a("bool", "skips", "yes when this persona skips the step."),
        "note": _a("text", "note", "What is different for this persona."),
    },
    translatable=("note",),
)

FAIL = Spec("fail", "", m.FailPoint, "A fail point: where things go wrong.", name="none", label="field:text",
            attrs={"touchpoint": _a("ref", "touchpoint", "Where it fails.", targets=("touchpoint",))},
            translatable=("text",))

STEP = Spec(
    "step", "step", m.Step,
    "One thing the customer does; the blueprint's column.",
    attrs={
        **DESCRIPTION,
        "action": _a("text", "action", "What the customer does."),
        "need": _a("texts", "needs", "\"I want ...\" / \"I need ...\""),
        "expectation": _a("texts", "expectations", "What the customer expects."),
        "moment": _a("moment", "moment", "A moment of truth: positive, negative or critical, then why."),
        "evidence": _a("texts", "evidence", "Physical evidence: what the customer sees or holds."),
        "wait": _a("wait", "wait_points", "A wait point: a duration, then what the customer waits for."),
        "expected": _a("emotion", "expected", "Expected emotion: what the organisation believes the customer feels."),
        "target": _a("emotion", "target", "Target (to-be) emotion."),
    },
    blocks={
        "touchpoint": ("touchpoints", TOUCHPOINT),
        "frontstage": ("frontstage", _action("frontstage", "A visible action of an employee or system.")),
        "backstage": ("backstage", _action("backstage", "An invisible action behind the line of visibility.")),
        "support": ("support", _action("support", "A support process or system.")),
        "fail": ("fail_points", FAIL),
        "for": ("personas", PERSONA_VIEW),
    },
    translatable=("label", "description", "action"),
)

STAGE = Spec("stage", "stage", m.Stage, "A phase of the journey (orientation, purchase, use, change, leave).",
             attrs={**DESCRIPTION}, blocks={"step": ("steps", STEP)})

JOURNEY = Spec(
    "journey", "journey", m.Journey,
    "All actions a customer takes to reach a goal, in stages of steps.",
    attrs={
        **DESCRIPTION,
        "organisation": _a("ref", "organisation", "The organisation whose journey this is.", targets=("organisation",)),
        "organisations": _a("refs", "organisations", "The organisations that share this journey (a benchmark).",
                            targets=("organisation",)),
        "personas": _a("refs", "personas", "The personas who go through it.", targets=("persona",)),
        "goal": _a("text", "goal", "What the customer wants to reach."),
        "scale": _a("range", "scale", "The emotion scale of expected and target scores (default -3..3)."),
        "volume": _a("number", "volume", "Customers going through the journey per year.", low=0),
    },
    blocks={"stage": ("stages", STAGE)},
    translatable=("label", "description", "goal"),
)

ORGANISATION = Spec(
    "organisation", "organisation", m.Organisation, "A company or public body; several make a benchmark.",
    attrs={
        **DESCRIPTION,
        "sector": _a("word", "sector", "energy, telecom, banking, insurance, ..."),
        "locale": _a("word", "locale", "The main language of its texts, e.g. nl."),
        "locales": _a("words", "locales", "Every locale customer-facing output is made in."),
    },
)

STAKEHOLDER = Spec(
    "stakeholder", "stakeholder", m.Stakeholder, "A party: the customer, an internal department or an external party.",
    attrs={
        **DESCRIPTION,
        "kind": _a("choice", "kind", "customer, internal or external.", choices=("customer", "internal", "external"),
                   required=True),
        "organisation": _a("ref", "organisation", "The organisation it belongs to.", targets=("organisation",)),
        "role": _a("text", "role", "Its role towards the customer."),
    },
)

RELATION = Spec(
    "relation", "", m.Relation, "A directed relation `from -> to`: what flows from one party to the other.",
    name="relation", label="field:label",
    attrs={"flows": _a("flows", "flows", "money, information, service, trust, goods, data, or a text.")},
    translatable=("label",),
)

CHANNEL = Spec(
    "channel", "channel", m.Channel, "A way customers meet the organisation or a third party.",
    attrs={
        **DESCRIPTION,
        "kind": _a("choice", "kind", "The kind of channel.", choices=m.CHOICES["ChannelKind"], required=True),
        "ownership": _a("choice", "ownership", "own or third_party.", choices=("own", "third_party")),
        "operator": _a("ref", "operator", "The stakeholder running a third-party channel.", targets=("stakeholder",)),
    },
)

PERSONA = Spec(
    "persona", "persona", m.Persona, "A narrative profile of a customer segment.",
    attrs={
        **DESCRIPTION,
        "segment": _a("text", "segment", "The segment it stands for."),
        "context": _a("text", "context", "The persona's situation, as a story."),
        "quote": _a("text", "quote", "A typical thing this persona says."),
        "goal": _a("texts", "goals", "What the persona wants to achieve."),
        "ambition": _a("texts", "ambitions", "Longer-term ambitions."),
        "need": _a("texts", "needs", "Needs, \"I want ...\"."),
        "prefers": _a("refs", "channels", "Preferred channels.", targets=("channel",)),
        "share": _a("percent", "share", "Share of the customer base.", low=0, high=100),
    },
    translatable=("label", "description", "segment", "context", "quote"),
)


def _instrument(kind: str, doc: str, shorthand: str | None, attrs: dict) -> Spec:
    base = {"question": _a("text", "question", "The question as asked.")}
    return Spec(kind, "", m.Instrument, doc, name=f"default:{kind}", label="field:question",
                attrs={**base, **attrs}, shorthand=shorthand, extra={"kind": kind}, translatable=("question",))


INSTRUMENTS = {
    "valence": _instrument("valence", "How the customer felt, on a declared scale (e.g. -3..3 or 1..5).", "scale",
                           {"scale": _a("range", "scale", "The answer scale.")}),
    "emotions": _instrument("emotions", "Which emotions the customer felt: a named set (premo, panas) or a list.",
                            "items", {"set": _a("word", "set", "premo, panas or custom."),
                                      "items": _a("words", "items", "The emotions of a custom set.")}),
    "nps": _instrument("nps", "Net Promoter Score: likelihood to recommend, 0..10.", "question", {}),
    "ces": _instrument("ces", "Customer Effort Score: agreement 1..7 that it was easy.", "question", {}),
    "csat": _instrument("csat", "Customer satisfaction, 1..5 (top-2-box).", "question", {}),
    "question": _instrument("question", "A free question; the name is the item's name.", "question",
                            {"answer": _a("choice", "answer", "text, number or choice.",
                                          choices=("text", "number", "choice")),
                             "option": _a("texts", "options", "An answer option of a choice question.")}),
    "intents": _instrument("intents", "Behaviour intentions asked (call_again, complain, recommend, switch, ...).",
                           "items", {"items": _a("words", "items", "The intentions.")}),
}

WAVE = Spec(
    "wave", "", m.Wave,
    "A measurement wave: one round of fieldwork of the plan, with its own response files; written in time order.",
    attrs={
        **DESCRIPTION,
        "data": _a("texts", "data", "This wave's response files (CSV, Parquet, JSON), relative to the workspace.",
                   required=True, translatable=False),
        "period": _a("text", "period", "When this wave's fieldwork ran, e.g. \"2026-01 .. 2026-03\"."),
    },
)

MEASUREMENT = Spec(
    "measurement", "measurement", m.Measurement,
    "A measurement plan: what to ask, when, the KPI targets and where the answers are.",
    attrs={
        **DESCRIPTION,
        "journey": _a("ref", "journey", "The journey measured.", targets=("journey",), required=True),
        "sample": _a("samples", "samples", "Ask right after these touchpoints; `end` asks at the journey's end."),
        "kpi": _a("kpi", "kpis", "A target: `touchpoint.metric >= value`, or `metric >= value` for the journey; "
                  "`touchpoint.valence no worse than previous` holds it to the previous wave."),
        "data": _a("texts", "data", "Response files (CSV, Parquet, JSON), relative to the workspace.",
                   translatable=False),
        "locales": _a("words", "locales", "Languages the survey is asked in."),
        "period": _a("text", "period", "When the fieldwork runs."),
        "baseline": _a("word", "baseline", "The wave every later wave is compared with (default: the first)."),
    },
    blocks={**{k: ("instruments", v) for k, v in INSTRUMENTS.items()}, "wave": ("waves", WAVE)},
)

CX_MEMBER_DOC = "customer experience model"
CX_MODEL = Spec(
    "model", "model", m.CxModel,
    "The customer experience model: service elements -> emotions -> behaviours -> business impact.",
    attrs={
        **DESCRIPTION,
        "organisation": _a("ref", "organisation", "Whose model this is.", targets=("organisation",)),
    },
    blocks={
        "element": ("elements", Spec("element", "element", m.ServiceElement,
                                     "A service element the organisation controls.",
                                     attrs={**DESCRIPTION, "at": _a("refs", "at", "The touchpoints where it acts.",
                                                                    targets=TOUCHPOINT_LIKE)})),
        "emotion": ("emotions", Spec("emotion", "emotion", m.EmotionDef, "An emotion customers feel.",
                                     attrs={**DESCRIPTION, "valence": _a("choice", "valence", "positive, negative or neutral.",
                                                                         choices=("positive", "negative", "neutral"))})),
        "behaviour": ("behaviours", Spec("behaviour", "behaviour", m.Behaviour,
                                         "A behaviour or intention the emotions drive.", attrs={**DESCRIPTION})),
        "impact": ("impacts", Spec("impact", "impact", m.Impact, "A business impact: what a behaviour costs or earns.",
                                   attrs={**DESCRIPTION,
                                          "amount": _a("money", "amount", "The amount, with its currency."),
                                          "per": _a("word", "per", "What the amount is per (call, customer, year).")})),
        "link": ("links", Spec("link", "", m.CausalLink, "A causal link: `cause -> effect [-> ...]`.",
                               name="chain", label="none", shorthand="path",
                               attrs={"path": _a("chain", "path", "The chain."),
                                      "rate": _a("percent", "rate", "How often the cause leads to the effect.",
                                                 low=0, high=100),
                                      "strength": _a("number", "strength", "Strength of the effect, 0..1.", low=0, high=1),
                                      "note": _a("text", "note", "Evidence or source.")},
                               translatable=("note",))),
    },
)

TEASER = Spec(
    "teaser", "teaser", m.Teaser, "Simulation material that lets employees feel what customers feel.",
    attrs={
        **DESCRIPTION,
        "kind": _a("choice", "kind", "The kind of material.", choices=m.CHOICES["TeaserKind"], required=True),
        "imitates": _a("refs", "imitates", "The touchpoints or steps it imitates.", targets=TOUCHPOINT_LIKE),
        "pain": _a("text", "pain", "The pain it makes felt."),
        "audience": _a("refs", "audience", "The departments it is shown to.", targets=("stakeholder",)),
        "note": _a("texts", "notes", "Notes for whoever builds or runs it."),
        "subject": _a("text", "subject", "The subject line of the letter or e-mail, or the title of the page."),
        "content": _a("text", "content", "The material's own text as the customer gets it: the letter or e-mail body, "
                                         "the page copy, the phone script (one `Who: line` per line); paragraphs "
                                         "are separated by a blank line, [[a flawed passage]] is marked."),
    },
    translatable=("label", "description", "pain", "subject", "content"),
)

#: What an improvement changes at an existing step (the to-be journey, docs/language.md#the-to-be-journey).
STEP_CHANGE = Spec(
    "at", "", m.StepChange,
    "In an improvement: what it changes at an existing step: the touchpoints and actions it adds, the emotion "
    "expected once it is in place.",
    name="ref:step", label="none",
    attrs={"expected": _a("emotion", "expected", "The emotion expected at the step after the improvement.")},
    blocks={"touchpoint": ("touchpoints", TOUCHPOINT),
            "frontstage": ("frontstage", STEP.blocks["frontstage"][1]),
            "backstage": ("backstage", STEP.blocks["backstage"][1]),
            "support": ("support", STEP.blocks["support"][1])},
    translatable=(),
)

#: Steps an improvement adds to an existing stage.
STAGE_CHANGE = Spec(
    "in", "", m.StageChange,
    "In an improvement: the steps it adds to an existing stage, after a step of it or at its end.",
    name="ref:stage", label="none",
    attrs={"after": _a("ref", "after", "The step of the stage the new steps follow (default: the stage's end).",
                       targets=("step",))},
    blocks={"step": ("steps", STEP)},
    translatable=(),
)

INITIATIVE = Spec(
    "initiative", "initiative", m.Initiative, "A programme or project already running.",
    attrs={**DESCRIPTION,
           "owner": _a("ref", "owner", "Who runs it.", targets=OWNER),
           "status": _a("choice", "status", "Its status.", choices=m.CHOICES["ImprovementStatus"])},
)

IMPROVEMENT = Spec(
    "improvement", "improvement", m.Improvement, "A planned change to the experience.",
    attrs={
        **DESCRIPTION,
        "changes": _a("refs", "changes", "The touchpoints, steps or service elements it changes.",
                      targets=("touchpoint", "step", "stage", "element", "channel")),
        "effort": _a("number", "effort", "Effort, 1 (little) to 5 (a lot).", low=1, high=5),
        "impact": _a("number", "impact", "Expected impact, 1 to 5.", low=1, high=5),
        "confidence": _a("percent", "confidence", "Confidence in the impact.", low=0, high=100),
        "owner": _a("ref", "owner", "Who delivers it.", targets=OWNER),
        "horizon": _a("choice", "horizon", "quick_win, mid_term or long_term.", choices=m.CHOICES["Horizon"]),
        "status": _a("choice", "status", "idea, planned, in_progress, done or dropped.",
                     choices=m.CHOICES["ImprovementStatus"]),
        "kpi": _a("kpi", "kpis", "The KPI target that shows it worked."),
        "initiative": _a("refs", "initiatives", "Running initiatives it belongs to.", targets=("initiative",)),
    },
    blocks={"channel": ("channels", CHANNEL), "at": ("step_changes", STEP_CHANGE),
            "in": ("stage_changes", STAGE_CHANGE)},
)

TOP_LEVEL: dict[str, tuple[str, Spec]] = {
    "organisation": ("organisations", ORGANISATION),
    "stakeholder": ("stakeholders", STAKEHOLDER),
    "relation": ("relations", RELATION),
    "channel": ("channels", CHANNEL),
    "persona": ("personas", PERSONA),
    "journey": ("journeys", JOURNEY),
    "measurement": ("measurements", MEASUREMENT),
    "model": ("models", CX_MODEL),
    "teaser": ("teasers", TEASER),
    "improvement": ("improvements", IMPROVEMENT),
    "initiative": ("initiatives", INITIATIVE),
}


def all_specs() -> list[Spec]:
    """Every block spec, each once, in document order."""
    seen: list[Spec] = []

    def visit(spec: Spec) -> None:
        if any(s is spec for s in seen):
            return
        seen.append(spec)
        for _, child in spec.blocks.values():
            visit(child)

    for _, spec in TOP_LEVEL.values():
        visit(spec)
    return seen


#: PrEmo's 14 emotions and PANAS's 20 affects, usable by name without declaring them.
EMOTION_SETS = {
    "premo": ("desire", "satisfaction", "pride", "hope", "joy", "fascination", "admiration",
              "disgust", "dissatisfaction", "shame", "fear", "sadness", "boredom", "contempt"),
    "panas": ("interested", "distressed", "excited", "upset", "strong", "guilty", "scared", "hostile",
              "enthusiastic", "proud", "irritable", "alert", "ashamed", "inspired", "nervous", "determined",
              "attentive", "jittery", "active", "afraid"),
}

#: Metrics a KPI may name.
METRICS = ("valence", "valence_mean", "negative_share", "nps", "ces", "ces_mean", "csat", "n", "response_rate",
           "emotion_score")


#: the kind words a view's header may spell out: `for organisation x { }`, `for persona x { }`
VIEW_KINDS = ("organisation", "persona")
