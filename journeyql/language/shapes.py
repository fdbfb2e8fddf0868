"""What the model's objects do, whichever classes hold them: no pydantic here.

Two sets of classes hold a resolved workspace: the frozen pydantic model plugins receive
(``model.py``), and the light classes ``journeyql check`` builds when no plugin registers a rule
(``light_model.py``, generated from the model), so a cold ``check`` never imports pydantic's
``BaseModel`` (docs/performance.md, "Cold check"). Both inherit the behaviour below, so the core
rules call the same methods and ask ``isinstance(x, shapes.Journey)`` of either.
"""

from __future__ import annotations

from functools import cached_property

_PLAIN = (str, int, float, bool)


def text_in(item, field: str, locale: str | None = None):
    """A text of ``item`` in ``locale``, falling back to the text as written.

    ``field`` is the model field: a text (``label``, ``goal``) gives a str, a repeatable
    text (``needs``, ``evidence``) a tuple, translated item by item where a translation is
    given; ``moment`` gives the moment of truth's text and ``wait_points`` the wait texts.
    """
    written = getattr(item, field, None)
    # a moment of truth or wait points: an object (of either class set) whose text is the text
    if isinstance(written, tuple) and written and not isinstance(written[0], _PLAIN):
        written = tuple(getattr(part, "text", None) for part in written)
    elif written is not None and not isinstance(written, (*_PLAIN, tuple)):
        written = getattr(written, "text", None)
    translations = getattr(item, "translations", None) or {}
    given = translations.get(locale, {}).get(field) if locale else None
    if given is None:
        return written
    if isinstance(written, tuple):
        return tuple(given[n] if n < len(given) and text is not None else text for n, text in enumerate(written))
    return given


class Labelled:
    __slots__ = ()

    def text(self, field: str, locale: str | None = None):
        """A text field in ``locale``, falling back to the default text (see :func:`text_in`)."""
        return text_in(self, field, locale)


class Scale:
    __slots__ = ()

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def normalise(self, value: float) -> float:
        """``value`` mapped onto 0..1 of this scale."""
        return (value - self.low) / (self.high - self.low) if self.high != self.low else 0.5


class Organisation:
    __slots__ = ()


class Stakeholder:
    __slots__ = ()


class Touchpoint:
    __slots__ = ()

    def view(self, organisation: str):
        """This organisation's view of the touchpoint (a TouchpointView), or None."""
        return next((v for v in self.organisations if v.organisation == organisation), None)


class Stage:
    # no behaviour: a core rule's isinstance test must hold for the pydantic and the light class alike
    __slots__ = ()


class Step:
    __slots__ = ()

    def view(self, organisation: str):
        """This organisation's view of the step (an OrganisationView), or None."""
        return next((v for v in self.organisations if v.organisation == organisation), None)


class Journey:
    __slots__ = ()

    @property
    def organisation_ids(self) -> tuple[str, ...]:
        """Whose journey this is: every organisation sharing it, or the one `organisation`, or none."""
        if self.organisations:
            return self.organisations
        return (self.organisation,) if self.organisation else ()

    @property
    def shared(self) -> bool:
        """Several organisations go through this one journey (a benchmark)."""
        return len(self.organisations) > 1

    def for_organisation(self, organisation: str, stakeholders=None):
        """This journey as one organisation's customers go through it (its `for` views applied);
        ``stakeholders`` ({id: organisation}) also leaves out actions of another organisation's staff."""
        from .organisation_views import journey_for

        return journey_for(self, organisation, stakeholders)

    @property
    def steps(self) -> tuple:
        return tuple(step for stage in self.stages for step in stage.steps)

    @property
    def touchpoints(self) -> tuple:
        return tuple(tp for step in self.steps for tp in step.touchpoints)


class Measurement:
    __slots__ = ()

    @property
    def all_data(self) -> tuple[str, ...]:
        """Every response file the plan names: its own ``data``, then each wave's, in order."""
        return (*self.data, *(name for wave in self.waves for name in wave.data))

    @property
    def baseline_wave(self):
        """The wave later waves are compared with: ``baseline`` when it names one, else the first."""
        found = [w for w in self.waves if w.id == self.baseline]
        return found[0] if found else (self.waves[0] if self.waves else None)


class Workspace:
    # no __slots__: the index below is cached in the instance's __dict__

    @cached_property
    def _index(self) -> dict:
        index: dict = {}
        for group in (self.organisations, self.stakeholders, self.channels, self.personas, self.journeys,
                      self.measurements, self.models, self.teasers, self.improvements, self.initiatives):
            for item in group:
                index[item.id] = item
        for model in self.models:
            for member in (*model.elements, *model.emotions, *model.behaviours, *model.impacts):
                index[member.id] = member
        for journey in self.journeys:
            for stage in journey.stages:
                index[stage.key] = stage
                for step in stage.steps:
                    index[step.key] = step
                    for touchpoint in step.touchpoints:
                        index[touchpoint.key] = touchpoint
        # what improvements add (the to-be journey) is looked up like what the journeys have
        for improvement in self.improvements:
            for channel in improvement.channels:
                index[channel.id] = channel
            for change in improvement.step_changes:
                for touchpoint in change.touchpoints:
                    index[touchpoint.key] = touchpoint
            for change in improvement.stage_changes:
                for step in change.steps:
                    index[step.key] = step
                    for touchpoint in step.touchpoints:
                        index[touchpoint.key] = touchpoint
        return index

    def get(self, key: str):
        """The object with this key (``billing``, ``moving.meter_form``), or None."""
        return self._index.get(key)

    def journey_of(self, key: str):
        """The journey a stage, step or touchpoint key belongs to."""
        found = self.get(key.split(".", 1)[0])
        return found if isinstance(found, Journey) else None
