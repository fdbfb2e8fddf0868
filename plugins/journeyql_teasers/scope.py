"""What a teaser is about: the journey, the steps and the touchpoints it imitates.

A declared teaser names touchpoints, steps, stages or journeys in ``imitates``;
a teaser that names keys of two journeys becomes material in both, each with
that journey's part. A teaser that imitates nothing covers its whole journey
(and then belongs to every journey, since it did not say which).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeyql.language.model import Journey, Stage, Step, Teaser, Touchpoint, Workspace


@dataclass(frozen=True)
class Reason:
    """Why a teaser was proposed: a code of :data:`words.WORDS` (``reason_*``) and its values."""

    code: str
    values: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Plan:
    """One piece of teaser material to make, declared in the spec or proposed."""

    id: str                              #: the teaser id, or ``proposed-<step>`` for a proposal
    kind: str                            #: a model.TeaserKind
    journey: Journey
    steps: tuple[Step, ...]              #: the steps in scope, in journey order
    touchpoints: tuple[Touchpoint, ...]  #: the touchpoints in scope, in journey order
    teaser: Teaser | None = None         #: None for a proposal
    subject: str | None = None           #: the key of the worst moment a proposal is about
    reasons: tuple[Reason, ...] = field(default=())
    organisation: str | None = None      #: whose material it is, for a journey several organisations share

    @property
    def proposed(self) -> bool:
        return self.teaser is None

    @property
    def file_stem(self) -> str:
        # `index` would overwrite the journey's index page; a hyphen can never be in a spec identifier
        return "index-teaser" if self.id == "index" else self.id


def declared_plans(workspace: Workspace, journey: Journey) -> list[Plan]:
    """The spec's teasers that concern ``journey``, in spec order."""
    plans = []
    for teaser in workspace.teasers:
        if not teaser.imitates:
            steps, touchpoints = journey.steps, journey.touchpoints
        else:
            # by id: ``journey`` may be one organisation's view of a shared journey (a copy of it)
            keys = [k for k in teaser.imitates if getattr(workspace.journey_of(k), "id", None) == journey.id
                    or k == journey.id]
            if not keys:
                continue
            steps, touchpoints = _scope(workspace, journey, keys)
        plans.append(Plan(teaser.id, teaser.kind, journey, steps, touchpoints, teaser=teaser))
    return plans


def _scope(workspace: Workspace, journey: Journey, keys: list[str]) -> tuple[tuple[Step, ...], tuple[Touchpoint, ...]]:
    step_keys: set[str] = set()
    touchpoint_keys: set[str] = set()
    for key in keys:
        found = workspace.get(key)
        if isinstance(found, Journey):
            step_keys.update(s.key for s in found.steps)
            touchpoint_keys.update(t.key for t in found.touchpoints)
        elif isinstance(found, Stage):
            step_keys.update(s.key for s in found.steps)
            touchpoint_keys.update(t.key for s in found.steps for t in s.touchpoints)
        elif isinstance(found, Step):
            step_keys.add(found.key)
            touchpoint_keys.update(t.key for t in found.touchpoints)
        elif isinstance(found, Touchpoint):
            touchpoint_keys.add(found.key)
            step_keys.update(s.key for s in journey.steps if any(t.key == found.key for t in s.touchpoints))
    steps = tuple(s for s in journey.steps if s.key in step_keys)
    touchpoints = tuple(t for t in journey.touchpoints if t.key in touchpoint_keys)
    return steps, touchpoints


def step_of(journey: Journey, touchpoint: Touchpoint) -> Step | None:
    return next((s for s in journey.steps if touchpoint in s.touchpoints), None)


def departments(workspace: Workspace, plan: Plan) -> tuple[str, ...]:
    """Who should feel this teaser: its audience, then the owners of the touchpoints it imitates.

    Owners are added when they are internal departments; a step without touchpoint owners falls
    back to the owners of its actions, so a proposal always names someone when the spec does.
    An organisation's material of a shared journey (``plan.organisation``) names only its own
    departments and nobody's, never another organisation's.
    """
    from .organisations import ours

    return tuple(d for d in _departments(workspace, plan) if ours(workspace, plan.organisation, d))


def _departments(workspace: Workspace, plan: Plan) -> tuple[str, ...]:
    found: list[str] = list(plan.teaser.audience) if plan.teaser else []
    owners = [t.owner for t in plan.touchpoints if t.owner]
    if not owners and not found:
        owners = [a.owner for s in plan.steps for a in (*s.frontstage, *s.backstage, *s.support) if a.owner]
    for owner in owners:
        stakeholder = workspace.get(owner)
        if owner not in found and getattr(stakeholder, "kind", None) == "internal":
            found.append(owner)
    return tuple(found)
