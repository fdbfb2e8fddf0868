"""Measurement waves: each wave of a plan analysed on its own, the latest as the current results.

A plan's waves name their own response files (``wave q2 { data "..." }``), and every validated
answer keeps the index of the file it came from (the ``src`` column of ``responses``). So one load
of all files serves every wave: the ``responses`` view is pointed at one wave's files at a time and
:func:`journeyql.measure.analysis.compute` runs on it unchanged. The current results (what every
renderer shows as ``context.results``) are the answers of plans without waves plus the latest wave
of each plan with waves: a team's curve is today's, not an average over years.

Per wave, one more small query counts each respondent's valence answers and their sum per step and
per journey (whole points, so the counts are exact integers): the changes between waves compare
respondents, not answers (:mod:`journeyql.measure.trends`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .results import REPORT_N, SHOW_N, Results, WaveResults

#: The view of every validated answer with its file's index (made by ``load_responses``).
_ALL = "_jql_answers"


def _same_file(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def wave_files(workspace, root: Path) -> dict[str, tuple[str, str]]:
    """The real path of every wave's response file -> (measurement id, wave id)."""
    found = {}
    for measurement in getattr(workspace, "measurements", ()) or ():
        for wave in getattr(measurement, "waves", ()) or ():
            for name in wave.data:
                found.setdefault(_same_file(Path(root) / name), (measurement.id, wave.id))
    return found


def wave_rounds(workspace, root: Path, paths: list[Path]) -> list[int]:
    """Per file, a number for its wave (0 for a file of no wave): duplicates are looked for within one."""
    files = wave_files(workspace, root)
    numbers: dict[tuple[str, str], int] = {}
    for key in files.values():
        numbers.setdefault(key, len(numbers) + 1)
    return [numbers.get(files.get(_same_file(Path(p))), 0) for p in paths]


def has_waves(workspace) -> bool:
    return any(getattr(m, "waves", ()) for m in getattr(workspace, "measurements", ()) or ())


def compute_with_waves(workspace, con, root: Path, source_paths: list[Path], *, report_n: int = REPORT_N,
                       show_n: int = SHOW_N) -> Results:
    """The results of ``responses`` on ``con``, with each plan's waves analysed on their own.

    ``source_paths`` are the loaded files in load order (the ``src`` of each answer). Without waves this
    is :func:`~journeyql.measure.analysis.compute`, exactly.
    """
    from .analysis import compute
    from .trends import changes_and_trends

    if not has_waves(workspace) or not _has_view(con, _ALL):
        return compute(workspace, con, report_n=report_n, show_n=show_n)
    files = wave_files(workspace, root)
    owner = [files.get(_same_file(Path(p))) for p in source_paths]  # per src: (measurement, wave) or None
    try:
        present = {row[0] for row in con.execute(f"SELECT DISTINCT src FROM {_ALL}").fetchall()}
        waves: list[WaveResults] = []
        respondents: dict[tuple[str, str], dict] = {}
        latest_sources: list[int] = []
        for measurement in workspace.measurements:
            measured = []
            for wave in measurement.waves:
                sources = [i for i, o in enumerate(owner) if o == (measurement.id, wave.id) and i in present]
                if sources:
                    measured.append((wave, sources))
            baseline = measurement.baseline_wave
            for index, (wave, sources) in enumerate(measured):
                _show(con, sources)
                results = compute(workspace, con, report_n=report_n, show_n=show_n)
                respondents[(measurement.id, wave.id)] = respondent_valence(con, workspace, measurement.journey)
                waves.append(WaveResults(measurement.id, wave.id, wave.label, wave.period, _only(results, measurement),
                                         baseline=baseline is not None and wave.id == baseline.id,
                                         latest=index == len(measured) - 1))
            if measured:
                latest_sources.extend(measured[-1][1])
        current = sorted({i for i, o in enumerate(owner) if o is None} | set(latest_sources))
        _show(con, current)
        results = compute(workspace, con, report_n=report_n, show_n=show_n)
    finally:
        con.execute(f"CREATE OR REPLACE VIEW responses AS SELECT * EXCLUDE (src) FROM {_ALL}")
    changes, trends = changes_and_trends(workspace, waves, respondents, report_n, show_n)
    return replace(results, waves=tuple(waves), changes=changes, trends=trends)


def _show(con, sources: list[int]) -> None:
    """Point ``responses`` at the answers of these files."""
    wanted = ", ".join(str(i) for i in sources) or "NULL"
    con.execute(f"CREATE OR REPLACE VIEW responses AS SELECT * EXCLUDE (src) FROM {_ALL} WHERE src IN ({wanted})")


def _has_view(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchall()[0][0])


def _only(results: Results, measurement) -> Results:
    """A wave's results keep only its own plan's KPI targets."""
    return replace(results, kpis=tuple(k for k in results.kpis if k.measurement == measurement.id))


def respondent_valence(con, workspace, journey_id: str) -> dict:
    """(level, key) -> [respondents, sum, sum of squares] of each respondent's mean valence there.

    Levels: ``touchpoints``, ``steps``, ``journeys``. Counted from (answers, their sum) patterns per
    respondent, which are exact integers for whole-point answers, then summed in a fixed order: the
    same data gives the same bytes whatever order DuckDB hands the rows back in.
    """
    journey = workspace.get(journey_id)
    if journey is None:
        return {}
    step_of = {tp.key.split(".", 1)[1]: (tp.key, step.key) for step in journey.steps for tp in step.touchpoints}
    rows = con.execute("""
        SELECT touchpoint, k, s, count(*) FROM (
            SELECT respondent_id, touchpoint, count(*) AS k, sum(num) AS s FROM responses
            WHERE journey = ? AND item = 'valence' AND num IS NOT NULL AND touchpoint IS NOT NULL
            GROUP BY respondent_id, touchpoint)
        GROUP BY ALL""", [journey_id]).fetchall()
    out: dict = {}

    def add(level, key, mean, n):
        found = out.setdefault((level, key), [0, 0.0, 0.0])
        found[0] += n
        found[1] += mean * n
        found[2] += mean * mean * n

    for touchpoint, k, s, n in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        if touchpoint in step_of:
            add("touchpoints", step_of[touchpoint][0], s / k, n)
    for level, group in (("steps", "t.step"), ("journeys", "NULL")):
        places = ", ".join(f"('{local}', '{step}')" for local, (_, step) in sorted(step_of.items())
                           if "'" not in local + step) or "(NULL, NULL)"
        query = f"""
            SELECT key, k, s, count(*) FROM (
                SELECT r.respondent_id, {group} AS key, count(*) AS k, sum(r.num) AS s
                FROM responses AS r JOIN (VALUES {places}) AS t(local, step) ON r.touchpoint = t.local
                WHERE r.journey = ? AND r.item = 'valence' AND r.num IS NOT NULL
                GROUP BY ALL)
            GROUP BY ALL"""
        for key, k, s, n in sorted(con.execute(query, [journey_id]).fetchall(),
                                   key=lambda r: (r[0] or "", r[1], r[2])):
            add(level, key if level == "steps" else journey_id, s / k, n)
    return out
