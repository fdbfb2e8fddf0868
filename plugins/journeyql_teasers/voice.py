"""Spec text and numbers in one locale: labels with their translations, emotions, durations.

Everything a template shows goes through a :class:`Voice`, so a page is in one
language: spec texts via their translations (falling back to the spec's own
text), the material's own words from :mod:`.words`.
"""

from __future__ import annotations

from .words import EMOTIONS

_UNITS = {
    "en": (("week", "weeks", 604800), ("day", "days", 86400), ("hour", "hours", 3600), ("min", "min", 60),
           ("second", "seconds", 1)),
    "nl": (("week", "weken", 604800), ("dag", "dagen", 86400), ("uur", "uur", 3600), ("min", "min", 60),
           ("seconde", "seconden", 1)),
}


class Voice:
    def __init__(self, workspace, locale: str, words: dict[str, str], results=None):
        self.workspace = workspace
        self.locale = locale
        self.lang = locale.split("-")[0].split("_")[0].lower()
        self.t = words
        self.results = results
        self._improvements: dict[str, list] | None = None

    def improvements_of(self, journey) -> list:
        """The improvements that change something in ``journey``, in spec order.

        Indexed once per voice: asking every improvement about every journey made the teasers
        quadratic in the workspace's size."""
        if self._improvements is None:
            self._improvements = {}
            for improvement in self.workspace.improvements:
                # what it adds in the to-be journey (`at step`, `in stage`) counts too
                keys = (*improvement.changes, *(c.step for c in improvement.step_changes),
                        *(c.stage for c in improvement.stage_changes))
                touched = {id(j): j for j in map(self.workspace.journey_of, keys) if j is not None}
                for found in touched.values():
                    self._improvements.setdefault(found.id, []).append(improvement)
        return self._improvements.get(journey.id, [])

    def text(self, item, field: str = "text") -> str | None:
        """A text field of any spec object in this locale (translations first)."""
        if item is None:
            return None
        from journeyql.language.model import text_in

        value = text_in(item, field, self.locale)
        return None if value is None else str(value)

    def texts(self, item, field: str) -> tuple:
        """A repeated text (needs, goals, notes) in this locale, item by item (journeyql.language.model.text_in)."""
        from journeyql.language.model import text_in

        return tuple(text_in(item, field, self.locale) or ())

    def label(self, item) -> str:
        return self.text(item, "label") or str(getattr(item, "id", "") or "")

    def ref(self, key: str | None) -> str:
        found = self.workspace.get(key) if key else None
        return self.label(found) if found is not None else str(key or "")

    def first_name(self, persona) -> str:
        """How a narrative calls the persona: the label up to its first comma ("Sanne, starter" -> "Sanne")."""
        if persona is None:
            return self.t["the_customer"]
        return self.label(persona).split(",")[0].strip() or self.label(persona)

    def emotion_name(self, name: str) -> str:
        defined = self.workspace.get(name)
        if defined is not None and hasattr(defined, "valence"):
            return self.label(defined)
        return EMOTIONS.get(self.lang, EMOTIONS["en"]).get(name, name.replace("_", " "))

    def score(self, value: float | None) -> str:
        if value is None:
            return self.t["not_stated"]
        rounded = round(value, 1)
        if rounded == 0:
            return "0"
        return f"{rounded:+g}"

    def emotion(self, emotion) -> str:
        """An expected/target emotion: ``-2 (dissatisfaction)``."""
        if emotion is None:
            return self.t["not_stated"]
        names = ", ".join(self.emotion_name(n) for n in emotion.emotions)
        return self.score(emotion.score) + (f" ({names})" if names else "")

    def scale(self, journey) -> str:
        return self.t["scale"].format(low=f"{journey.scale.low:g}", high=f"{journey.scale.high:g}")

    def duration(self, seconds: float) -> str:
        """A duration in words, in its largest whole unit: ``12 min``, ``6 weken``."""
        units = _UNITS.get(self.lang, _UNITS["en"])
        for one, many, size in units:
            if seconds >= size and seconds % size == 0:
                count = int(seconds // size)
                return f"{count} {one if count == 1 else many}"
        count = round(seconds)
        return f"{count} {units[-1][0] if count == 1 else units[-1][1]}"

    @staticmethod
    def clock(seconds: float) -> str:
        """A time on the phone script: ``m:ss``, or ``h:mm:ss`` from an hour on."""
        whole = int(round(seconds))
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
