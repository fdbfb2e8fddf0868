"""Where an improvement acts: the touchpoints behind what it changes, their journeys and reach."""

from __future__ import annotations

from journeyql.language.model import Channel, Journey, ServiceElement, Stage, Step, Touchpoint, Workspace

from .priority import Reach


def touchpoints_of(workspace: Workspace, keys) -> tuple[str, ...]:
    """Touchpoint keys behind changed keys: a touchpoint itself, a step's or stage's touchpoints,
    where a service element acts, or every touchpoint of a channel. Sorted, no duplicates."""
    found: set[str] = set()
    for key in keys:
        item = workspace.get(key)
        if isinstance(item, Touchpoint):
            found.add(item.key)
        elif isinstance(item, Step):
            found.update(tp.key for tp in item.touchpoints)
        elif isinstance(item, Stage):
            found.update(tp.key for step in item.steps for tp in step.touchpoints)
        elif isinstance(item, ServiceElement):
            found.update(k for k in item.at if isinstance(workspace.get(k), Touchpoint))
        elif isinstance(item, Channel):
            found.update(tp.key for j in workspace.journeys for tp in j.touchpoints if tp.channel == item.id)
    return tuple(sorted(found))


def journeys_of(workspace: Workspace, touchpoints) -> tuple[str, ...]:
    return tuple(sorted({j.id for j in (workspace.journey_of(k) for k in touchpoints) if j is not None}))


def touchpoint_reach(workspace: Workspace, key: str) -> Reach:
    """The customers per year (volume x reach) and share who meet one touchpoint; 100% when reach is not stated."""
    tp = workspace.get(key)
    journey: Journey | None = workspace.journey_of(key)
    declared = isinstance(tp, Touchpoint) and tp.reach is not None
    share = (tp.reach / 100.0) if declared else 1.0
    customers = journey.volume * share if journey is not None and journey.volume else None
    return Reach(share, customers, "declared" if declared else "default")


def reach_of(workspace: Workspace, touchpoints, journeys) -> Reach:
    """An improvement's reach: its most-met touchpoint (customers meeting several are counted once,
    so the largest single touchpoint is the safe lower bound). Without touchpoints: 100%."""
    reaches = [touchpoint_reach(workspace, k) for k in touchpoints]
    if not reaches:
        volumes = [workspace.get(j).volume for j in journeys]
        customers = sum(volumes) if volumes and all(volumes) else None
        return Reach(1.0, customers, "default")
    if all(r.customers is not None for r in reaches):
        best = max(reaches, key=lambda r: (r.customers, r.share))
    else:
        best = max(reaches, key=lambda r: r.share)
        best = Reach(best.share, None, best.origin)
    return best


def step_of(workspace: Workspace, touchpoint_key: str) -> Step | None:
    journey = workspace.journey_of(touchpoint_key)
    for step in journey.steps if journey else ():
        if any(tp.key == touchpoint_key for tp in step.touchpoints):
            return step
    return None
