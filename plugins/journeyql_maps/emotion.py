"""A step's emotion as the maps show it: measured when there are answers, else expected.

Colours come from ColorBrewer's 7-class RdBu palette, a diverging scale that stays
readable for the common forms of colour blindness; the score is always printed as
well, so nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.host.numbers import decimal, symbols

#: negative (red) .. neutral (near white) .. positive (blue)
PALETTE = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
#: text colour readable on each palette colour
INK = ("#ffffff", "#000000", "#000000", "#000000", "#000000", "#000000", "#ffffff")
NO_SCORE = "#ffffff"


@dataclass(frozen=True)
class StepEmotion:
    score: float | None
    measured: bool
    n: int = 0
    names: tuple[str, ...] = ()

    def colour(self, scale) -> tuple[str, str]:
        """(fill, ink) for this score on the journey's ``scale``."""
        if self.score is None:
            return NO_SCORE, "#000000"
        position = min(max(scale.normalise(self.score), 0.0), 1.0)
        index = min(int(position * len(PALETTE)), len(PALETTE) - 1)
        return PALETTE[index], INK[index]

    def describe(self, words: dict[str, str], locale: str | None = None) -> str:
        """``-2 expected`` or ``+1.4 measured (n=38)``; the wording of the legend, in ``locale``'s numbers."""
        if self.score is None:
            return words["not_stated"]
        if self.measured:
            value = decimal(self.score, locale, 1, sign=True)
        else:
            value = f"{self.score:+g}".replace(".", symbols(locale)[0])
        value = "0" if value.strip("+-0.,") == "" else value
        if self.measured:
            return f"{value} {words['measured']} ({words['n']}={self.n})"
        return f"{value} {words['expected']}"


def step_emotion(step, results, persona: str | None = None, view=None) -> StepEmotion:
    """The emotion shown for ``step`` (for ``persona`` when given, with its ``view`` of the step)."""
    metrics = results.step(step.key, persona) if results is not None else None
    if metrics is not None and metrics.valence_mean is not None:
        return StepEmotion(metrics.valence_mean, True, metrics.valence_n or metrics.n)
    expected = view.expected if view is not None and view.expected is not None else step.expected
    if expected is None:
        return StepEmotion(None, False)
    return StepEmotion(expected.score, False, names=tuple(expected.emotions))
