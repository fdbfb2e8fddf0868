"""The statistics of the analysis, as plain functions a test can check against an independent computation.

Means with t intervals clipped to the scale, Student's t quantile (from the regularised incomplete beta
function, so no SciPy at run time), Welch's test for a fall between two steps, the NPS with its
adjusted-Wald interval, small-sample classes, and the key-driver weights (exact Shapley values of R²,
or Johnson's relative weights, which approximate them for many predictors). ``analysis`` applies them.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations

from .results import REPORT_N, SHOW_N

#: Confidence level of every interval.
CONFIDENCE = 0.95


def mean_interval(count: int, total: float, squares: float, bounds: tuple[float, float] | None = None
                  ) -> tuple[float | None, tuple[float, float] | None]:
    """Mean and 95% t-interval from the sufficient statistics (count, sum, sum of squares).

    No answers: (None, None); one answer: (the answer, None), as a t-interval needs a variance;
    identical answers: (the answer, None) too, as a zero-width interval would claim a certainty no
    sample gives. ``bounds`` (the scale's low and high) clip the interval: a mean cannot leave its scale.
    """
    if count <= 0:
        return None, None
    mean = total / count
    if count == 1:
        return mean, None
    variance = max(0.0, (squares - total * total / count) / (count - 1))
    if variance <= 1e-12 * max(1.0, abs(squares) / count):
        return mean, None
    half = t_quantile(0.5 + CONFIDENCE / 2, count - 1) * math.sqrt(variance / count)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return mean, (low, high)


def _sample_sd(count: int, total: float, squares: float) -> float | None:
    if count < 2:
        return None
    return math.sqrt(max(0.0, (squares - total * total / count) / (count - 1)))


def sample_size(n: int, report_n: int = REPORT_N, show_n: int = SHOW_N) -> str:
    """``none`` (nobody), ``too_small`` (below ``show_n``: not shown), ``small`` (below ``report_n``: marked), ``ok``."""
    if n <= 0:
        return "none"
    return "too_small" if n < show_n else "small" if n < report_n else "ok"


def welch_p(n1: int, mean1: float, sd1: float | None, n2: int, mean2: float, sd2: float | None) -> float:
    """Two-sided p-value of Welch's t-test of two means (unequal variances, Welch-Satterthwaite df)."""
    a, b = (sd1 or 0.0) ** 2 / n1, (sd2 or 0.0) ** 2 / n2
    if a + b <= 0:
        return 0.0 if mean1 != mean2 else 1.0
    t = (mean2 - mean1) / math.sqrt(a + b)
    df = (a + b) ** 2 / ((a * a / (n1 - 1) if n1 > 1 else 0.0) + (b * b / (n2 - 1) if n2 > 1 else 0.0))
    return _beta_regularised(df / 2, 0.5, df / (df + t * t))


def welch_difference(n1: int, mean1: float, sd1: float | None, n2: int, mean2: float, sd2: float | None
                     ) -> tuple[float, tuple[float, float] | None, float]:
    """Welch's comparison of two independent means: (mean2 - mean1, its 95% interval, two-sided p).

    se = sqrt(sd1²/n1 + sd2²/n2); df by Welch-Satterthwaite; interval difference +- t(0.975, df) se.
    Two groups without any spread have no interval (a zero-width one would claim certainty).
    """
    a, b = (sd1 or 0.0) ** 2 / n1, (sd2 or 0.0) ** 2 / n2
    difference = mean2 - mean1
    p = welch_p(n1, mean1, sd1, n2, mean2, sd2)
    if a + b <= 0:
        return difference, None, p
    df = (a + b) ** 2 / ((a * a / (n1 - 1) if n1 > 1 else 0.0) + (b * b / (n2 - 1) if n2 > 1 else 0.0))
    half = t_quantile(0.5 + CONFIDENCE / 2, df) * math.sqrt(a + b)
    return difference, (difference - half, difference + half), p


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given.

    Sorted ascending, the i-th smallest (i from 1) becomes max over j <= i of min(1, (m - j + 1) p_(j)):
    rejecting where the adjusted p is below alpha keeps the chance of any false "significant" at alpha
    across the whole family, without assuming the tests are independent.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: (p_values[i], i))
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


# The t quantile in plain Python: scipy would cost a second of import time on every `analyze`.

def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 1_000):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 4e-16:
            break
    return result


