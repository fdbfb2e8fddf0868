"""The sector benchmark: organisations that share a journey, compared step by step and touchpoint by touchpoint.

For every step and touchpoint of a journey several organisations share (``organisations a, b``), each
organisation's mean valence is compared with *the rest of the sector*: the respondents of the other
organisations sharing the journey. The test is Welch's t-test (unequal variances) on respondent-level
scores: a respondent's score at a step is the mean of their valence answers at its touchpoints (at a
touchpoint, their one answer), so nobody counts twice. The p-values of one journey and level (all
organisations x all steps, or all organisations x all touchpoints) are one family, corrected with Holm's
step-down method; a difference is *supported* when its adjusted p is below ``ALPHA``. An organisation, or
the rest, with fewer than ``report_n`` respondents at a place is *not enough data* and is not tested (it
does not enlarge the family either). docs/analysis.md, "Benchmark", has a worked example.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import REPORT_N, SHOW_N
from .statistics import _sample_sd, mean_interval, sample_size, welch_p

#: Family-wise error rate of the benchmark's decisions (after Holm's correction).
ALPHA = 0.05


@dataclass(frozen=True)
class OrganisationScore:
    """One organisation at one step or touchpoint, against the rest of the sector."""

    organisation: str
    n: int = 0                                     #: respondents with a valence answer here
    mean: float | None = None                      #: mean respondent score, on the journey's scale
    ci: tuple[float, float] | None = None          #: 95% t-interval of the mean
    sd: float | None = None
    sample: str = "none"                           #: none | too_small | small | ok (as Metrics.sample)
    rest_n: int = 0                                #: respondents of the other organisations here
    rest_mean: float | None = None
    difference: float | None = None                #: mean minus the rest's mean
    p: float | None = None                         #: Welch's two-sided p, before correction
    p_adjusted: float | None = None                #: Holm-adjusted p within the journey and level
    #: higher | lower (supported difference) | no_difference | not_enough_data | no_data
    verdict: str = "no_data"

    @property
    def supported(self) -> bool:
        return self.verdict in ("higher", "lower")


@dataclass(frozen=True)
class BenchmarkRow:
    """A step or touchpoint: the sector's figure and every organisation's."""

    subject: str                                   #: step or touchpoint key
    n: int = 0                                     #: respondents of every organisation here
    mean: float | None = None                      #: the sector mean (all respondents pooled)
    ci: tuple[float, float] | None = None          #: the sector band: 95% interval of that mean
    organisations: tuple[OrganisationScore, ...] = ()

    def score(self, organisation: str) -> OrganisationScore | None:
        return next((s for s in self.organisations if s.organisation == organisation), None)

    def ranked(self, show_n: int = SHOW_N) -> list[OrganisationScore]:
        """The organisations shown here (``show_n`` respondents or more), best first; ties by id."""
        shown = [s for s in self.organisations if s.mean is not None and s.n >= show_n]
        return sorted(shown, key=lambda s: (-s.mean, s.organisation))

    def best_and_worst(self, report_n: int = REPORT_N) -> tuple[str | None, str | None]:
        """The organisations with the highest and the lowest mean, among those with ``report_n``
        respondents or more, when at least two have; else (None, None).

        A figure below ``report_n`` is shown, marked as a small sample, but not ranked: "best" on a
        board's page reads as a finding, and 28 respondents against 33 are not one."""
        ranked = self.ranked(report_n)
        return (ranked[0].organisation, ranked[-1].organisation) if len(ranked) > 1 else (None, None)


@dataclass(frozen=True)
class JourneyBenchmark:
    journey: str
    organisations: tuple[str, ...]
    sector: str | None = None                      #: the organisations' one sector, if they share one
    steps: tuple[BenchmarkRow, ...] = ()
    touchpoints: tuple[BenchmarkRow, ...] = ()
    alpha: float = ALPHA
    test: str = "welch_vs_rest"
    correction: str = "holm"


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: (p_values[i], i))
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


