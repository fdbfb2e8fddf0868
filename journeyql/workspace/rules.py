"""The method's rules: what a CX lead wants CI to catch in a well-formed spec.

A rule is a function from the resolved :class:`Workspace` to diagnostics.
The built-in rules are registered here the same way a plugin registers its
own (see the ``register_rules`` hook), so both run alike in ``check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .. import diagnostics as d
from ..diagnostics import Diagnostic, Severity, did_you_mean
# the behaviour both the model plugins receive and the light classes of a cold `check` have (shapes.py):
# the core rules use attributes, these methods and these isinstance checks only
from ..language.shapes import Journey, Stage, Stakeholder, Step, Workspace
from ..language.schema import EMOTION_SETS, METRICS


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: Callable[[Workspace], Iterable[Diagnostic]]
    plugin: str | None = None


_CORE: list[Rule] = []


def rule(code: d.Code):
    def register(fn: Callable[[Workspace], Iterable[Diagnostic]]):
        _CORE.append(Rule(code.code, code.name, code.severity, code.summary, fn))
        return fn

    return register


def core_rules() -> list[Rule]:
    return list(_CORE)


def _added_touchpoints(ws: Workspace):
    """Touchpoints improvements add (the to-be journey): at existing steps and on the steps they add."""
    for improvement in ws.improvements:
        for change in improvement.step_changes:
            yield from change.touchpoints
        for change in improvement.stage_changes:
            for step in change.steps:
                yield from step.touchpoints


def _all_touchpoints(ws: Workspace):
    for journey in ws.journeys:
        yield from journey.touchpoints
    yield from _added_touchpoints(ws)


def _owned(ws: Workspace) -> Iterator[tuple[str, str | None, object]]:
    """(what, owner key, owning object) for everything that has an owner."""
    for journey in ws.journeys:
        for step in journey.steps:
            for tp in step.touchpoints:
                yield f"touchpoint `{tp.key}`", tp.owner, tp
                for view in tp.organisations:
                    if view.owner:
                        yield f"touchpoint `{tp.key}` at `{view.organisation}`", view.owner, view
            for action in (*step.frontstage, *step.backstage, *step.support):
                if action.owner:
                    yield f"an action of step `{step.key}`", action.owner, action
    for tp in _added_touchpoints(ws):
        yield f"touchpoint `{tp.key}`", tp.owner, tp
    for improvement in ws.improvements:
        if improvement.owner:
            yield f"improvement `{improvement.id}`", improvement.owner, improvement
    for initiative in ws.initiatives:
        if initiative.owner:
            yield f"initiative `{initiative.id}`", initiative.owner, initiative


@rule(d.TOUCHPOINT_OWNER)
def touchpoint_has_owner(ws: Workspace):
    shared = {tp.key for journey in ws.journeys if journey.organisations for tp in journey.touchpoints}
    for tp in _all_touchpoints(ws):
        if tp.key in shared:
            continue  # each sharing organisation needs its own owner: organisation-without-owner says which
        if tp.owner is None:
            yield Diagnostic.of(d.TOUCHPOINT_OWNER, f"touchpoint `{tp.id}` has no owner", tp.span,
                                "add `owner <internal stakeholder>`: customer experience that is everyone's is no one's")


@rule(d.OWNER_NOT_INTERNAL)
def owner_is_internal(ws: Workspace):
    for what, owner, obj in _owned(ws):
        party = ws.get(owner) if owner else None
        if isinstance(party, Stakeholder) and party.kind != "internal":
            yield Diagnostic.of(d.OWNER_NOT_INTERNAL,
                                f"{what} is owned by `{owner}`, {'a customer' if party.kind == 'customer' else 'an external party'}",
                                obj.span, "an owner is an internal department that can act on it")


def _scores(journey: Journey):
    for step in journey.steps:
        for label, emotion in (("expected", step.expected), ("target", step.target)):
            if emotion is not None:
                yield step, label, emotion
        for view in step.personas:
            for label, emotion in (("expected", view.expected), ("target", view.target)):
                if emotion is not None:
                    yield step, f"{label} for `{view.persona}`", emotion
        for view in step.organisations:
            for label, emotion in (("expected", view.expected), ("target", view.target)):
                if emotion is not None:
                    yield step, f"{label} for `{view.organisation}`", emotion


def _to_be_scores(ws: Workspace):
    """(journey, step, label, emotion) for every score an improvement states: added steps, changed steps."""
    for improvement in ws.improvements:
        for change in improvement.step_changes:
            journey, step = ws.journey_of(change.step), ws.get(change.step)
            if journey is not None and change.expected is not None and isinstance(step, Step):
                yield journey, step, f"to-be expected ({improvement.id})", change.expected
        for change in improvement.stage_changes:
            journey = ws.journey_of(change.stage)
            if journey is not None:
                for step in change.steps:
                    for label, emotion in (("expected", step.expected), ("target", step.target)):
                        if emotion is not None:
                            yield journey, step, label, emotion


@rule(d.SCORE_OUT_OF_SCALE)
def scores_on_scale(ws: Workspace):
    for journey, step, label, emotion in _to_be_scores(ws):
        if not journey.scale.contains(emotion.score):
            yield Diagnostic.of(d.SCORE_OUT_OF_SCALE,
                                f"{label} score {emotion.score:g} of step `{step.id}` is outside the journey's scale "
                                f"{journey.scale.low:g}..{journey.scale.high:g}", emotion.span,
                                "change the score or declare the journey's `scale`")
    for journey in ws.journeys:
        scale = journey.scale
        for step, label, emotion in _scores(journey):
            if not scale.contains(emotion.score):
                yield Diagnostic.of(d.SCORE_OUT_OF_SCALE,
                                    f"{label} score {emotion.score:g} of step `{step.id}` is outside the journey's scale "
                                    f"{scale.low:g}..{scale.high:g}", emotion.span,
                                    "change the score or declare the journey's `scale`")


def _scale(journey: Journey) -> str:
    return f"{journey.scale.low:g}..{journey.scale.high:g}"


@rule(d.MIXED_SCALES)
def pooled_scales_agree(ws: Workspace):
    """Persona, organisation and sector figures pool journeys; a raw mean across scales means nothing."""
    sector = {o.id: o.sector for o in ws.organisations}
    pools: dict[tuple[str, str], list[Journey]] = {}
    for journey in ws.journeys:
        for persona in journey.personas:
            pools.setdefault(("persona", persona), []).append(journey)
        for organisation in journey.organisation_ids:
            pools.setdefault(("organisation", organisation), []).append(journey)
            if sector.get(organisation):
                pools.setdefault(("sector", sector[organisation]), []).append(journey)
    reported = set()
    for (kind, key), journeys in pools.items():
        if len({(j.scale.low, j.scale.high) for j in journeys}) < 2:
            continue
        ids = frozenset(j.id for j in journeys)
        if kind == "sector" and ids in reported:
            continue  # the same journeys as an organisation already reported
        reported.add(ids)
        # a sector is written nowhere on its own: point at its first organisation
        found = ws.get(key) if kind != "sector" else next(o for o in ws.organisations if o.sector == key)
        span = getattr(found, "span", None) or journeys[0].span
        listed = ", ".join(f"{j.id} ({_scale(j)})" for j in journeys)
        yield Diagnostic.of(d.MIXED_SCALES, f"{kind} `{key}` pools journeys on different scales: {listed}; "
                            "its valence is reported as a 0-100 score", span,
                            "give the journeys one `scale`, or accept the score (`# jql-ignore: mixed-scales`)")


@rule(d.INSTRUMENT_SCALE)
def instrument_scale_matches(ws: Workspace):
    for measurement in ws.measurements:
        journey = ws.get(measurement.journey) if measurement.journey else None
        if not isinstance(journey, Journey):
            continue
        for instrument in measurement.instruments:
            scale = instrument.scale
            if instrument.kind != "valence" or scale is None:
                continue
            if (scale.low, scale.high) != (journey.scale.low, journey.scale.high):
                yield Diagnostic.of(d.INSTRUMENT_SCALE,
                                    f"the valence scale {scale.low:g}..{scale.high:g} of measurement `{measurement.id}` "
                                    f"differs from its journey `{journey.id}`'s {_scale(journey)}: answers are mapped "
                                    "onto the journey's scale", instrument.span,
                                    "ask valence on the journey's scale, or accept the mapping")


@rule(d.UNUSED_PERSONA)
def persona_used(ws: Workspace):
    used = {p for j in ws.journeys for p in j.personas}
    used |= {v.persona for j in ws.journeys for s in j.steps for v in s.personas}
    for persona in ws.personas:
        if persona.id not in used:
            yield Diagnostic.of(d.UNUSED_PERSONA, f"persona `{persona.id}` is in no journey", persona.span,
                                "add it to a journey's `personas`, or remove it")


@rule(d.UNUSED_CHANNEL)
def channel_used(ws: Workspace):
    # a channel only the plan's to-be touchpoints use is used: the plan introduces it
    used = {tp.channel for tp in _all_touchpoints(ws)}
    used |= {v.channel for j in ws.journeys for tp in j.touchpoints for v in tp.organisations if v.channel}
    for channel in (*ws.channels, *(c for i in ws.improvements for c in i.channels)):
        if channel.id not in used:
            yield Diagnostic.of(d.UNUSED_CHANNEL, f"channel `{channel.id}` is used by no touchpoint", channel.span)


@rule(d.UNMEASURED_MOMENT)
def moments_measured(ws: Workspace):
    sampled = {tp for m in ws.measurements for s in m.samples for tp in s.after}
    for journey in ws.journeys:
        for step in journey.steps:
            if step.moment is not None and not any(tp.key in sampled for tp in step.touchpoints):
                yield Diagnostic.of(d.UNMEASURED_MOMENT,
                                    f"moment of truth `{step.id}` is sampled by no measurement plan", step.moment.span,
                                    "add one of its touchpoints to a measurement's `sample`")
            for tp in step.touchpoints:
                if tp.moment is not None and tp.key not in sampled:
                    yield Diagnostic.of(d.UNMEASURED_MOMENT,
                                        f"moment of truth at touchpoint `{tp.id}` is sampled by no measurement plan",
                                        tp.moment.span, f"add `{tp.id}` to a measurement's `sample`")


@rule(d.IMPROVEMENT_CHANGES_NOTHING)
def improvement_changes_something(ws: Workspace):
    for improvement in ws.improvements:
        if not (improvement.changes or improvement.step_changes or improvement.stage_changes):
            yield Diagnostic.of(d.IMPROVEMENT_CHANGES_NOTHING, f"improvement `{improvement.id}` changes nothing",
                                improvement.span, "say what it changes: `changes touchpoint_or_element, ...`")


@rule(d.OUTSIDE_JOURNEY)
def added_steps_follow_their_stage(ws: Workspace):
    """`in stage { after step ... }`: the step they follow is one of that stage."""
    for improvement in ws.improvements:
        for change in improvement.stage_changes:
            stage = ws.get(change.stage)
            if change.after is None or not hasattr(stage, "steps"):
                continue
            if change.after not in {s.key for s in stage.steps} | _added_in(ws, change.stage):
                yield Diagnostic.of(d.OUTSIDE_JOURNEY,
                                    f"`after {change.after.split('.', 1)[-1]}`: that step is not in stage "
                                    f"`{stage.id}`", change.span,
                                    "name a step of the stage, or leave `after` out to add the steps at its end")


def _added_in(ws: Workspace, stage_key: str) -> set[str]:
    return {s.key for i in ws.improvements for c in i.stage_changes if c.stage == stage_key for s in c.steps}


_LEVEL = {"ServiceElement": 0, "EmotionDef": 1, "Behaviour": 2, "Impact": 3}
_LEVEL_WORD = {0: "a service element", 1: "an emotion", 2: "a behaviour", 3: "a business impact"}


@rule(d.CX_LINK_DIRECTION)
def links_run_forward(ws: Workspace):
    for model in ws.models:
        for link in model.links:
            for cause, effect in zip(link.path, link.path[1:]):
                a, b = ws.get(cause), ws.get(effect)
                la, lb = _LEVEL.get(type(a).__name__), _LEVEL.get(type(b).__name__)
                if la is not None and lb is not None and lb < la:
                    yield Diagnostic.of(d.CX_LINK_DIRECTION,
                                        f"`{cause} -> {effect}` runs backwards: {_LEVEL_WORD[la]} cannot cause {_LEVEL_WORD[lb]}",
                                        link.span, "the chain runs service element -> emotion -> behaviour -> business impact")


@rule(d.CX_MODEL_CYCLE)
def model_has_no_cycle(ws: Workspace):
    for model in ws.models:
        edges: dict[str, list[tuple[str, object]]] = {}
        for link in model.links:
            for cause, effect in zip(link.path, link.path[1:]):
                edges.setdefault(cause, []).append((effect, link))
        state: dict[str, int] = {}
        reported: set[frozenset] = set()
        for start in sorted(edges):
            if state.get(start):
                continue
            # iterative depth-first search; a grey node met again closes a cycle
            stack = [(start, iter(edges.get(start, ())))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                for child, link in children:
                    if state.get(child) == 1:
                        cycle = path[path.index(child):] + [child]
                        key = frozenset(cycle)
                        if key not in reported:
                            reported.add(key)
                            yield Diagnostic.of(d.CX_MODEL_CYCLE,
                                                f"the causal chain loops: {' -> '.join(cycle)}", link.span,
                                                "a cause cannot be its own effect; remove one link")
                    elif not state.get(child):
                        state[child] = 1
                        path.append(child)
                        stack.append((child, iter(edges.get(child, ()))))
                        break
                else:
                    state[node] = 2
                    stack.pop()
                    path.pop()


@rule(d.EMPTY_JOURNEY)
def journey_has_steps(ws: Workspace):
    for journey in ws.journeys:
        if not journey.stages:
            yield Diagnostic.of(d.EMPTY_JOURNEY, f"journey `{journey.id}` has no stages", journey.span,
                                "add `stage name \"Label\" { step ... }`")
        for stage in journey.stages:
            if not stage.steps:
                yield Diagnostic.of(d.EMPTY_JOURNEY, f"stage `{stage.id}` has no steps", stage.span)


@rule(d.JOURNEY_WITHOUT_PERSONA)
def journey_has_persona(ws: Workspace):
    for journey in ws.journeys:
        if not journey.personas:
            yield Diagnostic.of(d.JOURNEY_WITHOUT_PERSONA, f"journey `{journey.id}` names no persona", journey.span,
                                "add `personas persona_name`: each persona has its own journey")


@rule(d.UNKNOWN_EMOTION)
def emotions_known(ws: Workspace):
    known = {e.id for model in ws.models for e in model.emotions}
    for measurement in ws.measurements:
        for instrument in measurement.instruments:
            if instrument.kind == "emotions":
                known |= set(EMOTION_SETS.get(instrument.set or "", ())) | set(instrument.items)
    if not known:
        return
    stated = [(step, label, emotion) for journey in ws.journeys for step, label, emotion in _scores(journey)]
    stated += [(step, label, emotion) for _journey, step, label, emotion in _to_be_scores(ws)]
    for step, label, emotion in stated:
        for name in emotion.emotions:
            if name not in known:
                yield Diagnostic.of(d.UNKNOWN_EMOTION,
                                    f"emotion `{name}` ({label} at step `{step.id}`) is declared by no emotion set "
                                    "or customer experience model", emotion.span, did_you_mean(name, known))


@rule(d.MEASUREMENT_WITHOUT_SAMPLING)
def measurement_samples(ws: Workspace):
    for measurement in ws.measurements:
        if not measurement.samples:
            yield Diagnostic.of(d.MEASUREMENT_WITHOUT_SAMPLING,
                                f"measurement `{measurement.id}` never says when to ask", measurement.span,
                                "add `sample touchpoint, ...` (right after those touchpoints) or `sample end`")
        elif not measurement.instruments:
            yield Diagnostic.of(d.MEASUREMENT_WITHOUT_SAMPLING,
                                f"measurement `{measurement.id}` asks nothing", measurement.span,
                                "add an instrument: valence, emotions, nps, ces, csat, intents or question")


_METRIC_NEEDS = {"nps": "nps", "ces": "ces", "ces_mean": "ces", "csat": "csat", "valence": "valence",
                 "valence_mean": "valence", "negative_share": "valence", "emotion_score": "emotions"}


@rule(d.UNKNOWN_METRIC)
def kpi_metrics_known(ws: Workspace):
    for measurement in ws.measurements:
        kinds = {i.kind for i in measurement.instruments}
        for kpi in measurement.kpis:
            if kpi.metric not in METRICS:
                yield Diagnostic.of(d.UNKNOWN_METRIC, f"`{kpi.metric}` is not a metric JourneyQL computes", kpi.span,
                                    did_you_mean(kpi.metric, METRICS) or "metrics: " + ", ".join(METRICS))
            elif _METRIC_NEEDS.get(kpi.metric) and _METRIC_NEEDS[kpi.metric] not in kinds:
                yield Diagnostic.of(d.UNKNOWN_METRIC,
                                    f"KPI on `{kpi.metric}`, but measurement `{measurement.id}` asks no "
                                    f"`{_METRIC_NEEDS[kpi.metric]}` question", kpi.span)
    for improvement in ws.improvements:
        for kpi in improvement.kpis:
            if kpi.metric not in METRICS:
                yield Diagnostic.of(d.UNKNOWN_METRIC, f"`{kpi.metric}` is not a metric JourneyQL computes", kpi.span,
                                    did_you_mean(kpi.metric, METRICS) or "metrics: " + ", ".join(METRICS))


#: The metrics the waves are compared on (journeyql.measure.trends), so `no worse than previous` can hold them.
COMPARED_METRICS = ("valence", "valence_mean")


@rule(d.KPI_WITHOUT_WAVES)
def relative_kpis_have_a_previous_wave(ws: Workspace):
    for measurement in ws.measurements:
        if not measurement.waves:
            for kpi in measurement.kpis:
                if kpi.since == "previous":
                    yield Diagnostic.of(d.KPI_WITHOUT_WAVES, f"`no worse than previous`, but measurement "
                                        f"`{measurement.id}` has no waves: there is no previous measurement",
                                        kpi.span, "add `wave` blocks, or write a fixed target like `>= 0`")
    for improvement in ws.improvements:
        for kpi in improvement.kpis:
            if kpi.since == "previous":
                yield Diagnostic.of(d.KPI_WITHOUT_WAVES, f"improvement `{improvement.id}`: `no worse than previous` "
                                    "belongs in a measurement plan with waves", kpi.span,
                                    "write the target the improvement should reach, like `>= 1`")


@rule(d.KPI_NOT_COMPARED)
def relative_kpis_are_compared(ws: Workspace):
    for measurement in ws.measurements:
        for kpi in measurement.kpis:
            if kpi.since != "previous" or kpi.metric not in METRICS:
                continue  # an unknown metric is JQL314's
            if kpi.metric not in COMPARED_METRICS:
                yield Diagnostic.of(d.KPI_NOT_COMPARED, f"`{kpi.metric}` is not compared between waves; "
                                    "`no worse than previous` holds valence", kpi.span,
                                    f"write `valence no worse than previous`, or a fixed target like "
                                    f"`{kpi.metric} >= ...`")
            elif kpi.subject is not None and isinstance(ws.get(kpi.subject), Stage):
                yield Diagnostic.of(d.KPI_NOT_COMPARED, f"stage `{kpi.subject}` is not compared between waves "
                                    "(its touchpoints, steps and the journey are)", kpi.span,
                                    "hold one of its steps, or the journey, to the previous wave")


@rule(d.STEP_WITHOUT_TOUCHPOINT)
def step_has_touchpoint(ws: Workspace):
    for journey in ws.journeys:
        for step in journey.steps:
            if not step.touchpoints:
                yield Diagnostic.of(d.STEP_WITHOUT_TOUCHPOINT, f"step `{step.id}` has no touchpoint", step.span)


def _is_moment(step: Step) -> bool:
    return step.moment is not None or any(tp.moment is not None for tp in step.touchpoints)


@rule(d.MISSING_TARGET)
def moments_have_targets(ws: Workspace):
    for journey in ws.journeys:
        for step in journey.steps:
            if _is_moment(step) and step.expected is not None and step.target is None:
                yield Diagnostic.of(d.MISSING_TARGET, f"moment of truth `{step.id}` has no target emotion",
                                    step.expected.span, "add `target <score>`: what should the customer feel?")


@rule(d.STAKEHOLDER_WITHOUT_RELATION)
def stakeholder_in_map(ws: Workspace):
    related = {r.source for r in ws.relations} | {r.target for r in ws.relations}
    if not ws.relations:
        return
    for stakeholder in ws.stakeholders:
        if stakeholder.id not in related:
            yield Diagnostic.of(d.STAKEHOLDER_WITHOUT_RELATION,
                                f"stakeholder `{stakeholder.id}` is in no relation of the stakeholder map",
                                stakeholder.span)


@rule(d.MISSING_TRANSLATION)
def labels_translated(ws: Workspace):
    """Every text a person reads (labels, descriptions, needs, moments, roles, ... of every construct)
    is given in each further locale of its organisation: found through the schema, so a new text
    attribute is covered without being named here."""
    from ..language.shapes import Organisation, text_in
    from ..language.schema import TOP_LEVEL

    def further(org) -> list[str]:
        if org is None:
            return []
        return [loc for loc in (org.locales or ()) if loc != (org.locale or ws.locale)]

    every = list(dict.fromkeys(loc for org in ws.organisations for loc in further(org)))

    def locales_of(item, inherited):
        owner = getattr(item, "organisation", None)
        if isinstance(owner, str) and isinstance(ws.get(owner), Organisation):
            return further(ws.get(owner))
        return inherited

    def missing_in(item, spec, locales):
        gaps: dict[str, list[str]] = {}
        translations = getattr(item, "translations", None) or {}
        for keyword, attr in spec.texts.items():
            written = text_in(item, attr.field, None)
            if not written or (isinstance(written, tuple) and not any(written)):
                continue
            for locale in locales:
                given = translations.get(locale, {}).get(attr.field)
                if isinstance(written, tuple):
                    count = sum(1 for n, text in enumerate(written) if text and (given is None or n >= len(given)))
                    if count:
                        gaps.setdefault(locale, []).append(keyword)
                elif given is None:
                    gaps.setdefault(locale, []).append(keyword)
        return gaps

    def visit(item, spec, locales):
        locales = locales_of(item, locales)
        if locales:
            gaps = missing_in(item, spec, locales)
            if gaps:
                locale, keywords = next(iter(gaps.items()))
                name = getattr(item, "key", None) or getattr(item, "id", None)
                what = f"`{name}`" if name else f"this `{spec.keyword}`"
                yield Diagnostic.of(d.MISSING_TRANSLATION,
                                    f"{what} has no {', '.join(gaps)} text for "
                                    f"{', '.join(f'`{k}`' for k in keywords)}", item.span,
                                    f'add `{keywords[0]}.{locale} "..."`')
        for _keyword, (field, child) in spec.blocks.items():
            for part in getattr(item, field, ()) or ():
                yield from visit(part, child, locales)

    for field, spec in TOP_LEVEL.values():
        for item in getattr(ws, field):
            yield from visit(item, spec, every)


@rule(d.OUTSIDE_WORKSPACE)
def data_paths_stay_inside(ws: Workspace):
    """`data` names files of the workspace: never a pattern, an absolute path or a way out of it."""
    from .confine import data_path_problem

    for measurement in ws.measurements:
        for name in measurement.all_data:
            problem = data_path_problem(name, ws.root)
            if problem is not None:
                yield Diagnostic.of(d.OUTSIDE_WORKSPACE, f"response file `{name}` is not read: {problem}",
                                    measurement.span, "name a file inside the workspace, relative to its root")


# --- measurement waves -------------------------------------------------------------------------------

def _wave_problems(ws: Workspace):
    """Every finding about the waves of the measurement plans (see docs/language.md#wave)."""
    from pathlib import Path

    from .confine import data_path_problem

    for measurement in ws.measurements:
        where = f"measurement `{measurement.id}`"
        if not measurement.waves:
            if measurement.baseline is not None:
                yield Diagnostic.of(d.UNKNOWN_BASELINE, f"{where} names a baseline but has no waves",
                                    measurement.span, "add `wave name { data \"...\" }` blocks, or drop `baseline`")
            continue
        if measurement.data:
            yield Diagnostic.of(d.WAVE_DATA, f"{where} has waves and also plan-wide `data`: whose wave are those "
                                f"answers?", measurement.span, "move each file into the `wave` it belongs to")
        seen: dict[str, object] = {}
        files: dict[str, str] = {}
        # a text parsed from memory (`journeyql.parse`) has no folder its files could be relative to
        on_disk = Path(measurement.span.path).is_file()
        for wave in measurement.waves:
            if wave.id in seen:
                yield Diagnostic.of(d.DUPLICATE_WAVE, f"{where} has two waves named `{wave.id}`", wave.span,
                                    "give each round of fieldwork its own name",
                                    related=(("the first is here", seen[wave.id].span),))
                continue
            seen[wave.id] = wave
            for name in wave.data:
                if name in files:
                    yield Diagnostic.of(d.WAVE_DATA, f"response file `{name}` is named by waves `{files[name]}` and "
                                        f"`{wave.id}`: an answer belongs to one wave", wave.span,
                                        "each wave names the files of its own fieldwork")
                    continue
                files[name] = wave.id
                if on_disk and data_path_problem(name, ws.root) is None and not (Path(ws.root) / name).is_file():
                    yield Diagnostic.of(d.WAVE_DATA_MISSING, f"wave `{wave.id}` of {where}: response file `{name}` "
                                        "not found", wave.span,
                                        "a wave is declared once its answers are in; check the path "
                                        "(relative to the workspace root)")
        if measurement.baseline is not None and measurement.baseline not in seen:
            yield Diagnostic.of(d.UNKNOWN_BASELINE, f"baseline `{measurement.baseline}` is not a wave of {where}",
                                measurement.span, did_you_mean(measurement.baseline, list(seen))
                                or "waves: " + ", ".join(seen))
        dated = [(wave, _period_start(wave.period)) for wave in measurement.waves]
        dated = [(wave, start) for wave, start in dated if start is not None]
        for (before, start_before), (after, start_after) in zip(dated, dated[1:]):
            if start_after < start_before:
                yield Diagnostic.of(d.WAVES_OUT_OF_ORDER, f"wave `{after.id}` ({after.period}) starts before wave "
                                    f"`{before.id}` ({before.period}), which is written above it", after.span,
                                    "write the waves in time order: the last one is the latest, and changes are "
                                    "measured from each wave to the next")


def _period_start(period: str | None) -> tuple[int, int, int] | None:
    """When a period starts, if it starts with a date: `2026-03`, `2026-03-15`, `2026q1`, `2026 Q2`."""
    import re

    if not period:
        return None
    found = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?|\s*[qQ]([1-4]))?(?!\d)", period)
    if found is None:
        return None
    year, month, day, quarter = found.groups()
    if quarter:
        return int(year), 3 * (int(quarter) - 1) + 1, 1
    return int(year), int(month or 1), int(day or 1)


for _code in (d.DUPLICATE_WAVE, d.WAVE_DATA, d.WAVE_DATA_MISSING, d.UNKNOWN_BASELINE, d.WAVES_OUT_OF_ORDER):
    def _one_code(ws: Workspace, _wanted=_code.code):
        return [found for found in _wave_problems(ws) if found.code == _wanted]

    _one_code.__doc__ = _code.summary
    rule(_code)(_one_code)


# The benchmark's rules register themselves with `rule` above; imported last, as they import it.
from . import organisation_rules  # noqa: E402,F401
