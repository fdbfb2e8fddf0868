"""The content of teaser material, as plain data for the templates, in one locale.

Templates get strings, lists and dicts only (no model objects), so a workspace
can restyle any teaser without knowing the model; every string is spec text or
one of :mod:`.words`, and the HTML templates escape all of it.
"""

from __future__ import annotations

import re

from .feelings import feeling_at, touchpoint_measured
from .scope import Plan, departments
from .voice import Voice

# --- who the teaser is about --------------------------------------------------------------------------

def choose_persona(voice: Voice, plan: Plan):
    """The persona the material is written for, and why (a word key).

    The persona named in the teaser's texts; else the one who feels worst in
    its steps; else the journey's first persona; else None (``the customer``).
    """
    workspace = voice.workspace
    personas = [p for p in (workspace.get(k) for k in plan.journey.personas) if p is not None]
    if not personas:
        return None, None
    teaser = plan.teaser
    if teaser is not None:
        said = " ".join(filter(None, [teaser.label, teaser.description, teaser.pain, *teaser.notes,
                                      *(t for texts in teaser.translations.values() for v in texts.values()
                                        for t in ((v,) if isinstance(v, str) else v))]))
        for persona in personas:
            names = {persona.id, persona.label.split(",")[0].strip()}
            if any(name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", said, re.IGNORECASE) for name in names):
                return persona, "persona_named"
    worst = None
    for index, persona in enumerate(personas):
        scores = [f.score for f in (feeling_at(s, voice.results, persona.id) for s in plan.steps)
                  if not f.skips and f.score is not None]
        if scores:
            key = (min(scores), index)
            if worst is None or key < worst[0]:
                worst = (key, persona)
    if worst is not None and len(personas) > 1:
        return worst[1], "persona_worst"
    return personas[0], "persona_first"


def persona_data(voice: Voice, persona) -> dict | None:
    if persona is None:
        return None
    return {"id": persona.id, "label": voice.label(persona), "name": voice.first_name(persona),
            "segment": voice.text(persona, "segment"), "context": voice.text(persona, "context"),
            "quote": voice.text(persona, "quote"), "goals": list(voice.texts(persona, "goals")),
            "needs": list(voice.texts(persona, "needs")),
            "ambitions": list(persona.ambitions), "channels": [voice.ref(c) for c in persona.channels]}


# --- steps and touchpoints -------------------------------------------------------------------------------

def touchpoint_data(voice: Voice, touchpoint) -> dict:
    channel = voice.workspace.get(touchpoint.channel)
    moment = touchpoint.moment
    measured = touchpoint_measured(touchpoint, voice.results)
    return {"key": touchpoint.key, "label": voice.label(touchpoint), "description": voice.text(touchpoint, "description"),
            "channel": voice.ref(touchpoint.channel), "channel_kind": getattr(channel, "kind", "other"),
            "owner": voice.ref(touchpoint.owner) if touchpoint.owner else voice.t["no_owner"],
            "moment": _moment(voice, touchpoint),
            "measured": voice.score(measured) if measured is not None else None}


def _moment(voice: Voice, holder) -> dict | None:
    """The moment of truth of a step or touchpoint, its text in the voice's locale."""
    moment = holder.moment
    if moment is None:
        return None
    return {"polarity": moment.polarity, "label": voice.t[moment.polarity], "text": voice.text(holder, "moment")}


def feeling_data(voice: Voice, journey, step, persona_id: str | None) -> dict:
    feeling = feeling_at(step, voice.results, persona_id)
    measured = None
    if feeling.measured is not None:
        measured = f"{voice.score(feeling.measured)} ({voice.t['measured_n'].format(n=feeling.measured_n)})"
    return {"expected": voice.emotion(feeling.expected), "measured": measured, "skips": feeling.skips,
            "score": feeling.score, "low": feeling.score is not None and journey.scale.normalise(feeling.score) < 0.5}


def step_data(voice: Voice, journey, step, persona_id: str | None, scope_keys: set[str],
              touchpoint_keys: set[str] | None = None) -> dict:
    stage = next(s for s in journey.stages if step in s.steps)
    view = next((v for v in step.personas if persona_id and v.persona == persona_id), None)
    touchpoints = [t for t in step.touchpoints if touchpoint_keys is None or t.key in touchpoint_keys] \
        or list(step.touchpoints)
    return {
        "key": step.key, "label": voice.label(step), "stage": voice.label(stage),
        "description": voice.text(step, "description"), "action": voice.text(step, "action"),
        "needs": list(voice.texts(step, "needs")), "expectations": list(voice.texts(step, "expectations")),
        "touchpoints": [touchpoint_data(voice, t) for t in touchpoints],
        "moment": _moment(voice, step),
        "fails": [voice.text(f, "text") for f in step.fail_points],
        "waits": [{"duration": voice.duration(w.duration.seconds), "seconds": w.duration.seconds, "text": text}
                  for w, text in zip(step.wait_points, voice.texts(step, "wait_points"))],
        "frontstage": [_action(voice, a) for a in step.frontstage],
        "backstage": [_action(voice, a) for a in step.backstage],
        "support": [_action(voice, a) for a in step.support],
        "systems": sorted({s for a in (*step.frontstage, *step.backstage, *step.support)
                           for s in voice.texts(a, "systems")}),
        "evidence": list(voice.texts(step, "evidence")),
        "feeling": feeling_data(voice, journey, step, persona_id),
        "persona_note": voice.text(view, "note") if view is not None else None,
        "in_scope": step.key in scope_keys,
    }


def _action(voice: Voice, action) -> dict:
    return {"text": voice.text(action, "text"), "owner": voice.ref(action.owner) if action.owner else None,
            "systems": list(voice.texts(action, "systems"))}


# --- the teaser itself ----------------------------------------------------------------------------------------

def teaser_data(voice: Voice, plan: Plan) -> dict:
    t = voice.t
    if plan.teaser is not None:
        teaser = plan.teaser
        label, pain = voice.label(teaser), voice.text(teaser, "pain")
        description, notes = voice.text(teaser, "description"), list(voice.texts(teaser, "notes"))
    else:
        # from the plan's own journey: for a shared journey, the organisation's view (its label)
        subject = next((x for x in (*plan.touchpoints, *plan.steps) if x.key == plan.subject), None) \
            or voice.workspace.get(plan.subject)
        label = t["proposed_label"].format(subject=voice.label(subject))
        holder = subject if getattr(subject, "moment", None) is not None else plan.steps[0]
        moment = holder.moment
        fails = plan.steps[0].fail_points
        pain = (voice.text(holder, "moment") if moment is not None and moment.polarity != "positive" and moment.text
                else voice.text(fails[0], "text") if fails else None)
        description, notes = None, []
    written = plan.teaser if plan.teaser is not None else None
    return {"id": plan.id, "label": label, "kind": plan.kind, "kind_label": t["kind_" + plan.kind],
            "pain": pain, "description": description, "notes": notes, "proposed": plan.proposed,
            # the material's own text, as the customer gets it (content.py)
            "subject": voice.text(written, "subject"), "content": voice.text(written, "content"),
            "reasons": [reason_text(voice, plan, r) for r in plan.reasons],
            "audience": [voice.ref(d) for d in departments(voice.workspace, plan)],
            "scope": [voice.label(t_) for t_ in plan.touchpoints] or [voice.label(s) for s in plan.steps]}


def reason_text(voice: Voice, plan: Plan, reason) -> str:
    values = dict(reason.values)
    t = voice.t
    if reason.code in ("reason_measured", "reason_expected"):
        return t[reason.code].format(score=voice.score(values["score"]), scale=voice.scale(plan.journey))
    if reason.code == "reason_gap":
        return t[reason.code].format(measured=voice.score(values["measured"]), expected=voice.score(values["expected"]))
    if reason.code == "reason_moment":
        moment = values["text"]
        polarity = t[values["polarity"]]
        where = voice.label(values["owner"])
        if moment.text:  # the owner is the step or touchpoint whose moment it is
            text = voice.text(values["owner"], "moment") if getattr(values["owner"], "moment", None) else moment.text
            return t["reason_moment"].format(polarity=polarity, text=f"{where}: {text}")
        return t["reason_moment"].format(polarity=polarity, text=where)
    return t[reason.code].format(text=voice.text(values["text"], "text"))


def page_data(voice: Voice, plan: Plan, persona, persona_reason: str | None) -> dict:
    """What every teaser template gets."""
    journey = plan.journey
    scope = {s.key for s in plan.steps}
    touchpoint_keys = {tp.key for tp in plan.touchpoints}
    persona_id = persona.id if persona is not None else None
    organisation = voice.workspace.get(journey.organisation) if journey.organisation else None
    steps = [step_data(voice, journey, s, persona_id, scope, touchpoint_keys) for s in journey.steps]
    return {
        "teaser": teaser_data(voice, plan),
        "journey": {"id": journey.id, "label": voice.label(journey), "goal": voice.text(journey, "goal"),
                    "scale": voice.scale(journey)},
        "organisation": voice.label(organisation) if organisation is not None else voice.label(journey),
        "persona": persona_data(voice, persona),
        "persona_reason": voice.t[persona_reason] if persona_reason else None,
        "steps": steps,
        "scope_steps": [s for s in steps if s["in_scope"]],
    }
