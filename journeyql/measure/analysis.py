"""Response analysis: what the answers say, per touchpoint, step, stage, journey, persona and organisation.

``compute(workspace, con)`` takes an open DuckDB connection with a table or view
``responses`` of validated answers (see ``docs/analysis.md``) and returns the
:class:`~journeyql.measure.results.Results` every renderer gets as ``context.results``.

The heavy lifting is three scans of ``responses`` in DuckDB: how often each value
was given per journey x touchpoint x persona x organisation x item, one row per
respondent (which touchpoints they answered, as bit masks; their valences and
NPS for the key drivers), and per respondent the emotions they named. Only small
results come into Python (count patterns, one row of sums per journey), so ten
million answers cost what three scans of them cost. Everything else (intervals,
roll-ups, moments of truth, key drivers, KPI targets) is arithmetic on those.

The statistics are plain functions in :mod:`journeyql.measure.statistics` (re-exported
here), so tests check each against an independent computation. The reports (JSON, Markdown, HTML) are in
:mod:`journeyql.measure.report`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .judgement import DROP_ALPHA, KPI_FIELDS, evaluate_kpis, find_moments  # noqa: F401 - part of this module's API
from .results import REPORT_N, SHOW_N, Driver, DriverModel, Metrics, Results
from .statistics import (  # noqa: F401 - the statistics are part of this module's documented API
    CONFIDENCE,
    _sample_sd,
    mean_interval,
    nps_interval,
    nps_score,
    relative_weights,
    sample_size,
    shapley_weights,
    t_quantile,
    welch_p,
)

#: Below this R² the drivers' shares are no ranking: the touchpoints together explain less than a tenth of
#: the NPS variance, so "100% of the explained variance" is 100% of almost nothing (``DriverModel.rankable``).
MIN_DRIVER_R2 = 0.10

#: Up to this many touchpoints per journey the key drivers are exact Shapley values (2^p regressions);
#: above it, Johnson's relative weights (one eigen-decomposition), which approximate them closely.
SHAPLEY_LIMIT = 12
#: The temporary tables ``compute`` creates on the connection (and drops again).
_TABLES = ("_jql_respondents", "_jql_touchpoints", "_jql_journeys")


# --- sums and counts per subject -----------------------------------------------------------------

@dataclass
class _Sums:
    """Additive sufficient statistics of one subject's answers."""

    valence: list = field(default_factory=lambda: [0, 0.0, 0.0, 0])   # count, sum, squares, below midpoint
    ces: list = field(default_factory=lambda: [0, 0.0])               # count, sum
    csat: list = field(default_factory=lambda: [0, 0])                # count, top-two box
    nps: list = field(default_factory=lambda: [0, 0, 0])              # count, promoters, detractors
    intents: dict = field(default_factory=dict)                       # name -> [count, yes]
    score: list = field(default_factory=lambda: [0, 0.0, 0.0])        # count, sum, squares of the 0-100 scores
    scales: set = field(default_factory=set)                          # the (low, high) scales pooled here

    def add(self, kind: str, name: str, num: float | None, k: int, midpoint: float,
            scale: tuple[float, float] | None = None) -> None:
        """``k`` answers of value ``num`` to an item of this kind (and name); valence on ``scale``."""
        if num is None:
            return
        if kind == "valence":
            self.valence[0] += k
            self.valence[1] += num * k
            self.valence[2] += num * num * k
            self.valence[3] += k if num < midpoint else 0
            if scale is not None:
                self.scales.add(scale)
                x = score_of(num, *scale)
                self.score[0] += k
                self.score[1] += x * k
                self.score[2] += x * x * k
        elif kind == "ces":
            self.ces[0] += k
            self.ces[1] += num * k
        elif kind == "csat":
            self.csat[0] += k
            self.csat[1] += k if num >= 4 else 0
        elif kind == "nps":
            self.nps[0] += k
            self.nps[1] += k if num >= 9 else 0
            self.nps[2] += k if num <= 6 else 0
        elif kind == "intent" and name:
            found = self.intents.setdefault(name, [0, 0.0])
            found[0] += k
            found[1] += num * k


@dataclass
class _Reach:
    """How many respondents answered anything about a subject, and how many named each emotion."""

    n: int = 0
    emotions: dict = field(default_factory=dict)