Stats = tuple[int, float, float]  # respondents, sum of scores, sum of squared scores


def compare(journey, stats: dict[tuple[str, str, str], Stats], sector: str | None = None, *,
            report_n: int = REPORT_N, show_n: int = SHOW_N, alpha: float = ALPHA) -> JourneyBenchmark:
    """The benchmark of ``journey`` from respondent-level sufficient statistics.

    ``stats`` maps (level, subject key, organisation) to (n, sum, sum of squares) of the respondents'
    scores, level ``steps`` or ``touchpoints``.
    """
    bounds = (float(journey.scale.low), float(journey.scale.high))
    organisations = tuple(journey.organisations)
    levels = {}
    for level, subjects in (("steps", [s.key for s in journey.steps]),
                            ("touchpoints", [t.key for t in journey.touchpoints])):
        drafts = []
        for subject in subjects:
            own = {o: stats.get((level, subject, o), (0, 0.0, 0.0)) for o in organisations}
            total = tuple(sum(v[i] for v in own.values()) for i in range(3))
            mean, ci = mean_interval(*total, bounds)
            scores = []
            for o in organisations:
                n, s, ss = own[o]
                rest = (total[0] - n, total[1] - s, total[2] - ss)
                o_mean, o_ci = mean_interval(n, s, ss, bounds)
                r_mean = rest[1] / rest[0] if rest[0] else None
                scores.append(dict(organisation=o, n=n, mean=o_mean, ci=o_ci, sd=_sample_sd(n, s, ss),
                                   sample=sample_size(n, report_n, show_n), rest_n=rest[0], rest_mean=r_mean,
                                   difference=o_mean - r_mean if o_mean is not None and r_mean is not None else None,
                                   verdict="no_data" if n == 0 else "not_enough_data",
                                   _rest_sd=_sample_sd(*rest)))
            drafts.append((subject, total[0], mean, ci, scores))
        # one family per journey and level: every test that had enough data on both sides
        tested = [score for _, _, _, _, scores in drafts for score in scores
                  if score["n"] >= report_n and score["rest_n"] >= report_n]
        for score in tested:
            score["p"] = welch_p(score["n"], score["mean"], score["sd"], score["rest_n"], score["rest_mean"],
                                 score["_rest_sd"])
        for score, adjusted in zip(tested, holm([s["p"] for s in tested])):
            score["p_adjusted"] = adjusted
            score["verdict"] = ("no_difference" if adjusted >= alpha
                                else "higher" if score["difference"] > 0 else "lower")
        levels[level] = tuple(
            BenchmarkRow(subject, n, mean, ci, tuple(
                OrganisationScore(**{k: v for k, v in score.items() if not k.startswith("_")}) for score in scores))
            for subject, n, mean, ci, scores in drafts)
    return JourneyBenchmark(journey.id, organisations, sector, levels["steps"], levels["touchpoints"], alpha)


def to_json(found: JourneyBenchmark, rounded, report_n: int = REPORT_N) -> dict:
    """One journey's benchmark as JSON data (``analyze --format json``: ``benchmark.journeys``)."""
    def row(r: BenchmarkRow) -> dict:
        best, worst = r.best_and_worst(report_n)
        return {"n": r.n, "mean": rounded(r.mean), "ci": rounded(r.ci), "best": best, "worst": worst,
                "organisations": {s.organisation: {
                    "n": s.n, "mean": rounded(s.mean), "ci": rounded(s.ci), "sample": s.sample,
                    "rest_n": s.rest_n, "rest_mean": rounded(s.rest_mean), "difference": rounded(s.difference),
                    "p": rounded(s.p), "p_adjusted": rounded(s.p_adjusted), "verdict": s.verdict}
                    for s in r.organisations}}

    return {"organisations": list(found.organisations), "sector": found.sector, "test": found.test,
            "correction": found.correction, "alpha": found.alpha,
            "steps": {r.subject: row(r) for r in found.steps},
            "touchpoints": {r.subject: row(r) for r in found.touchpoints}}
