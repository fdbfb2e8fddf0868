"""Measured results, as renderers see them: ``context.results``.

``journeyql analyze`` (and ``build`` when a measurement plan names response
files, or ``--responses`` is given) computes these from the answers; every
renderer then gets them as ``context.results`` (``None`` when there is no
data), so the curve, the blueprint, the site and the plan show measured
reality next to expectation. Third-party renderers use exactly this API.

Keys are the model's keys: a touchpoint key (``verhuizen.eindnota``), a step
key, a stage key, a journey id, a persona id, an organisation id. Valence is
on the journey's own scale (``journey.scale``), so it compares directly with
the expected and target emotions of the spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Respondents below which a figure is marked as a small sample (read with care), and below which
#: nothing is shown (defaults; ``[analysis]`` in journeyql.toml sets them per workspace).
REPORT_N = 30
SHOW_N = 5


@dataclass(frozen=True)
class Metrics:
    """What the answers say about one subject (a touchpoint, step, stage, journey, persona, organisation)."""

    n: int = 0                                        #: respondents with at least one answer here
    valence_mean: float | None = None                 #: mean valence, on the journey's scale
    valence_ci: tuple[float, float] | None = None     #: 95% confidence interval of the mean (t-based)
    valence_n: int = 0                                #: valence answers behind the mean
    negative_share: float | None = None               #: share (0..1) of valence answers below the scale's midpoint
    emotions: dict[str, float] = field(default_factory=dict)  #: emotion -> share (0..1) of respondents naming it
    intents: dict[str, float] = field(default_factory=dict)   #: behaviour intention -> share (0..1) saying yes
    ces_mean: float | None = None                     #: mean customer effort score
    csat: float | None = None                         #: share (0..1) satisfied (top-two box)
    nps: float | None = None                          #: net promoter score, -100..100
    nps_ci: tuple[float, float] | None = None         #: adjusted-Wald 95% interval of the NPS
    nps_n: int = 0                                    #: NPS answers behind the score
    expected: float | None = None                     #: the spec's expected valence here, when stated
    gap: float | None = None                          #: measured minus expected valence
    valence_sd: float | None = None                   #: sample standard deviation of the valence answers
    sample: str = "none"                              #: none | too_small (not shown) | small (marked) | ok
    #: mean valence as a 0-100 score: each answer mapped from its journey's scale, (x - low) / (high - low) x 100
    valence_score: float | None = None
    valence_score_ci: tuple[float, float] | None = None  #: 95% interval of the score, clipped to 0..100
    #: the answers pooled here come from journeys on different scales: no raw mean, only the score
    mixed_scales: bool = False
    nps_promoters: int = 0                            #: NPS answers of 9 or 10 (of ``nps_n``)
    nps_detractors: int = 0                           #: NPS answers of 0 to 6 (of ``nps_n``)

    def to_json(self) -> dict:
        data = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class Moment:
    """A moment that matters, found in the data (not declared in the spec)."""

    journey: str
    subject: str       #: touchpoint or step key
    kind: str          #: lowest | largest_drop | peak | end
    value: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Driver:
    """How much a touchpoint's experience explains the journey's NPS."""

    journey: str
    touchpoint: str
    weight: float      #: share (0..1) of the explained variance (relative weights)
    correlation: float | None = None


@dataclass(frozen=True)
class DriverModel:
    """The regression behind a journey's drivers: how much of the NPS it explains, from whom."""

    journey: str
    n: int                         #: respondents with an NPS answer (the regression's rows)
    r2: float | None = None        #: share (0..1) of the NPS variance all predictors explain; None: no model
    min_r2: float = 0.10           #: below this R² the shares are no ranking (``rankable`` is False)
    #: touchpoints with answers that every respondent rated the same: no variance, left out of the model
    zero_variance: tuple[str, ...] = ()

    @property
    def rankable(self) -> bool:
        return self.r2 is not None and self.r2 >= self.min_r2


@dataclass(frozen=True)
class KpiResult:
    """A KPI target of a measurement plan, met or missed by the answers."""

    measurement: str
    subject: str       #: the touchpoint, step, stage or journey key the target is on
    metric: str        #: as written in the spec (``valence``, ``negative_share``, ``nps``, ...)
    op: str
    target: float      #: the target as written (``25`` for ``25%``)
    unit: str = "number"
    value: float | None = None   #: the measured value, in the target's unit (percent as 0..100)
    status: str = "no_data"      #: met | missed | no_data
    #: ``previous`` for ``no worse than previous`` (op ``>=``, target 0: of the change, unless not significant)
    since: str | None = None
    compared_with: str | None = None  #: the previous wave it was compared with (None: the first wave)
    change: float | None = None       #: this wave's mean valence minus the previous wave's (respondents' means)
    ci: tuple[float, float] | None = None  #: 95% Welch interval of the change
    p_adjusted: float | None = None   #: Holm-adjusted p of the change (the wave changes' family)


@dataclass(frozen=True)
class Change:
    """How a subject's mean valence moved between two waves of a measurement plan, and whether it is real.

    The means are of respondents (each respondent's mean valence over the subject's touchpoints), the
    test Welch's t on those, Holm-corrected across the subjects of one level in the same comparison.
    """

    measurement: str
    level: str                  #: touchpoints | steps | journeys
    subject: str                #: the touchpoint, step or journey key
    since: str                  #: previous | baseline
    before_wave: str
    after_wave: str
    before: float | None = None  #: mean valence in the earlier wave (respondents' means)
    after: float | None = None
    n_before: int = 0           #: respondents with a valence answer here
    n_after: int = 0
    change: float | None = None  #: after - before, on the journey's scale
    ci: tuple[float, float] | None = None  #: 95% Welch interval of the change
    p: float | None = None       #: two-sided p of Welch's t-test
    p_adjusted: float | None = None  #: Holm-adjusted p across the level's subjects in this comparison
    #: improved | declined (significant) | no_significant_change | not_enough_data
    status: str = "not_enough_data"
    metric: str = "valence"