def score_of(value: float, low: float, high: float) -> float:
    """A valence on the scale low..high as a 0-100 score: (x - low) / (high - low) x 100."""
    return (value - low) / (high - low) * 100.0 if high != low else 50.0


def _metrics(sums: _Sums | None, reach: _Reach | None, expected: float | None,
             bounds: tuple[float, float] | None = None, report_n: int = REPORT_N, show_n: int = SHOW_N) -> Metrics:
    sums = sums or _Sums()
    reach = reach or _Reach()
    k, s, ss, below = sums.valence
    mixed = len(sums.scales) > 1
    if len(sums.scales) == 1:
        bounds = next(iter(sums.scales))  # a mean of one scale stays within that scale
    mean, ci = (None, None) if mixed else mean_interval(k, s, ss, bounds)
    score, score_ci = mean_interval(*sums.score, (0.0, 100.0))
    n = reach.n
    return Metrics(
        n=n,
        valence_score=score,
        valence_score_ci=score_ci,
        mixed_scales=mixed,
        valence_sd=None if mixed else _sample_sd(k, s, ss),
        sample=sample_size(n, report_n, show_n),
        valence_mean=mean,
        valence_ci=ci,
        valence_n=k,
        negative_share=below / k if k else None,
        emotions={e: c / n for e, c in sorted(reach.emotions.items())} if n else {},
        intents={name: yes / count for name, (count, yes) in sorted(sums.intents.items()) if count},
        ces_mean=sums.ces[1] / sums.ces[0] if sums.ces[0] else None,
        csat=sums.csat[1] / sums.csat[0] if sums.csat[0] else None,
        nps=nps_score(*sums.nps),
        nps_ci=nps_interval(*sums.nps),
        nps_n=sums.nps[0],
        nps_promoters=sums.nps[1],
        nps_detractors=sums.nps[2],
        expected=expected,
        gap=mean - expected if mean is not None and expected is not None else None,
    )


# --- the spec's structure -----------------------------------------------------------------------

