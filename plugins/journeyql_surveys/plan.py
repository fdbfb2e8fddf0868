"""What a measurement asks, derived once from its plan and shared by the three survey outputs.

A :class:`SurveyPlan` is the survey without a platform: one :class:`Section`
per sampled touchpoint (in the journey's order), then an end section, each
with its :class:`Question` objects, every text already resolved for every
locale. The SurveyJS, XLSForm and HTML writers only translate it into their
format, so the three ask exactly the same, under the same question names
(``journeyql.measure.items``), with the same follow-up rules.

Where an instrument is asked:

* after each sampled touchpoint: valence, emotions, intents, CES, CSAT, and
  ``cause`` (the cause of the feeling, in the customer's words) when the plan
  asks valence or emotions;
* at the end (``j-...``): NPS and the plan's free questions, once;
* a plan that samples only ``end`` asks the touchpoint instruments there,
  about the journey as a whole (``j-valence``, ``j-emotion``, ...).

Follow-up questions (``cause``, the intents) are shown only when the answers
call for them: the valence is below the scale's midpoint, or an emotion was
named. Valence is required where every customer meets the touchpoint (no
``reach``, or 100%); a touchpoint some customers never meet can be skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeyql.measure.items import question_name
from journeyql.language.model import Instrument, Journey, Measurement, Touchpoint, Workspace
from journeyql import RenderError
from journeyql.language.schema import EMOTION_SETS

from . import words as w

#: Instruments asked right after a touchpoint, in the order they are asked.
TOUCHPOINT_KINDS = ("valence", "emotions", "intents", "ces", "csat")
#: Instruments asked once, about the journey as a whole.
JOURNEY_KINDS = ("nps", "question")
#: Fixed scales of the standard instruments (the field's conventions).
FIXED_SCALES = {"ces": (1, 7), "csat": (1, 5), "nps": (0, 10)}
#: Emotion intensity, 1 (a little) .. 5 (very strongly).
INTENSITY = (1, 5)
#: The most points a scale is shown as buttons; larger or fractional scales are a number field.
MAX_BUTTONS = 11

Texts = dict  # {locale: text}, one entry per survey locale


@dataclass(frozen=True)
class Option:
    """A row of a group question (an emotion, an intent) or an answer option of a choice question."""

    value: int | str  #: emotion/intent id, or the option's number (1-based) for a choice question
    text: Texts


@dataclass(frozen=True)
class FollowUp:
    """Show a question only when the valence is below ``midpoint`` or an emotion was named."""

    valence: str | None   #: name of the valence question, if the plan asks valence
    midpoint: float | None
    emotions: str | None  #: name of the emotion group question, if the plan asks emotions


@dataclass(frozen=True)
class Question:
    name: str                 #: the survey question name (``t-eindnota-valence``)
    touchpoint: str | None    #: the touchpoint's local id, None at the journey's end
    item: str                 #: the canonical item or group (``valence``, ``emotion``, ``question.oorzaak``)
    form: str                 #: scale | number | emotions | intents | text | choice
    text: Texts
    hint: Texts = field(default_factory=dict)
    low: float | None = None
    high: float | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    follow_up: FollowUp | None = None

    def member(self, value) -> str:
        """The question name of one named item of a group (``t-eindnota-emotion-joy``)."""
        return question_name(self.touchpoint, f"{self.item}.{value}")

    @property
    def whole_numbers(self) -> bool:
        return self.low is not None and float(self.low).is_integer() and float(self.high).is_integer()


@dataclass(frozen=True)
class Section:
    name: str                 #: ``touchpoint-<id>`` or ``end``
    touchpoint: str | None    #: the touchpoint's local id, None for the end
    title: Texts
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SurveyPlan:
    measurement: str
    journey: str
    organisation: str | None
    personas: tuple[str, ...]
    locales: tuple[str, ...]  #: the first is the survey's own language
    title: Texts
    intro: Texts
    thanks: Texts
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()  #: things the user should know (shown as warnings)
    #: the survey is one organisation's of a journey several share (``organisation`` says whose)
    per_organisation: bool = False

    @property
    def stem(self) -> str:
        """The survey's file name without its extension: the measurement id, and for one organisation of a
        shared journey ``<measurement>--<organisation>`` (``--`` is in no identifier, so no other survey's
        name can be the same, and the site's rule of file names scopes it to that organisation)."""
        return f"{self.measurement}--{self.organisation}" if self.per_organisation else self.measurement

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def locale(self) -> str:
        return self.locales[0]


def number(value: float) -> int | float:
    """A scale bound as JSON wants it: ``-3`` rather than ``-3.0``."""
    return int(value) if float(value).is_integer() else float(value)


def plans(workspace: Workspace, spec_locale: str, locales: tuple[str, ...]) -> list[SurveyPlan]:
    """One plan per measurement, sorted by measurement id; a measurement of a journey several organisations
    share (``organisations a, b``) gives one plan per organisation instead, in the journey's order of them."""
    found = []
    for m in sorted(workspace.measurements, key=lambda m: m.id):
        journey = workspace.get(m.journey)
        if isinstance(journey, Journey) and journey.shared:
            found += [plan(workspace, m, spec_locale, locales, organisation=o) for o in journey.organisations]
        else:
            found.append(plan(workspace, m, spec_locale, locales))
    return found


def plan(workspace: Workspace, measurement: Measurement, spec_locale: str, locales: tuple[str, ...], *,
         organisation: str | None = None) -> SurveyPlan:
    """The survey of ``measurement``; ``spec_locale`` is the language the spec is written in. With
    ``organisation``, the survey of that organisation's customers of a shared journey: asked from its view."""
    return _Planner(workspace, measurement, spec_locale, tuple(dict.fromkeys(measurement.locales or locales)),
                    organisation).plan()


class _Planner:
    def __init__(self, workspace: Workspace, measurement: Measurement, spec_locale: str, locales: tuple[str, ...],
                 organisation: str | None = None):
        self.ws, self.m, self.spec_locale = workspace, measurement, spec_locale
        self.locales = locales or (spec_locale,)
        journey = workspace.get(measurement.journey)
        if not isinstance(journey, Journey):
            raise RenderError(f"measurement `{measurement.id}` measures `{measurement.journey}`, which is not a journey")
        # the journey as written decides what the plan may sample; the survey asks from the view its
        # respondents go through: one organisation's labels, channels and reach, without what it skips
        self.shared = journey
        self.per_organisation = organisation is not None
        self.journey = journey.for_organisation(organisation) if organisation is not None else journey
        journey = self.journey
        organisation = workspace.get(journey.organisation) if journey.organisation else None
        self.organisation = organisation
        self.notes: list[str] = [f"no built-in survey texts for locale `{locale}`: English is used where the spec "
                                 f"has no text in it" for locale in self.locales if not w.has_words(locale)]

    # --- texts ---------------------------------------------------------------------

    def each(self, make) -> Texts:
        return {locale: make(locale) for locale in self.locales}

    def org(self, locale: str) -> str:
        if self.organisation is None:
            return w.words(locale)["us"]
        return self.organisation.text("label", locale) or self.organisation.id

    def word(self, key: str, locale: str) -> str:
        return w.words(locale)[key].replace("{organisation}", self.org(locale))

    def instrument_text(self, instrument: Instrument, key: str, locale: str) -> str:
        """The spec's text in ``locale``; else our default in that language; else the spec's own text."""
        translated = instrument.translations.get(locale, {}).get("question")
        if translated:
            return translated
        if instrument.question and locale == self.spec_locale:
            return instrument.question
        if w.has_words(locale) or not instrument.question:
            return self.word(key, locale)
        return instrument.question

    def member_text(self, kind: str, name: str, locale: str) -> str:
        """An emotion's or intent's name: the CX model's label, our translation, or the id made readable."""
        definition = self.definitions(kind).get(name)
        if definition is not None:
            translated = definition.translations.get(locale, {}).get("label")
            if translated:
                return translated
            if locale == self.spec_locale:
                return definition.label
        builtin = (w.emotion_name if kind == "emotion" else w.intent_name)(name, locale)
        if builtin:
            return builtin.replace("{organisation}", self.org(locale))
        return definition.label if definition is not None else w.humanise(name)

    def definitions(self, kind: str) -> dict:
        """Emotions or behaviours declared in the CX models; the journey's organisation's model first.

        Looked up once per plan (not once per question: there are as many models as organisations)."""
        cache = self.__dict__.setdefault("_definitions", {})
        if kind not in cache:
            models = sorted(self.ws.models, key=lambda m: (m.organisation != self.journey.organisation, m.id))
            if self.per_organisation:  # one organisation's survey never speaks another's words
                models = [m for m in models if m.organisation in (None, self.journey.organisation)]
            found: dict = {}
            for model in models:
                for definition in (model.emotions if kind == "emotion" else model.behaviours):
                    found.setdefault(definition.id, definition)
            cache[kind] = found
        return cache[kind]

    def scale_hint(self, low: float, high: float, key: str) -> Texts:
        def make(locale):
            return (w.words(locale)["scale_hint"].replace("{low}", f"{low:g}").replace("{high}", f"{high:g}")
                    .replace("{low_text}", self.word(f"{key}_low", locale))
                    .replace("{high_text}", self.word(f"{key}_high", locale)))
        return self.each(make)

    # --- the plan ------------------------------------------------------------------

    def plan(self) -> SurveyPlan:
        m = self.m
        if not m.instruments:
            raise RenderError(f"measurement `{m.id}` asks nothing: add an instrument "
                              "(valence, emotions, intents, ces, csat, nps or question)")
        if not m.samples:
            raise RenderError(f"measurement `{m.id}` never says when to ask: add `sample touchpoint, ...` "
                              "(right after those touchpoints) or `sample end`")
        self.check_instruments()
        pages = self.sampled_touchpoints()
        at_touchpoints = [i for i in m.instruments if i.kind in TOUCHPOINT_KINDS]
        at_end = [i for i in m.instruments if i.kind in JOURNEY_KINDS]
        samples_end = any(s.end for s in m.samples)

        sections = []
        if pages and at_touchpoints:
            for touchpoint in pages:
                sections.append(self.touchpoint_section(touchpoint, at_touchpoints))
        elif pages:
            self.notes.append(f"measurement `{m.id}` samples touchpoints but asks nothing there "
                              "(nps and free questions are asked once, at the end)")
        end_questions = []
        if not self.samples_touchpoints() and at_touchpoints:
            end_questions += self.experience_questions(None, at_touchpoints, required=True)
        end_questions += [self.journey_question(i) for i in at_end]
        if end_questions:
            if not samples_end:
                self.notes.append(f"measurement `{m.id}` does not sample `end`, but asks "
                                  + ", ".join(sorted({i.kind for i in at_end})) + " once, at the end of the survey")
            sections.append(Section("end", None, self.each(lambda loc: self.end_title(loc)), tuple(end_questions)))

        journey = self.journey
        return SurveyPlan(
            measurement=m.id, journey=journey.id, organisation=journey.organisation, personas=journey.personas,
            locales=self.locales, title=self.each(lambda loc: m.text("label", loc) or m.id),
            intro=self.each(lambda loc: self.word("intro", loc)), thanks=self.each(lambda loc: self.word("thanks", loc)),
            sections=tuple(sections), notes=tuple(self.notes), per_organisation=self.per_organisation)

    def end_title(self, locale: str) -> str:
        return self.word("end_title", locale) + ": " + (self.journey.text("label", locale) or self.journey.id)

    def check_instruments(self) -> None:
        seen: dict[str, Instrument] = {}
        for instrument in self.m.instruments:
            key = f"question {instrument.id}" if instrument.kind == "question" else instrument.kind
            if key in seen:
                raise RenderError(f"measurement `{self.m.id}` asks `{key}` twice (lines {seen[key].span.line} and "
                                  f"{instrument.span.line}): one survey question can have only one definition")
            seen[key] = instrument

    def samples_touchpoints(self) -> bool:
        """Whether the plan samples any touchpoint (of the journey as written: a touchpoint one organisation
        skips is still sampled, so its survey keeps the others' layout and asks nothing in its place)."""
        return any(key for sample in self.m.samples for key in sample.after)

    def sampled_touchpoints(self) -> list[Touchpoint]:
        """The sampled touchpoints the respondents meet, in the journey's order (the order customers meet them)."""
        sampled = [key for sample in self.m.samples for key in sample.after if key]
        own = {tp.key for tp in self.shared.touchpoints}
        for key in sampled:
            if key not in own:
                raise RenderError(f"measurement `{self.m.id}` samples `{key}`, which is not a touchpoint of its "
                                  f"journey `{self.journey.id}`")
        return [tp for tp in self.journey.touchpoints if tp.key in set(sampled)]

    def touchpoint_section(self, touchpoint: Touchpoint, instruments: list[Instrument]) -> Section:
        channel = self.ws.get(touchpoint.channel)

        def title(locale):
            label = touchpoint.text("label", locale) or touchpoint.id
            channel_label = channel.text("label", locale) if channel is not None else None
            return f"{label} ({channel_label})" if channel_label else label

        everyone = touchpoint.reach is None or touchpoint.reach >= 100
        questions = self.experience_questions(touchpoint.id, instruments, required=everyone)
        return Section(f"touchpoint-{touchpoint.id}", touchpoint.id, self.each(title), tuple(questions))

    def experience_questions(self, touchpoint: str | None, instruments: list[Instrument], *,
                             required: bool) -> list[Question]:
        """Valence, emotions, cause, intents, CES and CSAT after a touchpoint (or about the whole journey)."""
        by_kind = {i.kind: i for i in instruments}
        journey_level = touchpoint is None
        questions: list[Question] = []
        valence = emotions = None
        if "valence" in by_kind:
            valence = self.scale_question(touchpoint, "valence", by_kind["valence"],
                                          "valence_journey" if journey_level else "valence", required=required)
            questions.append(valence)
        if "emotions" in by_kind:
            emotions = self.emotion_question(touchpoint, by_kind["emotions"])
            questions.append(emotions)
        follow_up = None
        if valence is not None or emotions is not None:
            midpoint = (valence.low + valence.high) / 2 if valence is not None else None
            follow_up = FollowUp(valence.name if valence else None, midpoint, emotions.name if emotions else None)
            questions.append(Question(question_name(touchpoint, "cause"), touchpoint, "cause", "text",
                                      self.each(lambda loc: self.word("cause", loc)), follow_up=follow_up))
        if "intents" in by_kind:
            questions.append(self.intent_question(touchpoint, by_kind["intents"], follow_up))
        for kind in ("ces", "csat"):
            if kind in by_kind:
                key = "csat_journey" if kind == "csat" and journey_level else kind
                questions.append(self.scale_question(touchpoint, kind, by_kind[kind], key, required=False))
        return questions

    def scale_question(self, touchpoint, kind: str, instrument: Instrument, text_key: str, *,
                       required: bool) -> Question:
        if kind == "valence":
            scale = instrument.scale or self.journey.scale
            low, high = scale.low, scale.high
        else:
            low, high = FIXED_SCALES[kind]
        if not high > low:
            raise RenderError(f"the {kind} scale of measurement `{self.m.id}` runs from {low:g} to {high:g}: "
                              "the high end must be above the low end")
        buttons = float(low).is_integer() and float(high).is_integer() and high - low + 1 <= MAX_BUTTONS
        return Question(question_name(touchpoint, kind), touchpoint, kind, "scale" if buttons else "number",
                        self.each(lambda loc: self.instrument_text(instrument, text_key, loc)),
                        hint=self.scale_hint(low, high, kind), low=number(low), high=number(high), required=required)

    def emotion_question(self, touchpoint, instrument: Instrument) -> Question:
        if instrument.set and instrument.set not in EMOTION_SETS and instrument.set != "custom":
            raise RenderError(f"measurement `{self.m.id}` asks the emotion set `{instrument.set}`, which JourneyQL "
                              f"does not know: use {', '.join(sorted(EMOTION_SETS))} or list the emotions")
        names = EMOTION_SETS.get(instrument.set or "", ()) + tuple(instrument.items)
        names = tuple(dict.fromkeys(names))
        if not names:
            raise RenderError(f"the emotions of measurement `{self.m.id}` name no emotion: "
                              "write `emotions premo`, `emotions panas` or list them")
        options = tuple(Option(name, self.each(lambda loc, n=name: self.member_text("emotion", n, loc)))
                        for name in names)
        return Question(question_name(touchpoint, "emotion"), touchpoint, "emotion", "emotions",
                        self.each(lambda loc: self.instrument_text(instrument, "emotion", loc)),
                        hint=self.each(lambda loc: self.word("emotion_hint", loc)),
                        low=INTENSITY[0], high=INTENSITY[1], options=options)

    def intent_question(self, touchpoint, instrument: Instrument, follow_up: FollowUp | None) -> Question:
        names = tuple(dict.fromkeys(instrument.items))
        if not names:
            raise RenderError(f"the intents of measurement `{self.m.id}` name no intention: "
                              "list them, e.g. `intents call_again, complain, recommend, switch`")
        options = tuple(Option(name, self.each(lambda loc, n=name: self.member_text("intent", n, loc)))
                        for name in names)
        return Question(question_name(touchpoint, "intent"), touchpoint, "intent", "intents",
                        self.each(lambda loc: self.instrument_text(instrument, "intent", loc)), options=options,
                        follow_up=follow_up)

    def journey_question(self, instrument: Instrument) -> Question:
        if instrument.kind == "nps":
            return self.scale_question(None, "nps", instrument, "nps", required=True)
        if not instrument.question and not instrument.translations:
            raise RenderError(f"question `{instrument.id}` of measurement `{self.m.id}` has no text: "
                              f"write it after the name, e.g. `question {instrument.id} \"...\"`")
        text = self.each(lambda loc: instrument.translations.get(loc, {}).get("question") or instrument.question
                         or next(iter(t["question"] for t in instrument.translations.values() if "question" in t), ""))
        item = f"question.{instrument.id}"
        name = question_name(None, item)
        if instrument.answer == "choice":
            if not instrument.options:
                raise RenderError(f"question `{instrument.id}` of measurement `{self.m.id}` is a choice question "
                                  "without options: add `option \"...\"` lines")
            options = tuple(Option(n, self.each(lambda loc, o=option: o))
                            for n, option in enumerate(instrument.options, 1))
            return Question(name, None, item, "choice", text, options=options)
        if instrument.answer == "number":
            return Question(name, None, item, "number", text)
        return Question(name, None, item, "text", text)
