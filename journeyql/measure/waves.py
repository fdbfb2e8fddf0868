"""Measurement waves: each wave of a plan analysed on its own, the latest as the current results.

A plan's waves name their own response files (``wave q2 { data "..." }``), and every validated
answer keeps the index of the file it came from (the ``src`` column of ``responses``). So one load
of all files serves every wave: the ``responses`` view is pointed at one wave's files at a time and
:func:`journeyql.measure.analysis.compute` runs on it unchanged. The current results (what every
renderer shows as ``context.results``) are the answers of plans without waves plus the latest wave
of each plan with waves: a team's curve is today's, not an average over years.

Per wave, the analysis also counts each respondent's valence answers and their sum per touchpoint,
step and journey (:mod:`journeyql.measure.scores`, the same pass as the benchmark's): the changes
between waves compare respondents, not answers (:mod:`journeyql.measure.trends`).
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

    The k-th waves of plans that measure different journeys are analysed together, in one *round*
    (their subjects never mix: every touchpoint, step and stage belongs to one journey), so six plans
    of four waves cost four analyses, not twenty-four. A wave's results keep its own journey's
    subjects; the pooled levels (personas, organisations, sectors), which a round would mix, are in
    the current results only.
    """
    from .analysis import compute, compute_with_valence
    from .judgement import against_previous
    from .trends import changes_and_trends

    if not has_waves(workspace) or not _has_view(con, _ALL):
        return compute(workspace, con, report_n=report_n, show_n=show_n)
    files = wave_files(workspace, root)
    owner = [files.get(_same_file(Path(p))) for p in source_paths]  # per src: (measurement, wave) or None
    try:
        present = {row[0] for row in con.execute(f"SELECT DISTINCT src FROM {_ALL}").fetchall()}
        rounds: dict[tuple[int, int], list] = {}   # (journey's plan number, wave number) -> members
        seen_journeys: dict[str, int] = {}
        latest_sources: list[int] = []
        for measurement in workspace.measurements:
            measured = []
            for wave in measurement.waves:
                sources = [i for i, o in enumerate(owner) if o == (measurement.id, wave.id) and i in present]
                if sources:
                    measured.append((wave, sources))
            if not measured:
                continue
            series = seen_journeys.get(measurement.journey, 0)  # a second plan of one journey: rounds of its own
            seen_journeys[measurement.journey] = series + 1
            for index, (wave, sources) in enumerate(measured):
                rounds.setdefault((series, index), []).append((measurement, wave, sources, index == len(measured) - 1))
            latest_sources.extend(measured[-1][1])
        current = sorted({i for i, o in enumerate(owner) if o is None and i in present} | set(latest_sources))
        waves: dict[tuple[str, str], WaveResults] = {}
        respondents: dict[tuple[str, str], dict] = {}
        current_results = None
        for key in sorted(rounds):
            members = rounds[key]
            sources = sorted(i for _, _, found, _ in members for i in found)
            _show(con, sources)
            results, valence = compute_with_valence(workspace, con, [m.journey for m, _, _, _ in members],
                                                    report_n=report_n, show_n=show_n)
            if sources == current:
                current_results = results  # the latest waves and nothing else: the current results already
            for measurement, wave, _, latest in members:
                baseline = measurement.baseline_wave
                respondents[(measurement.id, wave.id)] = valence
                waves[(measurement.id, wave.id)] = WaveResults(
                    measurement.id, wave.id, wave.label, wave.period, _only(results, workspace, measurement),
                    baseline=baseline is not None and wave.id == baseline.id, latest=latest)
        if current_results is None:
            _show(con, current)
            current_results = compute(workspace, con, report_n=report_n, show_n=show_n)
    finally:
        con.execute(f"CREATE OR REPLACE VIEW responses AS SELECT * EXCLUDE (src) FROM {_ALL}")
    ordered = tuple(waves[(m.id, w.id)] for m in workspace.measurements for w in m.waves if (m.id, w.id) in waves)
    changes, trends = changes_and_trends(workspace, ordered, respondents, report_n, show_n)
    ordered, kpis = against_previous(workspace, ordered, changes, current_results.kpis)
    return replace(current_results, waves=ordered, changes=changes, trends=trends, kpis=kpis)


def _show(con, sources: list[int]) -> None:
    """Point ``responses`` at the answers of these files."""
    wanted = ", ".join(str(i) for i in sources) or "NULL"
    con.execute(f"CREATE OR REPLACE VIEW responses AS SELECT * EXCLUDE (src) FROM {_ALL} WHERE src IN ({wanted})")


def _has_view(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchall()[0][0])


def _only(results: Results, workspace, measurement) -> Results:
    """A wave's results: its plan's journey (its stages, steps, touchpoints, personas per step, moments,
    drivers) and its plan's KPI targets; no pooled levels (a round of waves could mix plans there)."""
    journey = measurement.journey
    mine = lambda key: key == journey or key.split(".", 1)[0] == journey  # noqa: E731
    return replace(
        results,
        touchpoints={k: v for k, v in results.touchpoints.items() if mine(k)},
        steps={k: v for k, v in results.steps.items() if mine(k)},
        stages={k: v for k, v in results.stages.items() if mine(k)},
        journeys={k: v for k, v in results.journeys.items() if k == journey},
        persona_steps={k: v for k, v in results.persona_steps.items() if mine(k[1])},
        personas={}, organisations={}, sectors={},
        moments=tuple(m for m in results.moments if m.journey == journey),
        drivers=tuple(d for d in results.drivers if d.journey == journey),
        driver_models={k: v for k, v in results.driver_models.items() if k == journey},
        kpis=tuple(k for k in results.kpis if k.measurement == measurement.id))
