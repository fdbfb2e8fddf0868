"""The shared journeys' benchmark in the Markdown and HTML reports: per step and touchpoint, the sector
mean with its interval, every organisation's score against the rest of the sector, and the verdict in
words (``benchmark.journeys`` of the JSON, as a reader reads it; the test is measure/benchmark.py's)."""

from __future__ import annotations

_WORDS = {
    "en": {"title": "Benchmark of the organisations sharing this journey: {level}", "steps": "steps",
           "touchpoints": "touchpoints", "step": "Step", "touchpoint": "Touchpoint", "against": "against the rest",
           "sector": "Sector mean (95% CI)", "best": "Best / worst",
           "higher": "higher than the rest of the sector (supported)",
           "lower": "lower than the rest of the sector (supported)",
           "no_difference": "not different from the rest (no supported difference)",
           "not_enough_data": "not enough data", "no_data": "no answers",
           "note": "Each organisation against the rest of the sector: Welch's t on respondents' mean valence, "
                   "Holm-corrected over all organisations and {level} of the journey together (α = {alpha}); an "
                   "organisation or rest with fewer than {n} respondents is not enough data."},
    "nl": {"title": "Benchmark van de organisaties die deze klantreis delen: {level}", "steps": "stappen",
           "touchpoints": "contactmomenten", "step": "Stap", "touchpoint": "Contactmoment", "against": "t.o.v. de rest",
           "sector": "Sectorgemiddelde (95%-BI)", "best": "Beste / slechtste",
           "higher": "hoger dan de rest van de sector (onderbouwd)",
           "lower": "lager dan de rest van de sector (onderbouwd)",
           "no_difference": "niet anders dan de rest (geen onderbouwd verschil)",
           "not_enough_data": "te weinig data", "no_data": "geen antwoorden",
           "note": "Elke organisatie tegen de rest van de sector: Welch-t op de gemiddelde valentie per respondent, "
                   "Holm-gecorrigeerd over alle organisaties en {level} van de klantreis samen (α = {alpha}); een "
                   "organisatie of rest met minder dan {n} respondenten is te weinig data."},
}


def benchmark_sections(results, journey, fmt, label, locale: str | None, section) -> list:
    """The sections on ``journey``'s benchmark (none when no organisations share it or nothing was measured)."""
    found = getattr(results, "benchmarks", {}).get(journey.id)
    if found is None:
        return []
    words = _WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), _WORDS["en"])
    out = []
    for level, rows in (("steps", found.steps), ("touchpoints", found.touchpoints)):
        if not any(row.n for row in rows):
            continue
        table = []
        for row in rows:
            best, worst = row.best_and_worst(results.report_n)
            cells = [label(row.subject),
                     fmt.interval(row.mean, row.ci) if row.n >= results.show_n else "–"]
            for organisation in found.organisations:
                score = row.score(organisation)
                if score is None or score.n == 0:
                    cells.append(words["no_data"])
                    continue
                shown = fmt.interval(score.mean, score.ci) if score.n >= results.show_n else "–"
                difference = (f"; {fmt.number(score.difference, 2, sign=True)} {words['against']}"
                              if score.difference is not None and score.n >= results.show_n else "")
                cells.append(f"{shown} (n={score.n}{difference}): {words[score.verdict]}")
            cells.append(f"{label(best)} / {label(worst)}" if best is not None else "–")
            table.append(cells)
        out.append(section(
            3, words["title"].format(level=words[level]),
            header=[words[level[:-1]], words["sector"], *(label(o) for o in found.organisations), words["best"]],
            rows=table,
            lines=[words["note"].format(level=words[level], alpha=fmt.plain(found.alpha), n=results.report_n)]))
    return out