def _beta_regularised(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile (p > 0.5) of Student's t with ``df`` degrees of freedom.

    Newton's method on the upper tail 0.5 I_{df/(df+t²)}(df/2, 1/2); the tail is convex for
    t > 0, so starting below the root (the normal quantile) every step stays below it.
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(p)
    if df >= 200:
        # Cornish-Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5): exact to ~1e-13 here, where the
        # continued fraction converges slowly
        g1 = (z ** 3 + z) / 4
        g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
        g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
        g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
        return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
    target = 1 - p
    log_density = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    t = z
    for _ in range(200):
        tail = 0.5 * _beta_regularised(df / 2, 0.5, df / (df + t * t))
        density = math.exp(log_density - (df + 1) / 2 * math.log1p(t * t / df))
        step = (tail - target) / density
        t += step
        if abs(step) <= 1e-14 * max(1.0, t):
            break
    return t


def _z() -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


def nps_score(count: int, promoters: int, detractors: int) -> float | None:
    """% promoters (9-10) minus % detractors (0-6), -100..100; None without answers."""
    return 100.0 * (promoters - detractors) / count if count > 0 else None


def nps_interval(count: int, promoters: int, detractors: int) -> tuple[float, float] | None:
    """Adjusted-Wald 95% interval of the NPS (Rocks 2016; Lewis & Sauro 2021), in NPS points.

    Add 3 to n and 3/4 to promoters and to detractors, then use the variance of a
    difference of two multinomial proportions around the adjusted estimate:
    ``p = (P + 3/4) / (n + 3)``, ``d = (D + 3/4) / (n + 3)``,
    ``se = sqrt((p + d - (p - d)^2) / (n + 3))``, interval ``(p - d) +- z se``,
    clipped to -100..100.
    """
    if count <= 0:
        return None
    adjusted = count + 3
    p = (promoters + 0.75) / adjusted
    d = (detractors + 0.75) / adjusted
    se = math.sqrt(max(0.0, p + d - (p - d) ** 2) / adjusted)
    low, high = (p - d) - _z() * se, (p - d) + _z() * se
    return 100.0 * max(-1.0, low), 100.0 * min(1.0, high)


def nps_difference(before: tuple[int, int, int], after: tuple[int, int, int]
                   ) -> tuple[float, tuple[float, float], float]:
    """The change of the NPS between two independent samples: (difference, 95% interval, two-sided p), in points.

    ``before`` and ``after`` are (answers, promoters, detractors). Each respondent scores +1 (promoter),
    0 or -1 (detractor), so the NPS is 100 x the mean score and its variance is
    ``(p + d - (p - d)^2) / n`` (the variance of a difference of two multinomial proportions). The two
    samples' variances add: ``se = 100 x sqrt(V1 + V2)``; ``z = difference / se`` against the standard
    normal, interval ``difference +- z(0.975) se``. With ``se = 0`` (every answer in one category in
    both waves) the p is 1 for no difference, else 0.
    """
    from statistics import NormalDist

    def estimate(counts):
        n, promoters, detractors = counts
        p, d = promoters / n, detractors / n
        return p - d, max(0.0, p + d - (p - d) ** 2) / n

    score1, var1 = estimate(before)
    score2, var2 = estimate(after)
    difference = 100.0 * (score2 - score1)
    se = 100.0 * math.sqrt(var1 + var2)
    if se == 0:
        return difference, (difference, difference), 1.0 if difference == 0 else 0.0
    p = 2 * (1 - NormalDist().cdf(abs(difference) / se))
    half = _z() * se
    return difference, (difference - half, difference + half), p


def _all_r_squared(corr, target):
    """R² of the criterion on every subset of the predictors, from correlations only: r_S' R_SS^-1 r_S.

    Indexed by bit mask (bit i = predictor i). One batched solve per subset size; the
    pseudo-inverse when a block is singular (two perfectly collinear touchpoints must not make
    the regression fail).
    """
    import numpy as np

    p = len(target)
    gains = np.zeros(1 << p)
    for size in range(1, p + 1):
        index = np.array(list(combinations(range(p), size)))
        blocks = corr[index[:, :, None], index[:, None, :]]
        r = target[index]
        try:
            solved = np.linalg.solve(blocks, r[..., None])[..., 0]
        except np.linalg.LinAlgError:
            solved = np.einsum("mij,mj->mi", np.linalg.pinv(blocks), r)
        gains[(1 << index).sum(axis=1)] = np.einsum("mi,mi->m", r, solved)
    return gains


def shapley_weights(corr, target) -> tuple[list[float], float]:
    """Shapley decomposition of R² (each predictor's average gain over all orders), and R².

    ``corr`` is the predictors' correlation matrix, ``target`` their correlations with the criterion.
    phi_j = sum over subsets S without j of |S|! (p - |S| - 1)! / p! x (R²(S + j) - R²(S)).
    """
    import numpy as np

    corr, target = np.asarray(corr, dtype=float), np.asarray(target, dtype=float)
    p = len(target)
    gains = _all_r_squared(corr, target)
    masks = np.arange(1 << p)
    sizes = np.array([bin(m).count("1") for m in range(1 << p)])
    factor = np.array([math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) if k < p else 0.0
                       for k in range(p + 1)])
    weights = []
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        weights.append(float(np.sum(factor[sizes[without]] * (gains[without | (1 << j)] - gains[without]))))
    return weights, float(gains[-1])


def relative_weights(corr, target) -> tuple[list[float], float]:
    """Johnson's (2000) relative weights: raw weights that add up to R², and R².

    The predictors are replaced by their closest orthogonal counterparts Z = X R^-1/2;
    the criterion is regressed on Z (beta = R^-1/2 r) and each Z's share is given back
    to the predictors by the squared loadings Lambda = R^1/2: eps_j = sum_k Lambda_jk² beta_k².
    """
    import numpy as np

    corr, target = np.asarray(corr, dtype=float), np.asarray(target, dtype=float)
    values, vectors = np.linalg.eigh(corr)
    values = np.clip(values, 0.0, None)
    loadings = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.pinv(loadings) @ target
    raw = (loadings ** 2) @ (beta ** 2)
    return [float(w) for w in raw], float(raw.sum())