class _Structure:
    """Where each touchpoint sits (its position, step, stage and journey), from the spec."""

    def __init__(self, workspace):
        self.workspace = workspace
        self.place: dict[tuple[str, str], tuple[str, str, str]] = {}  # (journey, local) -> (tp key, step, stage)
        self.position: dict[tuple[str, str], int] = {}                # (journey, local) -> index in the journey
        self.at: dict[str, list[tuple[str, str, str]]] = {}          # journey -> places by position
        self.organisation: dict[str, str | None] = {}
        for journey in workspace.journeys:
            self.organisation[journey.id] = journey.organisation
            self.at[journey.id] = []
            for stage in journey.stages:
                for step in stage.steps:
                    for touchpoint in step.touchpoints:
                        local = touchpoint.key.split(".", 1)[1]
                        self.position[(journey.id, local)] = len(self.at[journey.id])
                        self.place[(journey.id, local)] = (touchpoint.key, step.key, stage.key)
                        self.at[journey.id].append((touchpoint.key, step.key, stage.key))
        self.sector = {o.id: o.sector for o in workspace.organisations if o.sector}
        self.midpoint = {j.id: (j.scale.low + j.scale.high) / 2 for j in workspace.journeys}
        self.scale = {j.id: (float(j.scale.low), float(j.scale.high)) for j in workspace.journeys}
        # which touchpoints a respondent answered is kept as bit masks of 63 touchpoints each
        self.chunks = max(1, -(-max((len(v) for v in self.at.values()), default=0) // _MASK_BITS))

    def places(self, journey: str, masks) -> list[tuple[str, str, str]]:
        """The touchpoints (key, step, stage) whose bits are set in ``masks``."""
        at = self.at.get(journey, ())
        found = []
        for chunk, mask in enumerate(masks):
            mask = int(mask or 0)
            while mask:
                low = mask & -mask
                position = chunk * _MASK_BITS + low.bit_length() - 1
                if position < len(at):
                    found.append(at[position])
                mask ^= low
        return found


# --- the queries --------------------------------------------------------------------------------

_MASK_BITS = 63  # bits per BIGINT mask (the sign bit stays unused)

# How often each value was given, per journey x touchpoint x persona x organisation x item. The
# items are scales of whole points (validated), so this is small whatever the number of answers,
# and every sum, share and NPS follows exactly (and in the same order every run) from it in Python.
_ANSWER_COUNTS = """
SELECT journey, touchpoint, persona, organisation, item, num, count(*) AS k
FROM responses
WHERE num IS NOT NULL AND (item IN ('valence', 'ces', 'csat', 'nps') OR starts_with(item, 'intent.'))
GROUP BY ALL
"""

# The same counts with each answer under its respondent's one persona and organisation (``_jql_respondents``):
# used only when some respondent's rows disagree, so agreeing data costs no join.
_RESOLVED_ANSWER_COUNTS = """
SELECT r.journey, r.touchpoint, w.persona, w.organisation, r.item, r.num, count(*) AS k
FROM responses AS r JOIN _jql_respondents AS w ON r.journey = w.journey AND r.respondent_id = w.respondent_id
WHERE r.num IS NOT NULL AND (r.item IN ('valence', 'ces', 'csat', 'nps') OR starts_with(r.item, 'intent.'))
GROUP BY ALL
"""

# One journey NPS answer per respondent (see _respondents_query), counted per journey, persona and organisation.
_JOURNEY_NPS = """
SELECT journey, persona, organisation, journey_nps, count(*) FROM _jql_respondents
WHERE journey_nps IS NOT NULL GROUP BY ALL
"""


def _masks(chunks: int) -> str:
    return ", ".join(f"coalesce(bit_or(t.flag) FILTER (WHERE t.chunk = {c}), 0) AS m{c}" for c in range(chunks))


def _respondents_query(chunks: int, width: int, scores: bool = False) -> str:
    """One row per respondent (a person's pass through a journey): persona, organisation, the touchpoints
    answered (bit masks m0, m1, ...), the valence per key-driver touchpoint (x0, x1, ...) and the NPS (y).

    The persona and the organisation are the respondent's one resolution (the alphabetically first
    non-empty value; a row without an organisation has the journey's); ``mixed`` says the rows do not
    all carry it, the two ``*_conflict`` flags that they name different ones. ``journey_nps`` is the
    respondent's one journey NPS answer: the end-of-journey answer, else the one at the latest touchpoint.
    ``scores`` adds the respondent's valence answers for the benchmark and the waves (``scores.VALENCES``).
    """
    from .scores import VALENCES

    valences = "".join(f", avg(r.num) FILTER (WHERE r.item = 'valence' AND t.predictor = {k}) AS x{k}"
                       for k in range(width))
    owner = "coalesce(r.organisation, j.organisation)"
    return f"""
    CREATE OR REPLACE TEMP TABLE _jql_respondents AS
    SELECT r.journey, r.respondent_id, min(r.persona) AS persona, min({owner}) AS organisation,
           {_masks(chunks)}{valences}, avg(r.num) FILTER (WHERE r.item = 'nps') AS y,
           coalesce(min(r.num) FILTER (WHERE r.item = 'nps' AND r.touchpoint IS NULL),
                    arg_max(r.num, t.position) FILTER (WHERE r.item = 'nps' AND t.position IS NOT NULL)) AS journey_nps,
           min(r.persona) <> max(r.persona) AS persona_conflict,
           min({owner}) <> max({owner}) AS organisation_conflict,
           coalesce(min(r.persona) <> max(r.persona), false) OR count(r.persona) NOT IN (0, count(*))
             OR coalesce(min({owner}) <> max({owner}), false) AS mixed{", " + VALENCES if scores else ""}
    FROM responses AS r JOIN _jql_journeys AS j ON r.journey = j.journey
    LEFT JOIN _jql_touchpoints AS t ON r.journey = t.journey AND r.touchpoint = t.touchpoint
    GROUP BY r.journey, r.respondent_id
    """


def _reach_query(chunks: int, resolved: bool = False) -> str:
    """(journey, persona, organisation, emotion, masks..., respondents) patterns: a small result.

    The first part counts respondents (emotion NULL); the second, per emotion, the respondents who
    named it, by the touchpoints where they did (intensity 0 is not naming it). ``resolved`` takes the
    persona and organisation from ``_jql_respondents`` (needed only when some respondent's rows disagree).
    """
    masks = ", ".join(f"m{c}" for c in range(chunks))
    if resolved:
        return f"""
    SELECT journey, persona, organisation, NULL AS emotion, {masks}, count(*) AS n
    FROM _jql_respondents GROUP BY ALL
    UNION ALL
    SELECT e.journey, w.persona, w.organisation, e.emotion, {", ".join(f"e.m{c}" for c in range(chunks))},
           count(*) AS n FROM (
        SELECT r.journey, r.respondent_id, substr(r.item, 9) AS emotion, {_masks(chunks)}
        FROM responses AS r JOIN _jql_journeys AS j ON r.journey = j.journey
        LEFT JOIN _jql_touchpoints AS t ON r.journey = t.journey AND r.touchpoint = t.touchpoint
        WHERE starts_with(r.item, 'emotion.') AND coalesce(r.num, 1) > 0
        GROUP BY r.journey, r.respondent_id, r.item
    ) AS e JOIN _jql_respondents AS w ON e.journey = w.journey AND e.respondent_id = w.respondent_id
    GROUP BY ALL
    """
    return f"""
    SELECT journey, persona, organisation, NULL AS emotion, {masks}, count(*) AS n
    FROM _jql_respondents GROUP BY ALL
    UNION ALL
    SELECT journey, persona, organisation, emotion, {masks}, count(*) AS n FROM (
        SELECT r.journey, r.respondent_id, substr(r.item, 9) AS emotion, min(r.persona) AS persona,
               min(r.organisation) AS organisation, {_masks(chunks)}
        FROM responses AS r JOIN _jql_journeys AS j ON r.journey = j.journey
        LEFT JOIN _jql_touchpoints AS t ON r.journey = t.journey AND r.touchpoint = t.touchpoint
        WHERE starts_with(r.item, 'emotion.') AND coalesce(r.num, 1) > 0
        GROUP BY r.journey, r.respondent_id, r.item
    ) GROUP BY ALL
    """


def _table(con, name: str, columns: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:  # one statement, the columns as lists: executemany runs a statement per row (~1 ms each)
        columns = [list(column) for column in zip(*rows)]
        con.execute(f"INSERT INTO {name} SELECT {', '.join(f'unnest(${i + 1})' for i in range(len(columns)))}",
                    columns)


def _teardown(con) -> None:
    for table in _TABLES:
        try:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        except Exception:  # noqa: BLE001 - a closed or failed connection has nothing left to drop
            pass


def _check_table(con) -> None:
    from ..host.rendering import RenderError

    try:
        columns = {row[0] for row in con.execute("DESCRIBE responses").fetchall()}
    except Exception as error:  # noqa: BLE001 - duckdb raises its own catalog errors
        raise RenderError(f"no `responses` table or view to analyse: {error}") from None
    missing = {"respondent_id", "journey", "touchpoint", "item", "num", "persona", "organisation"} - columns
    if missing:
        raise RenderError("the `responses` table lacks the column(s) " + ", ".join(sorted(missing)))


# --- compute ------------------------------------------------------------------------------------

def compute(workspace, con, *, report_n: int = REPORT_N, show_n: int = SHOW_N) -> Results:
    """The measured results of ``workspace`` from the ``responses`` table or view on ``con``.

    ``report_n`` and ``show_n`` are the minimum respondents for a figure without a small-sample
    marker and for showing a figure at all (``Metrics.sample``); moments use only steps with ``show_n``.
    """
    return compute_with_valence(workspace, con, (), report_n=report_n, show_n=show_n)[0]


def compute_with_valence(workspace, con, journey_ids, *, report_n: int = REPORT_N,
                         show_n: int = SHOW_N) -> tuple[Results, dict]:
    """:func:`compute`, and each respondent's mean valence per touchpoint, step and journey of ``journey_ids``
    (``scores.valence_stats``: what the changes between waves test), from the same pass as the benchmark's."""
    from .scores import benchmark_stats, score_patterns, valence_stats

    _check_table(con)
    structure = _Structure(workspace)
    shared = [j.id for j in workspace.journeys if j.shared]
    try:
        _table(con, "_jql_journeys", "journey VARCHAR, midpoint DOUBLE, organisation VARCHAR",
               [(j.id, (j.scale.low + j.scale.high) / 2, j.organisation) for j in workspace.journeys])
        sums = _collect_sums(con.execute(_ANSWER_COUNTS).fetchall(), structure)
        predictors = _predictors(workspace, sums["touchpoints"])
        _table(con, "_jql_touchpoints", "journey VARCHAR, touchpoint VARCHAR, chunk INTEGER, flag BIGINT, "
               "predictor INTEGER, position INTEGER",
               [(journey, local, position // _MASK_BITS, 1 << (position % _MASK_BITS),
                 predictors.get((journey, local)), position)
                for (journey, local), position in sorted(structure.position.items())])
        width = max(predictors.values(), default=-1) + 1
        scored = bool(shared or journey_ids)
        con.execute(_respondents_query(structure.chunks, width, scored))
        mixed, persona_conflicts, organisation_conflicts = con.execute(
            "SELECT count(*) FILTER (WHERE mixed), count(*) FILTER (WHERE persona_conflict), "
            "count(*) FILTER (WHERE organisation_conflict) FROM _jql_respondents").fetchall()[0]
        if mixed:  # some rows carry another persona or organisation than their respondent's: count them under it
            sums = _collect_sums(con.execute(_RESOLVED_ANSWER_COUNTS).fetchall(), structure)
        _journey_nps(con.execute(_JOURNEY_NPS).fetchall(), sums, structure)
        reach = _collect_reach(con.execute(_reach_query(structure.chunks, resolved=bool(mixed))).fetchall(),
                               structure)
        drivers, driver_models = _drivers(con, predictors, structure, width)
        # the benchmark's and the waves' respondent scores: one pass for both (measure/scores.py)
        patterns = score_patterns(con, workspace, [*shared, *journey_ids]) if scored else []
    finally:
        _teardown(con)
    results = _assemble(workspace, structure, sums, reach, report_n, show_n)
    moments = tuple(m for journey in workspace.journeys for m in find_moments(journey, results, show_n))
    kpis = tuple(k for m in workspace.measurements for k in evaluate_kpis(m, workspace, results))
    disagreements = {"organisation": int(organisation_conflicts), "persona": int(persona_conflicts)}
    benchmarks = _benchmarks(workspace, benchmark_stats(patterns, shared), report_n, show_n)
    return (Results(**{**results, "moments": moments, "drivers": drivers, "driver_models": driver_models,
                       "kpis": kpis, "disagreements": disagreements, "report_n": report_n, "show_n": show_n,
                       "benchmarks": benchmarks}),
            valence_stats(patterns, journey_ids))


def _benchmarks(workspace, stats: dict, report_n: int, show_n: int) -> dict:
    from .benchmark import compare

    sectors = {o.id: o.sector for o in workspace.organisations}
    found = {}
    for journey in workspace.journeys:
        if not journey.shared:
            continue
        own = {(level, subject, org): tuple(v) for (j, level, subject, org), v in stats.items() if j == journey.id}
        named = {sectors.get(o) for o in journey.organisations}
        sector = named.pop() if len(named) == 1 else None
        found[journey.id] = compare(journey, own, sector, report_n=report_n, show_n=show_n)
    return found


def _journey_nps(rows, sums: dict, structure: _Structure) -> None:
    """Journeys, personas, organisations and sectors count one NPS answer per respondent (``journey_nps``).

    A respondent asked after a touchpoint and again at the end would otherwise count twice; the
    touchpoint, step and stage NPS stay per answer (each answer is about that place).
    """
    for level in ("journeys", "personas", "organisations", "sectors"):
        for found in sums[level].values():
            found.nps = [0, 0, 0]
    for journey, persona, organisation, answer, n in sorted(rows, key=_row_order):
        for level, key in _levels(journey, None, persona, organisation, structure):
            if level in ("journeys", "personas", "organisations", "sectors"):
                sums[level].setdefault(key, _Sums()).add("nps", "", answer, n, 0.0)


def _levels(journey: str, touchpoint: str | None, persona, organisation, structure: _Structure):
    """The (level, key) pairs one group of answers counts towards."""
    organisation = organisation or structure.organisation.get(journey)
    yield "journeys", journey
    place = structure.place.get((journey, touchpoint)) if touchpoint is not None else None
    if place is not None:
        yield "touchpoints", place[0]
        yield "steps", place[1]
        yield "stages", place[2]
        if persona:
            yield "persona_steps", (persona, place[1])
    if persona:
        yield "personas", persona
    if organisation:
        yield "organisations", organisation
        if structure.sector.get(organisation):
            yield "sectors", structure.sector[organisation]


_LEVELS = ("touchpoints", "steps", "stages", "journeys", "personas", "organisations", "sectors", "persona_steps")


def _collect_sums(rows, structure: _Structure) -> dict:
    sums: dict[str, dict] = {level: {} for level in _LEVELS}
    # the subjects a (journey, touchpoint, persona, organisation) group counts towards, found once per group:
    # with several organisations the rows are many, the groups few
    targets: dict[tuple, list[_Sums]] = {}
    for journey, touchpoint, persona, organisation, item, num, k in sorted(rows, key=_answer_order):
        where = (journey, touchpoint, persona, organisation)
        found = targets.get(where)
        if found is None:
            found = targets[where] = [sums[level].setdefault(key, _Sums())
                                      for level, key in _levels(journey, touchpoint, persona, organisation, structure)]
        kind, _, name = item.partition(".")
        midpoint = structure.midpoint.get(journey, 0.0)
        scale = structure.scale.get(journey)
        for subject in found:
            subject.add(kind, name, num, k, midpoint, scale)
    return sums


def _answer_order(row):
    """:func:`_row_order` of an answer-count row (five texts or NULLs, a number or NULL, a count), cheaper:
    the same order, as a text or NULL column compares as ``(text or "", 0.0)`` and a number as ``("", x)``."""
    journey, touchpoint, persona, organisation, item, num, k = row
    return (journey or "", touchpoint or "", persona or "", organisation or "", item or "",
            0.0 if num is None else num, k)


def _row_order(row):
    """Rows in a fixed order, so float sums come out the same whatever order DuckDB returns them in."""
    return tuple(("", 0.0) if v is None else (str(v), 0.0) if isinstance(v, str) else ("", float(v)) for v in row)


def _collect_reach(rows, structure: _Structure) -> dict:
    """Respondent counts per subject from (journey, persona, organisation, emotion, masks..., n) patterns.

    Each respondent is one row of ``_jql_respondents``, so adding up the patterns that touch a
    subject counts every respondent once, however many of its touchpoints they answered.
    """
    reach: dict[str, dict] = {level: {} for level in _LEVELS}

    def count(level, key, emotion, n):
        found = reach[level].setdefault(key, _Reach())
        if emotion is None:
            found.n += n
        else:
            found.emotions[emotion] = found.emotions.get(emotion, 0) + n

    for journey, persona, organisation, emotion, *masks, n in rows:
        places = structure.places(journey, masks)
        steps = sorted({p[1] for p in places})
        count("journeys", journey, emotion, n)
        for key, _, _ in places:
            count("touchpoints", key, emotion, n)
        for step in steps:
            count("steps", step, emotion, n)
            if persona:
                count("persona_steps", (persona, step), emotion, n)
        for stage in sorted({p[2] for p in places}):
            count("stages", stage, emotion, n)
        if persona:
            count("personas", persona, emotion, n)
        owner = organisation or structure.organisation.get(journey)
        if owner:
            count("organisations", owner, emotion, n)
            if structure.sector.get(owner):
                count("sectors", structure.sector[owner], emotion, n)
    return reach


def _assemble(workspace, structure: _Structure, sums: dict, reach: dict, report_n: int = REPORT_N,
              show_n: int = SHOW_N) -> dict:
    """Metrics for every subject of the spec (n = 0 where nobody answered), plus any measured sector."""
    scales = [(float(j.scale.low), float(j.scale.high)) for j in workspace.journeys]
    # a subject pooling journeys is clipped to the widest of their scales (a mean stays within it)
    pooled = (min(low for low, _ in scales), max(high for _, high in scales)) if scales else None
    bounds_of = {j.id: (float(j.scale.low), float(j.scale.high)) for j in workspace.journeys}
    current = [pooled]

    def metrics(level, key, expected=None):
        return _metrics(sums[level].get(key), reach[level].get(key), expected, current[0], report_n, show_n)

    out: dict[str, dict] = {level: {} for level in ("touchpoints", "steps", "stages", "journeys", "personas",
                                                    "organisations", "sectors", "persona_steps")}
    known_personas = {p.id for p in workspace.personas}
    for journey in workspace.journeys:
        current[0] = bounds_of[journey.id]
        out["journeys"][journey.id] = metrics("journeys", journey.id)
        for stage in journey.stages:
            out["stages"][stage.key] = metrics("stages", stage.key)
            for step in stage.steps:
                expected = step.expected.score if step.expected else None
                out["steps"][step.key] = metrics("steps", step.key, expected)
                for touchpoint in step.touchpoints:
                    out["touchpoints"][touchpoint.key] = metrics("touchpoints", touchpoint.key, expected)
                views = {view.persona: view for view in step.personas}
                # a persona the journey does not name still gets its curve when it answered
                measured = {p for (p, s) in (*sums["persona_steps"], *reach["persona_steps"]) if s == step.key}
                for persona in sorted(set(journey.personas) | (measured & known_personas)):
                    view = views.get(persona)
                    own = view.expected.score if view is not None and view.expected else expected
                    out["persona_steps"][(persona, step.key)] = metrics("persona_steps", (persona, step.key), own)
    current[0] = pooled
    for persona in workspace.personas:
        out["personas"][persona.id] = metrics("personas", persona.id)
    for organisation in workspace.organisations:
        out["organisations"][organisation.id] = metrics("organisations", organisation.id)
    for sector in sorted(set(structure.sector.values())):
        out["sectors"][sector] = metrics("sectors", sector)
    return out


# --- key drivers -------------------------------------------------------------------------------------

def _predictors(workspace, touchpoint_sums: dict) -> dict[tuple[str, str], int]:
    """(journey, touchpoint local id) -> its column among the journey's key-driver candidates.

    A candidate is a touchpoint with at least two valence answers; the columns restart at 0 per journey.
    """
    found = {}
    for journey in workspace.journeys:
        index = 0
        for touchpoint in journey.touchpoints:
            sums = touchpoint_sums.get(touchpoint.key)
            if sums is not None and sums.valence[0] > 1:
                found[(journey.id, touchpoint.key.split(".", 1)[1])] = index
                index += 1
    return found


def _drivers(con, predictors: dict, structure: _Structure, width: int) -> tuple[tuple[Driver, ...], dict]:
    """How much each touchpoint's valence explains the journey's NPS (0..10), per journey.

    Respondents are those with an NPS answer. A respondent who did not rate a touchpoint gets
    the touchpoint's mean valence (mean imputation): the covariance matrix stays positive
    semi-definite, and a touchpoint few people rated cannot claim much of the explained variance.
    The correlation reported beside the weight uses only the respondents who rated it (pairwise).
    Also returns journey -> :class:`DriverModel` (R², n, touchpoints left out for zero variance).
    """
    if width == 0:
        return (), {}
    # Plain sums only (no window, no covar_samp): with whole-point answers every sum is an exact
    # integer, so the drivers come out the same whatever order DuckDB adds the rows in.
    aggregates = ["count(*)", "sum(y)", "sum(y * y)"]
    for i in range(width):
        aggregates += [f"count(x{i})", f"sum(x{i})", f"sum(x{i} * x{i})", f"sum(x{i} * y)",
                       f"sum(y) FILTER (WHERE x{i} IS NOT NULL)", f"sum(y * y) FILTER (WHERE x{i} IS NOT NULL)"]
        for j in range(i + 1, width):
            aggregates += [f"count(x{i} * x{j})", f"sum(x{i} * x{j})", f"sum(x{i}) FILTER (WHERE x{j} IS NOT NULL)",
                           f"sum(x{j}) FILTER (WHERE x{i} IS NOT NULL)"]
    query = (f"SELECT journey, {', '.join(aggregates)} FROM _jql_respondents WHERE y IS NOT NULL "
             "GROUP BY journey ORDER BY journey")
    rows = {row[0]: row[1:] for row in con.execute(query).fetchall()}
    by_journey: dict[str, list] = {}
    for (journey, local), index in sorted(predictors.items(), key=lambda kv: (kv[0][0], kv[1])):
        by_journey.setdefault(journey, []).append((index, structure.place[(journey, local)][0]))
    drivers, models = [], {}
    for journey in sorted(by_journey):
        row = rows.get(journey)
        if row is not None:
            found, model = _journey_drivers(journey, by_journey[journey], row, width)
            drivers.extend(found)
            if model is not None:
                models[journey] = model
    return tuple(drivers), models


def _journey_drivers(journey: str, predictors, row, width: int) -> tuple[list[Driver], DriverModel | None]:
    """Shapley (or relative) weights from the sums of one journey's respondents.

    With x_i imputed by its mean m_i where missing, the imputed rows add nothing to any sum of
    deviations, so every cross-product is a sum over the rows where the values are present:
    sum (x_i - m_i)(x_j - m_j) = S_ij - m_j S_i|j - m_i S_j|i + n_ij m_i m_j.
    """
    import numpy as np

    values = iter(v if v is not None else 0.0 for v in row)
    n, sum_y, sum_yy = next(values), next(values), next(values)
    single, pair = {}, {}
    for i in range(width):
        single[i] = [next(values) for _ in range(6)]  # n_i, S_i, S_ii, S_iy, S_y|i, S_yy|i
        for j in range(i + 1, width):
            pair[(i, j)] = [next(values) for _ in range(4)]  # n_ij, S_ij, S_i|j, S_j|i
    if not n:
        return [], None
    mean_y = sum_y / n
    yy = sum_yy - n * mean_y * mean_y
    mean = {i: s[1] / s[0] for i, s in single.items() if s[0]}
    deviation = {i: single[i][2] - single[i][0] * mean[i] ** 2 for i in mean}
    usable = [(i, key) for i, key in predictors if i in mean and deviation[i] > 1e-12 * max(1.0, single[i][2])]
    zero = tuple(sorted(key for i, key in predictors if i in mean and (i, key) not in usable))
    no_model = DriverModel(journey, int(n), None, MIN_DRIVER_R2, zero)
    if n < 3 or yy <= 1e-12 * max(1.0, sum_yy):
        return [], no_model  # too few, or everyone gave the same NPS: nothing to explain
    if not usable or n <= len(usable) + 1:
        return [], no_model  # a regression needs more respondents than predictors plus one
    index = [i for i, _ in usable]

    def cross(i, j):
        if i == j:
            return deviation[i]
        a, b = min(i, j), max(i, j)
        count, s_ab, s_a, s_b = pair[(a, b)]
        return s_ab - mean[b] * s_a - mean[a] * s_b + count * mean[a] * mean[b]

    covariance = np.array([[cross(a, b) for b in index] for a in index])
    with_y = np.array([single[i][3] - mean[i] * single[i][4] - mean_y * single[i][1] + single[i][0] * mean[i] * mean_y
                       for i in index])
    sd = np.sqrt(np.diag(covariance))
    matrix = covariance / np.outer(sd, sd)
    target = with_y / (sd * math.sqrt(yy))
    weights, r2 = (shapley_weights if len(index) <= SHAPLEY_LIMIT else relative_weights)(matrix, target)
    out = []
    for (i, key), weight in zip(usable, weights):
        share = weight / r2 if r2 > 1e-12 else 0.0
        out.append(Driver(journey, key, max(0.0, share), _pairwise_correlation(single[i])))
    model = DriverModel(journey, int(n), max(0.0, min(1.0, float(r2))), MIN_DRIVER_R2, zero)
    return sorted(out, key=lambda d: (-round(d.weight, 12), d.touchpoint)), model


def _pairwise_correlation(sums) -> float | None:
    """Pearson's r of a touchpoint's valence and NPS over the respondents who gave both."""
    count, s_x, s_xx, s_xy, s_y, s_yy = sums
    if count < 2:
        return None
    xx = s_xx - s_x * s_x / count
    yy = s_yy - s_y * s_y / count
    if xx <= 0 or yy <= 0:
        return None
    return (s_xy - s_x * s_y / count) / math.sqrt(xx * yy)


def to_json(results: Results, workspace) -> dict:
    """The results as JSON data (see :mod:`journeyql.measure.report`)."""
    from .report import to_json as report

    return report(results, workspace)


def to_markdown(results: Results, workspace, locale: str | None = None) -> str:
    from .report import to_markdown as report

    return report(results, workspace, locale)


def to_html(results: Results, workspace, locale: str | None = None) -> str:
    from .report import to_html as report

    return report(results, workspace, locale)
