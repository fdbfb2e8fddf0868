"""What an emotional curve shows: the series (expected, measured, target) of one journey or persona.

Kept apart from the drawing so the numbers can be tested without parsing SVG.
A persona's curve uses its ``for persona`` view where one gives a score and
leaves out the steps the persona skips; measured values come from
``context.results`` (all respondents, or the persona's own answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A step the persona skips: no point, and the line joins its neighbours (it is not part of their journey).
SKIPPED = "skipped"


@dataclass(frozen=True)
class Point:
    value: float | None                      #: None: not stated / not measured here
    low: float | None = None                 #: confidence band, measured series only
    high: float | None = None
    n: int = 0
    small: bool = False                      #: fewer respondents than the workspace's report_n: marked


@dataclass(frozen=True)
class Moment:
    step_index: int
    polarity: str                            #: positive | negative | critical
    where: str                               #: the step's or touchpoint's label
    text: str | None


@dataclass(frozen=True)
class Gap:
    step_index: int
    expected: float
    measured: float

    @property
    def value(self) -> float:
        return self.measured - self.expected


@dataclass
class Curve:
    journey: object
    persona: object | None
    #: the organisation whose view of a shared journey this is (its Organisation), for the title
    organisation: object | None = None
    columns: list = field(default_factory=list)        #: (stage, step) per x position
    skipped: list = field(default_factory=list)        #: bool per column
    expected: list = field(default_factory=list)       #: Point per column
    target: list = field(default_factory=list)
    measured: list | None = None                       #: None when there are no results at all
    moments: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    report_n: int | None = None                        #: respondents below which a measured point is marked
    to_be: list | None = None                          #: the to-be chart: expected after the plan, per column
    new: list = field(default_factory=list)            #: the to-be chart: True where the plan adds the step
    #: the wave before the measured one, for the chart of the latest wave against the previous
    previous: list | None = None
    #: the series to draw (default: expected, target and measured when there is any)
    series: tuple[str, ...] | None = None
    #: names shown for the series instead of the standard words (the waves' labels)
    names: dict = field(default_factory=dict)

    @property
    def has_small_samples(self) -> bool:
        return self.measured is not None and any(p.small and p.value is not None for p in self.measured)

    @property
    def has_measured(self) -> bool:
        return self.measured is not None and any(p.value is not None for p in self.measured)


def _view(step, persona_id):
    if persona_id is None:
        return None
    return next((v for v in step.personas if v.persona == persona_id), None)


def measured_points(journey, results, persona_id=None) -> list[Point]:
    """The measured valence per step of ``results`` (None where not shown: below show_n, or not asked)."""
    points = []
    for step in journey.steps:
        metrics = results.step(step.key, persona_id) if results is not None else None
        if metrics is not None and metrics.valence_mean is not None and metrics.sample != "too_small":
            ci = metrics.valence_ci
            points.append(Point(metrics.valence_mean, ci[0] if ci else None, ci[1] if ci else None,
                                metrics.valence_n or metrics.n, small=metrics.sample == "small"))
        else:
            points.append(Point(None))
    return points


def build_wave_curve(journey, previous, latest, *, label, previous_name: str, latest_name: str) -> Curve:
    """The curve of the latest wave (measured, with its band) against the previous wave's, no expectations.

    ``previous`` and ``latest`` are the two waves' :class:`Results`.
    """
    curve = build_curve(journey, None, latest, label=label, top_gaps=0)
    curve.previous = measured_points(journey, previous)
    curve.series = ("previous", "measured")
    curve.names = {"previous": previous_name, "measured": latest_name}
    return curve


def build_curve(journey, persona=None, results=None, *, label, top_gaps: int = 3, moment_text=None) -> Curve:
    """The series of ``journey`` (or of one ``persona`` of it); ``label(item)`` gives a display label,
    ``moment_text(step or touchpoint)`` the text of its moment of truth (default: as written)."""
    if moment_text is None:
        def moment_text(holder):
            return holder.moment.text
    persona_id = persona.id if persona is not None else None
    curve = Curve(journey, persona)
    measured: list[Point] = []
    for stage in journey.stages:
        for step in stage.steps:
            index = len(curve.columns)
            curve.columns.append((stage, step))
            view = _view(step, persona_id)
            skipped = bool(view is not None and view.skips)
            curve.skipped.append(skipped)
            expected = view.expected if view is not None and view.expected is not None else step.expected
            target = view.target if view is not None and view.target is not None else step.target
            curve.expected.append(Point(None if skipped or expected is None else expected.score))
            curve.target.append(Point(None if skipped or target is None else target.score))
            metrics = results.step(step.key, persona_id) if results is not None and not skipped else None
            # below show_n a figure is not shown anywhere (docs/analysis.md), the curve included
            if metrics is not None and metrics.valence_mean is not None and metrics.sample != "too_small":
                ci = metrics.valence_ci
                measured.append(Point(metrics.valence_mean, ci[0] if ci else None, ci[1] if ci else None,
                                      metrics.valence_n or metrics.n, small=metrics.sample == "small"))
            else:
                measured.append(Point(None))
            if skipped:
                continue
            if step.moment is not None:
                curve.moments.append(Moment(index, step.moment.polarity, label(step), moment_text(step)))
            for touchpoint in step.touchpoints:
                if touchpoint.moment is not None:
                    curve.moments.append(Moment(index, touchpoint.moment.polarity, label(touchpoint),
                                                moment_text(touchpoint)))
    if results is not None:
        curve.measured = measured
        curve.report_n = getattr(results, "report_n", None)
        gaps = [Gap(i, e.value, m.value) for i, (e, m) in enumerate(zip(curve.expected, measured))
                if e.value is not None and m.value is not None and m.value != e.value]
        # the largest differences first; equal ones in journey order, so the choice is stable
        gaps.sort(key=lambda g: (-abs(g.value), g.step_index))
        curve.gaps = gaps[:max(0, top_gaps)]
    return curve


def build_to_be_curve(change, *, label) -> Curve:
    """The journey after the plan against the journey before it (``change``: a ``journeyql.to_be`` result).

    Its columns are the to-be journey's steps; ``expected`` is the as-is expected emotion (none at a
    step the plan adds), ``to_be`` the expected emotion after the plan, ``target`` the target.
    """
    as_is = {step.key: step for step in change.as_is.steps}
    curve = Curve(change.journey, None)
    for stage in change.journey.stages:
        for step in stage.steps:
            index = len(curve.columns)
            curve.columns.append((stage, step))
            curve.skipped.append(False)
            curve.new.append(change.is_new(step.key))
            before = as_is.get(step.key)
            curve.expected.append(Point(before.expected.score if before is not None and before.expected else None))
            curve.target.append(Point(step.target.score if step.target is not None else None))
            if step.moment is not None:
                curve.moments.append(Moment(index, step.moment.polarity, label(step), step.moment.text))
            for touchpoint in step.touchpoints:
                if touchpoint.moment is not None:
                    curve.moments.append(Moment(index, touchpoint.moment.polarity, label(touchpoint),
                                                touchpoint.moment.text))
    curve.to_be = [Point(step.expected.score if step.expected is not None else None) for _s, step in curve.columns]
    return curve
