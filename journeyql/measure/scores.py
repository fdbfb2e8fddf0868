"""Respondent scores: each respondent's mean valence per touchpoint, step and journey, in one pass.

The sector benchmark (:mod:`journeyql.measure.benchmark`) and the changes between waves
(:mod:`journeyql.measure.trends`) both test *respondents*, not answers: a respondent's score at a
step is the mean of their valence answers at its touchpoints (at a touchpoint, their one answer), so
nobody counts twice. Both need the same per-respondent sums, so they are made once per analysis,
without a scan of their own: ``compute``'s one-row-per-respondent pass keeps each respondent's
valence answers as a short list (:data:`VALENCES`), which becomes a small table (a row per
touchpoint a respondent rated, keyed by an integer), rolled up per step and per journey, and counted as patterns
(level, journey, organisation, subject, answers, their sum, respondents). The patterns are small
whatever the number of answers, and every mean and sum of squares follows from them in Python, in a
fixed order, so the same data gives the same bytes whatever order DuckDB returns the rows in.

Before this module each consumer made its own passes (the benchmark joined every valence answer with
its respondent's row; the waves ran three queries per wave, one per level): five organisations over
four waves cost a third of the analysis (``docs/performance.md``, "Measurement waves").
"""

from __future__ import annotations

_PLACES = "_jql_score_places"
_SCORES = "_jql_scores"

#: The aggregate ``compute``'s one-row-per-respondent query adds when scores are wanted: the respondent's
#: valence answers as (touchpoint position, value) pairs, so no second scan of the answers is needed.
VALENCES = ("list({'p': t.position, 'v': r.num}) FILTER (WHERE r.item = 'valence' AND t.position IS NOT NULL "
            "AND r.num IS NOT NULL) AS valences")

# Per respondent (the row number of ``_jql_respondents``: an integer, where the answers have a text id and a
# journey) and touchpoint: the valence answers and their sum. The organisation is the respondent's one.
_BUILD = f"""
CREATE OR REPLACE TEMP TABLE {_SCORES} AS
SELECT x.rid, x.journey, x.organisation, p.tp, p.step, count(*) AS k, sum(x.v) AS s FROM (
    SELECT rid, journey, organisation, a.p AS position, a.v AS v FROM (
        SELECT rowid AS rid, journey, organisation, unnest(valences) AS a FROM _jql_respondents)) AS x
JOIN {_PLACES} AS p ON x.journey = p.journey AND x.position = p.position
GROUP BY x.rid, x.journey, x.organisation, p.tp, p.step
"""

_PATTERNS = f"""
SELECT 'touchpoints' AS level, journey, organisation, tp AS subject, k, s, count(*) AS n FROM {_SCORES} GROUP BY ALL
UNION ALL
SELECT 'steps', journey, organisation, step, k, s, count(*) FROM (
    SELECT rid, journey, organisation, step, sum(k) AS k, sum(s) AS s FROM {_SCORES}
    GROUP BY rid, journey, organisation, step) GROUP BY ALL
UNION ALL
SELECT 'journeys', journey, organisation, journey, k, s, count(*) FROM (
    SELECT rid, journey, organisation, sum(k) AS k, sum(s) AS s FROM {_SCORES}
    GROUP BY rid, journey, organisation) GROUP BY ALL
"""


def score_patterns(con, workspace, journey_ids) -> list[tuple]:
    """(level, journey, organisation, subject, answers, sum, respondents) of the journeys named.

    Needs ``_jql_respondents`` on ``con`` with the :data:`VALENCES` column; leaves no table behind.
    """
    places = []
    for journey_id in sorted(set(journey_ids)):
        journey = workspace.get(journey_id)
        # a touchpoint's position in its journey, as compute's ``_jql_touchpoints`` numbers them
        places.extend((journey_id, position, tp, step) for position, (tp, step) in enumerate(
            (tp.key, step.key) for step in getattr(journey, "steps", ()) for tp in step.touchpoints))
    if not places:
        return []
    from .analysis import _table

    _table(con, _PLACES, "journey VARCHAR, position INTEGER, tp VARCHAR, step VARCHAR", places)
    try:
        con.execute(_BUILD)
        return con.execute(_PATTERNS).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_SCORES}")
        con.execute(f"DROP TABLE IF EXISTS {_PLACES}")


def valence_stats(patterns, journey_ids) -> dict:
    """(level, key) -> [respondents, sum, sum of squares] of each respondent's mean valence there.

    Levels ``touchpoints``, ``steps``, ``journeys``, for the journeys named, all organisations pooled.
    """
    wanted = set(journey_ids)
    counts: dict = {}
    for level, journey, _, subject, k, s, n in patterns:
        if journey in wanted:
            key = (level, subject, k, s)
            counts[key] = counts.get(key, 0) + n  # exact integers: pooling organisations changes no sum
    out: dict = {}
    for (level, subject, k, total), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][3])):
        mean = total / k
        found = out.setdefault((level, subject), [0, 0.0, 0.0])
        found[0] += n
        found[1] += mean * n
        found[2] += mean * mean * n
    return out


def benchmark_stats(patterns, journey_ids) -> dict:
    """(journey, level, subject, organisation) -> [n, sum, squares] of respondent scores at steps and touchpoints.

    Respondents without an organisation take no part; the organisations of the journeys named only.
    """
    from .analysis import _row_order

    wanted = set(journey_ids)
    counts: dict = {}
    for level, journey, organisation, subject, k, s, n in patterns:
        if journey in wanted and organisation is not None and level in ("steps", "touchpoints"):
            key = (level, journey, organisation, subject, s / k)  # one row per score, whatever answers made it
            counts[key] = counts.get(key, 0) + n
    stats: dict = {}
    for (level, journey, organisation, subject, score), n in sorted(
            counts.items(), key=lambda kv: _row_order((*kv[0], kv[1]))):
        found = stats.setdefault((journey, level, subject, str(organisation)), [0, 0.0, 0.0])
        found[0] += n
        found[1] += score * n
        found[2] += score * score * n
    return stats