@dataclass(frozen=True)
class Trend:
    """A subject's mean valence over the waves of a plan, and its least-squares slope per wave."""

    measurement: str
    level: str
    subject: str
    waves: tuple[str, ...] = ()
    values: tuple[float | None, ...] = ()  #: the wave's valence_mean, None where too few answered
    slope: float | None = None   #: points per wave over the waves with a value (None below two)
    metric: str = "valence"


@dataclass(frozen=True)
class WaveResults:
    """Everything measured in one wave of a measurement plan: its own :class:`Results`."""

    measurement: str
    wave: str
    label: str
    period: str | None
    results: "Results"
    baseline: bool = False       #: the wave later waves are compared with
    latest: bool = False         #: the plan's last wave with answers

    @property
    def kpis(self) -> tuple[KpiResult, ...]:
        """The plan's KPI targets, met or missed in this wave."""
        return tuple(k for k in self.results.kpis if k.measurement == self.measurement)


@dataclass(frozen=True)
class Results:
    """Measured results of one workspace; empty mappings where nothing was measured."""

    touchpoints: dict[str, Metrics] = field(default_factory=dict)
    steps: dict[str, Metrics] = field(default_factory=dict)
    stages: dict[str, Metrics] = field(default_factory=dict)
    journeys: dict[str, Metrics] = field(default_factory=dict)
    personas: dict[str, Metrics] = field(default_factory=dict)
    organisations: dict[str, Metrics] = field(default_factory=dict)
    #: (persona id, step key) -> metrics, for one curve per persona
    persona_steps: dict[tuple[str, str], Metrics] = field(default_factory=dict)
    moments: tuple[Moment, ...] = ()
    drivers: tuple[Driver, ...] = ()
    #: journey -> the regression behind its drivers (R², n, touchpoints left out for zero variance)
    driver_models: dict[str, DriverModel] = field(default_factory=dict)
    #: KPI targets of the measurement plans, met or missed
    kpis: tuple[KpiResult, ...] = ()
    #: sector (``organisation.sector``) -> metrics, for the benchmark across organisations
    sectors: dict[str, Metrics] = field(default_factory=dict)
    #: the response files the results come from, relative to the workspace root where possible
    sources: tuple[str, ...] = ()
    #: respondents whose rows name more than one persona / organisation (each counts under the first, A-Z)
    disagreements: dict[str, int] = field(default_factory=dict)
    #: the minimum respondents for a figure without a small-sample marker, and for showing it at all
    report_n: int = REPORT_N
    show_n: int = SHOW_N
    #: the waves of the measurement plans that have them, in plan then time order. With waves, every
    #: mapping above holds the *latest* wave of such a plan (and all answers of plans without waves).
    waves: tuple[WaveResults, ...] = ()
    #: each wave against the previous one and against the baseline (Welch's t, Holm-corrected)
    changes: tuple[Change, ...] = ()
    #: mean valence per wave for every touchpoint, step and journey of a plan with waves
    trends: tuple[Trend, ...] = ()
    #: journey id -> the sector benchmark of a journey several organisations share (measure/benchmark.py)
    benchmarks: dict = field(default_factory=dict)

    def step(self, key: str, persona: str | None = None) -> Metrics | None:
        """The metrics of a step (all respondents, or one persona's); None when not measured."""
        found = self.persona_steps.get((persona, key)) if persona else self.steps.get(key)
        return found if found is not None and found.n > 0 else None

    def touchpoint(self, key: str) -> Metrics | None:
        found = self.touchpoints.get(key)
        return found if found is not None and found.n > 0 else None

    def journey(self, key: str) -> Metrics | None:
        found = self.journeys.get(key)
        return found if found is not None and found.n > 0 else None

    def for_organisation(self, organisation: str) -> "Results":
        """What ``organisation``'s own respondents said at the steps and touchpoints of the journeys it
        shares (``organisations a, b``), as :class:`Results` a renderer reads like any other.

        The figures are the benchmark's (:attr:`benchmarks`): at a step, the mean of the respondents'
        scores (a respondent's score is the mean of their valence answers at the step's touchpoints), with
        its 95% t-interval and sample size; at a touchpoint, the mean of their answers there. Only valence
        is measured per organisation: emotions, intents, CES and NPS stay empty, as do journeys, stages and
        personas. Thresholds (``report_n``, ``show_n``) and sources are kept.
        """
        def metrics(score) -> Metrics:
            return Metrics(n=score.n, valence_mean=score.mean, valence_ci=score.ci, valence_n=score.n,
                           valence_sd=score.sd, sample=score.sample)

        levels: dict[str, dict[str, Metrics]] = {"steps": {}, "touchpoints": {}}
        for found in self.benchmarks.values():
            if organisation not in found.organisations:
                continue
            for level, rows in (("steps", found.steps), ("touchpoints", found.touchpoints)):
                for row in rows:
                    score = row.score(organisation)
                    if score is not None and score.n > 0:
                        levels[level][row.subject] = metrics(score)
        return Results(steps=levels["steps"], touchpoints=levels["touchpoints"], sources=self.sources,
                       report_n=self.report_n, show_n=self.show_n)
