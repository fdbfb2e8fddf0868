"""Synthetic responses from a spec: what a measurement would give if the spec's expectations were true.

For each measurement plan, ``respondents`` customers go through the journey: a
persona drawn by ``persona.share``, a touchpoint met with its ``reach``
(percent) unless the persona ``skips`` the step, and after every sampled
touchpoint they answer the plan's instruments. The true mean valence of a
touchpoint is the expected emotion (the persona's view over the step's),
shifted by ``effects``; each respondent adds a personal mood (so answers of one
person correlate) and noise, rounded and clipped to the instrument's scale.
Emotions come from the step's expected emotions; intentions, CES and CSAT
follow valence; the journey's NPS is driven by the touchpoints' valences
(moments of truth and the last touchpoint weigh more, as peak-end predicts),
so a key-driver analysis has something to find.

Several waves (``wave`` 2, 3, ...) are new rounds of fieldwork: new respondents, a quarter later,
and ``drift`` added once per wave since the first (wave k shifts by (k - 1) x drift), so a
touchpoint can improve or slip over time. Wave 1 is exactly the rows without waves.

Seeded and deterministic: the same spec, seed and options give the same rows.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from .responses import COLUMNS, DEFAULT_RANGES

#: Emotions of the named sets (and common custom ones) that feel good; the rest count as negative.
POSITIVE_EMOTIONS = {"desire", "satisfaction", "pride", "hope", "joy", "fascination", "admiration", "relief",
                     "gratitude", "trust", "interested", "excited", "strong", "enthusiastic", "proud", "alert",
                     "inspired", "determined", "attentive", "active"}
#: Intentions that follow a good experience; every other one follows a bad experience.
POSITIVE_INTENTS = {"recommend", "buy_more", "stay", "renew", "return", "upgrade"}

START = datetime(2026, 3, 2, 9, 0, 0)
MOOD_SD = 0.5    # a respondent's personal offset, on the journey's scale
NOISE_SD = 0.9   # answer-to-answer noise, on the journey's scale


class SimulationError(Exception):
    """The options do not fit the spec (an effect naming no touchpoint, no measurement plan)."""


#: Days between the starts of two simulated waves (a quarter).
WAVE_DAYS = 91


def simulate(workspace, *, respondents: int = 300, seed: int = 0, effects: Mapping[str, float] | None = None,
             measurements: tuple[str, ...] = (), wave: int = 1, drift: Mapping[str, float] | None = None
             ) -> Iterator[dict]:
    """Canonical response rows for every measurement plan (or those named), in a fixed order.

    ``wave`` (1, 2, ...) is the round of fieldwork: wave k adds (k - 1) x ``drift`` to the effects,
    draws its own respondents (ids marked with the wave) and starts k - 1 quarters later.
    """
    if respondents < 1:
        raise SimulationError("--respondents must be at least 1")
    if wave < 1:
        raise SimulationError("--waves must be at least 1")
    plans = [m for m in workspace.measurements if not measurements or m.id in measurements]
    unknown = sorted(set(measurements) - {m.id for m in workspace.measurements})
    if unknown:
        raise SimulationError(f"no measurement plan {', '.join(unknown)}; plans: "
                              f"{', '.join(m.id for m in workspace.measurements) or 'none'}")
    if not plans:
        raise SimulationError("the workspace has no measurement plan to simulate")
    shifts = _effects(workspace, plans, effects or {})
    for key, shift in _effects(workspace, plans, drift or {}, option="--drift").items():
        shifts[key] = shifts.get(key, 0.0) + (wave - 1) * shift
    for plan in plans:
        journey = workspace.get(plan.journey)
        # string seeds are stable across Python versions; wave 1 keeps the seed of a simulation without waves
        base = f"{seed}:{plan.id}" if wave == 1 else f"{seed}:{plan.id}:wave{wave}"
        if journey.shared:
            # a benchmark: `respondents` customers of each organisation, each through its own view of the journey
            for organisation in journey.organisations:
                rng = random.Random(f"{base}:{organisation}")
                for row in _plan_rows(workspace, plan, journey.for_organisation(organisation), respondents, rng,
                                      shifts, wave):
                    row["respondent_id"] = f"{organisation}_{row['respondent_id']}"
                    row["organisation"] = organisation
                    yield row
            continue
        yield from _plan_rows(workspace, plan, journey, respondents, random.Random(base), shifts, wave)


def _effects(workspace, plans, effects: Mapping[str, float], option: str = "--effect") -> dict[str, float]:
    """Effect names (a touchpoint's local id or key, or a step key) -> shift per touchpoint key."""
    shifts: dict[str, float] = {}
    for name, shift in sorted(effects.items()):
        matched = False
        for plan in plans:
            journey = workspace.get(plan.journey)
            for step in journey.steps:
                for touchpoint in step.touchpoints:
                    if name in (touchpoint.key, touchpoint.key.split(".", 1)[1], step.key):
                        shifts[touchpoint.key] = shifts.get(touchpoint.key, 0.0) + float(shift)
                        matched = True
        if not matched:
            raise SimulationError(f"{option} {name}: no touchpoint or step of that name in the simulated journeys")
    return shifts


def _instruments(plan) -> dict:
    found = {}
    for instrument in plan.instruments:
        found.setdefault(instrument.kind, instrument)
    return found


def _emotion_names(instrument) -> tuple[str, ...]:
    from ..language.schema import EMOTION_SETS

    if instrument is None:
        return ()
    return tuple(instrument.items or EMOTION_SETS.get(instrument.set or "", ()))


def _persona_weights(workspace, journey) -> list[tuple[str | None, float]]:
    ids = list(journey.personas)
    if not ids:
        return [(None, 1.0)]
    shares = {pid: getattr(workspace.get(pid), "share", None) for pid in ids}
    known = sum(s for s in shares.values() if s)
    missing = [pid for pid, s in shares.items() if not s]
    rest = max(100.0 - known, 0.0) / len(missing) if missing else 0.0
    weights = [(pid, shares[pid] or rest or 1.0) for pid in ids]
    return weights


def _draw(rng: random.Random, weights: list[tuple[str | None, float]]) -> str | None:
    total = sum(w for _, w in weights)
    pick = rng.random() * total
    for pid, weight in weights:
        pick -= weight
        if pick < 0:
            return pid
    return weights[-1][0]


def _clip_round(value: float, low: float, high: float) -> int:
    return int(min(max(round(value), math.ceil(low)), math.floor(high)))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _plan_rows(workspace, plan, journey, respondents: int, rng: random.Random, shifts, wave: int = 1
               ) -> Iterator[dict]:
    instruments = _instruments(plan)
    low, high = float(journey.scale.low), float(journey.scale.high)
    mid, half = (low + high) / 2, (high - low) / 2 or 1.0
    valence = instruments.get("valence")
    v_low, v_high = (valence.scale.low, valence.scale.high) if valence and valence.scale else (low, high)
    emotions = _emotion_names(instruments.get("emotions"))
    intents = tuple(instruments["intents"].items) if "intents" in instruments else ()
    sampled = {key for sample in plan.samples for key in sample.after}
    at_end = any(sample.end for sample in plan.samples)
    order = [(step, tp) for step in journey.steps for tp in step.touchpoints if tp.key in sampled]
    last = order[-1][1].key if order else None
    weights = _persona_weights(workspace, journey)
    prefix = "".join(part[0] for part in plan.id.split("_") if part) + (f"w{wave}-" if wave > 1 else "")
    start = START + timedelta(days=WAVE_DAYS * (wave - 1))
    width = max(4, len(str(respondents)))

    for index in range(1, respondents + 1):
        respondent = f"{prefix}{index:0{width}d}"
        persona = _draw(rng, weights)
        mood = rng.gauss(0.0, MOOD_SD)
        when = start + timedelta(minutes=37 * index)
        felt: list[tuple[float, float]] = []  # (standardised valence, weight) per touchpoint met
        for position, (step, touchpoint) in enumerate(order):
            view = next((v for v in step.personas if v.persona == persona), None)
            reach = touchpoint.reach if touchpoint.reach is not None else 100.0
            met = rng.random() * 100.0 < reach
            if (view is not None and view.skips) or not met:
                continue
            expected = (view.expected if view is not None and view.expected is not None else step.expected)
            mean = expected.score if expected is not None else mid
            true = mean + shifts.get(touchpoint.key, 0.0) + mood
            felt_now = true + rng.gauss(0.0, NOISE_SD)
            z = (min(max(felt_now, low), high) - mid) / half  # -1..1
            local = touchpoint.key.split(".", 1)[1]
            stamp = (when + timedelta(days=position)).isoformat()

            def row(item: str, value) -> dict:
                return {"respondent_id": respondent, "journey": journey.id, "touchpoint": local, "item": item,
                        "value": str(value), "timestamp": stamp, "persona": persona}

            if valence is not None:
                on_scale = v_low + (felt_now - low) / (high - low) * (v_high - v_low) if high > low else felt_now
                yield row("valence", _clip_round(on_scale, v_low, v_high))
            if emotions:
                named = expected.emotions if expected is not None else ()
                for name in named:
                    if name in emotions and rng.random() < 0.7:
                        yield row(f"emotion.{name}", _clip_round(3 + 2 * abs(z) + rng.gauss(0, 0.7), 1, 5))
                if rng.random() < 0.3:
                    pool = [e for e in emotions if (e in POSITIVE_EMOTIONS) == (z > 0) and e not in named]
                    if pool:
                        other = pool[int(rng.random() * len(pool))]
                        yield row(f"emotion.{other}", _clip_round(2 + 2 * abs(z) + rng.gauss(0, 0.7), 1, 5))
            for name in intents:
                lean = 2.5 * z - 0.3 if name in POSITIVE_INTENTS else -2.5 * z - 1.2
                yield row(f"intent.{name}", 1 if rng.random() < _sigmoid(lean) else 0)
            if "ces" in instruments:
                yield row("ces", _clip_round(4.5 + 2.0 * z + rng.gauss(0, 0.8), *DEFAULT_RANGES["ces"]))
            if "csat" in instruments:
                yield row("csat", _clip_round(3.4 + 1.6 * z + rng.gauss(0, 0.6), *DEFAULT_RANGES["csat"]))
            moment = touchpoint.moment is not None or step.moment is not None
            felt.append((z, (2.0 if moment else 1.0) + (1.0 if touchpoint.key == last else 0.0)))
        if at_end and felt and "nps" in instruments:
            total = sum(w for _, w in felt)
            driven = sum(z * w for z, w in felt) / total
            nps = _clip_round(7.5 + 4.0 * driven + rng.gauss(0, 1.3), *DEFAULT_RANGES["nps"])
            yield {"respondent_id": respondent, "journey": journey.id, "touchpoint": "", "item": "nps",
                   "value": str(nps), "timestamp": (when + timedelta(days=len(order))).isoformat(),
                   "persona": persona}


def write(rows, path: Path, fmt: str = "csv") -> int:
    """Write canonical rows (CSV or Parquet) atomically; returns the row count."""
    from ..host.output import write_atomic

    rows = list(rows)
    # a journey of one organisation implies it; a shared journey's respondents carry theirs
    columns = [c for c in COLUMNS if c != "organisation" or any(r.get("organisation") for r in rows)]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        from ..extras import require

        require("measure", "writing Parquet")
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({c: [r.get(c) or None for r in rows] for c in columns},
                         schema=pa.schema([(c, pa.string()) for c in columns]))
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        write_atomic(str(path), buffer.getvalue())
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c) or "" for c in columns])
        write_atomic(str(path), buffer.getvalue().encode("utf-8"))
    return len(rows)
