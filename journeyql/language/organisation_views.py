"""Organisation views: one journey shared by several organisations, with what differs per organisation.

A benchmark measures the *same* journey at several organisations of a sector. The journey is written
once, with ``organisations a, b``; where one organisation's customers meet something else, a
``for a { ... }`` view inside the step or touchpoint says what (see docs/language.md, "Benchmarks").

A step's ``for x`` view is written like a persona view, and ``x`` may name either: persona and
organisation ids share the workspace's one namespace, so the resolver knows which it is. Only after
resolution is a step's view sorted into ``personas`` or ``organisations`` (:func:`separate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Journey


def separate(data: dict[str, list]) -> None:
    """Move each step's ``for`` views that name an organisation from ``personas`` to ``organisations``.

    ``data`` is the binder's data after the resolver filled in the names (``view["persona"]`` is then the
    id written, resolved or not); an unresolved name stays a persona view, its error already reported.
    """
    organisations = {o.get("id") for o in data.get("organisations", ())}
    if not organisations:
        return
    for journey in data.get("journeys", ()):
        for stage in journey.get("stages", ()):
            for step in stage.get("steps", ()):
                views = step.get("personas")
                if not views:
                    continue
                kept = []
                for view in views:
                    if view.get("persona") in organisations:
                        view["organisation"] = view.pop("persona")
                        step.setdefault("organisations", []).append(view)
                    else:
                        kept.append(view)
                step["personas"] = kept


def journey_for(journey: "Journey", organisation: str, stakeholders: Mapping[str, str | None] | None = None
                ) -> "Journey":
    """``journey`` as ``organisation``'s customers go through it: its views applied, the others' dropped.

    Keys stay the shared journey's (``switch.visit``), so measured results and plans line up across the
    organisations; the result names ``organisation`` and shares with nobody. With ``stakeholders``
    (stakeholder id -> its organisation), frontstage, backstage and support actions owned by another
    organisation's stakeholder are left out too: they happen behind another organisation's line.
    """
    def ours(action) -> bool:
        return stakeholders is None or stakeholders.get(action.owner or "") in (None, organisation)

    stages = []
    for stage in journey.stages:
        steps = []
        for step in stage.steps:
            view = step.view(organisation)
            if view is not None and view.skips:
                continue
            touchpoints = []
            for touchpoint in step.touchpoints:
                own = touchpoint.view(organisation)
                if own is not None and own.skips:
                    continue
                update: dict = {"organisations": ()}
                if own is not None:
                    for name in ("label", "channel", "owner", "moment", "reach"):
                        if getattr(own, name) is not None:
                            update[name] = getattr(own, name)
                touchpoints.append(touchpoint.model_copy(update=update))
            update = {"touchpoints": tuple(touchpoints), "organisations": (),
                      "frontstage": tuple(a for a in step.frontstage if ours(a)),
                      "backstage": tuple(a for a in step.backstage if ours(a)),
                      "support": tuple(a for a in step.support if ours(a))}
            if view is not None:
                if view.expected is not None:
                    update["expected"] = view.expected
                if view.target is not None:
                    update["target"] = view.target
            steps.append(step.model_copy(update=update))
        if steps:
            stages.append(stage.model_copy(update={"steps": tuple(steps)}))
    return journey.model_copy(update={"stages": tuple(stages), "organisation": organisation, "organisations": ()})


def uses(journey: "Journey", organisation: str, key: str) -> bool:
    """Whether ``organisation``'s customers meet the step or touchpoint ``key`` of ``journey``."""
    for step in journey.steps:
        view = step.view(organisation)
        skipped = view is not None and view.skips
        if step.key == key:
            return not skipped
        for touchpoint in step.touchpoints:
            if touchpoint.key == key:
                own = touchpoint.view(organisation)
                return not skipped and not (own is not None and own.skips)
    return True
