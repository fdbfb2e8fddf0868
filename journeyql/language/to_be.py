"""The to-be journey: a journey as it will be once the plan's improvements are in place.

One function, :func:`to_be`, used by every renderer that shows the journey after the plan
(blueprint, emotion curve, site) and by third parties through ``journeyql.to_be``. It reads
what improvements say they add or change (docs/language.md, "The to-be journey"):

- ``at step { touchpoint ... }`` adds touchpoints (and frontstage, backstage and support
  actions) to an existing step; ``expected`` there replaces the step's expected emotion;
- ``in stage { after step  step ... }`` adds steps to an existing stage, after that step
  (in the order written) or at the stage's end;
- ``channel`` blocks are channels only the plan introduces.

Improvements apply in workspace order, so a later improvement's ``expected`` at a step
replaces an earlier one's. A ``dropped`` improvement changes nothing; ``statuses`` picks
others (e.g. only what is ``done`` to show the journey as it is today after delivery).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

from .model import Channel, Improvement, Journey, Step, Workspace

#: Statuses whose improvements the to-be journey includes by default: all but dropped.
PLANNED = ("idea", "planned", "in_progress", "done")


@dataclass(frozen=True)
class ToBe:
    """A journey before and after the plan, and what changed where."""

    as_is: Journey
    journey: Journey                                  #: the to-be journey: same type, every renderer can draw it
    improvements: tuple[str, ...] = ()                #: ids of the improvements that change this journey
    added: Mapping[str, str] = field(default_factory=dict)     #: key of an added step or touchpoint -> improvement
    changed: Mapping[str, str] = field(default_factory=dict)   #: key of a step whose expected emotion changed -> improvement
    channels: tuple[Channel, ...] = ()                #: channels the plan introduces that this journey uses

    @property
    def changes_anything(self) -> bool:
        return self.journey is not self.as_is

    def is_new(self, key: str) -> bool:
        """True for a step or touchpoint the plan adds."""
        return key in self.added

    def by(self, key: str) -> str | None:
        """The improvement that adds ``key`` or changes its expected emotion."""
        return self.added.get(key) or self.changed.get(key)


def to_be(workspace: Workspace, journey: Journey | str, *, statuses: Iterable[str] | None = None) -> ToBe:
    """``journey`` (a Journey or its id) as it will be after the workspace's improvements.

    ``statuses``: which improvements count (default :data:`PLANNED`, every one not dropped).
    """
    if isinstance(journey, str):
        found = workspace.get(journey)
        if not isinstance(found, Journey):
            raise KeyError(f"no journey {journey!r} in this workspace")
        journey = found
    wanted = set(PLANNED if statuses is None else statuses)
    prefix = journey.id + "."
    steps: dict[str, list[Step]] = {stage.key: list(stage.steps) for stage in journey.stages}
    added: dict[str, str] = {}
    changed: dict[str, str] = {}
    applied: list[str] = []
    channel_ids: set[str] = set()
    improvements = [i for i in workspace.improvements if i.status in wanted]

    def mine(key: str) -> bool:
        return key.startswith(prefix)

    # steps first: a later `at` may add a touchpoint to a step another improvement adds
    for improvement in improvements:
        for change in improvement.stage_changes:
            if not mine(change.stage) or change.stage not in steps:
                continue
            column = steps[change.stage]
            at = len(column)
            if change.after is not None:
                where = next((n for n, s in enumerate(column) if s.key == change.after), None)
                if where is not None:
                    at = where + 1
                    # steps added after the same step keep the order they are written in
                    while at < len(column) and column[at].key in added:
                        at += 1
            for step in change.steps:
                column.insert(at, step)
                at += 1
                added[step.key] = improvement.id
                for touchpoint in step.touchpoints:
                    added[touchpoint.key] = improvement.id
                    channel_ids.add(touchpoint.channel)
            _note(applied, improvement)
    for improvement in improvements:
        for change in improvement.step_changes:
            if not mine(change.step):
                continue
            for column in steps.values():
                for n, step in enumerate(column):
                    if step.key == change.step:
                        column[n] = _changed_step(step, change)
            for touchpoint in change.touchpoints:
                added[touchpoint.key] = improvement.id
                channel_ids.add(touchpoint.channel)
            if change.expected is not None:
                changed[change.step] = improvement.id
            _note(applied, improvement)
    stages = tuple(stage if _same(steps[stage.key], stage.steps) else
                   stage.model_copy(update={"steps": tuple(steps[stage.key])}) for stage in journey.stages)
    after = journey.model_copy(update={"stages": stages}) if applied else journey
    introduced = tuple(c for i in workspace.improvements for c in i.channels if c.id in channel_ids)
    return ToBe(journey, after, tuple(applied), MappingProxyType(added), MappingProxyType(changed), introduced)


def _same(now: list[Step], before: tuple[Step, ...]) -> bool:
    return len(now) == len(before) and all(a is b for a, b in zip(now, before))


def _changed_step(step: Step, change) -> Step:
    update: dict = {}
    if change.touchpoints:
        update["touchpoints"] = step.touchpoints + change.touchpoints
    for lane in ("frontstage", "backstage", "support"):
        extra = getattr(change, lane)
        if extra:
            update[lane] = getattr(step, lane) + extra
    if change.expected is not None:
        update["expected"] = change.expected
    return step.model_copy(update=update) if update else step


def _note(applied: list[str], improvement: Improvement) -> None:
    if improvement.id not in applied:
        applied.append(improvement.id)


def changed_journeys(workspace: Workspace, *, statuses: Iterable[str] | None = None) -> list[ToBe]:
    """The to-be of every journey the plan changes, in workspace order."""
    found = [to_be(workspace, journey, statuses=statuses) for journey in workspace.journeys]
    return [item for item in found if item.changes_anything]


__all__ = ["ToBe", "to_be", "changed_journeys", "PLANNED"]
