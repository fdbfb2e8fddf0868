"""What an id reads as, per locale: the one place every output turns a name into words.

A spec names things by id (``hope``, ``call_again``, ``negative_share``, ``letter``); a page
shows a person the thing's label in the page's language. :class:`Names` looks an id up where
the workspace defines it first (a CX model's emotion or behaviour, with its ``label.LOCALE``),
then in the built-in names below (PrEmo's and PANAS's emotions, common intentions, the KPI
metrics, the kinds of teaser), and only as a last resort makes the id readable
(``call_again`` -> "Call again"). Locales without words here fall back to English.

A KPI reads as words too: ``negative_share <= 30%`` is "Share negative ≤ 30%" in English and
"Aandeel negatief ≤ 30%" in Dutch (:meth:`Names.kpi`); ``valence no worse than previous`` is "Feeling
no worse than in the previous wave" and "Gevoel niet slechter dan bij de vorige meting".
"""

from __future__ import annotations

from .numbers import decimal, language

#: Emotion names: PrEmo's 14, PANAS's 20 (Dutch as in the Dutch PANAS) and emotions CX teams often name.
EMOTIONS: dict[str, dict[str, str]] = {
    "en": {
        "desire": "Desire", "satisfaction": "Satisfaction", "pride": "Pride", "hope": "Hope", "joy": "Joy",
        "fascination": "Fascination", "admiration": "Admiration", "disgust": "Disgust",
        "dissatisfaction": "Dissatisfaction", "shame": "Shame", "fear": "Fear", "sadness": "Sadness",
        "boredom": "Boredom", "contempt": "Contempt",
        "interested": "Interested", "distressed": "Distressed", "excited": "Excited", "upset": "Upset",
        "strong": "Strong", "guilty": "Guilty", "scared": "Scared", "hostile": "Hostile",
        "enthusiastic": "Enthusiastic", "proud": "Proud", "irritable": "Irritable", "alert": "Alert",
        "ashamed": "Ashamed", "inspired": "Inspired", "nervous": "Nervous", "determined": "Determined",
        "attentive": "Attentive", "jittery": "Jittery", "active": "Active", "afraid": "Afraid",
        "irritation": "Irritation", "relief": "Relief", "gratitude": "Gratitude", "trust": "Trust",
        "uncertainty": "Uncertainty", "frustration": "Frustration", "anger": "Anger", "confusion": "Confusion",
        "stress": "Stress", "distrust": "Distrust", "surprise": "Surprise", "worry": "Worry", "calm": "Calm",
        "happiness": "Happiness",
    },
    "nl": {
        "desire": "Verlangen", "satisfaction": "Tevredenheid", "pride": "Trots", "hope": "Hoop", "joy": "Vreugde",
        "fascination": "Fascinatie", "admiration": "Bewondering", "disgust": "Afkeer",
        "dissatisfaction": "Ontevredenheid", "shame": "Schaamte", "fear": "Angst", "sadness": "Verdriet",
        "boredom": "Verveling", "contempt": "Minachting",
        "interested": "Geïnteresseerd", "distressed": "Van streek", "excited": "Uitgelaten", "upset": "Overstuur",
        "strong": "Sterk", "guilty": "Schuldig", "scared": "Angstig", "hostile": "Vijandig",
        "enthusiastic": "Enthousiast", "proud": "Trots", "irritable": "Prikkelbaar", "alert": "Alert",
        "ashamed": "Beschaamd", "inspired": "Geïnspireerd", "nervous": "Nerveus", "determined": "Vastberaden",
        "attentive": "Aandachtig", "jittery": "Zenuwachtig", "active": "Actief", "afraid": "Bang",
        "irritation": "Irritatie", "relief": "Opluchting", "gratitude": "Dankbaarheid", "trust": "Vertrouwen",
        "uncertainty": "Onzekerheid", "frustration": "Frustratie", "anger": "Boosheid", "confusion": "Verwarring",
        "stress": "Stress", "distrust": "Wantrouwen", "surprise": "Verrassing", "worry": "Zorgen", "calm": "Rust",
        "happiness": "Blijdschap",
    },
}

#: Behaviour intentions the method names most.
INTENTS: dict[str, dict[str, str]] = {
    "en": {"call_again": "Call again", "complain": "File a complaint", "recommend": "Recommend {organisation}",
           "switch": "Switch to another provider", "buy_more": "Buy more", "leave": "Leave {organisation}",
           "cancel": "Cancel", "review": "Write a review", "visit": "Visit in person", "email": "Send an e-mail"},
    "nl": {"call_again": "Opnieuw bellen", "complain": "Een klacht indienen", "recommend": "{organisation} aanbevelen",
           "switch": "Overstappen naar een andere aanbieder", "buy_more": "Meer afnemen",
           "leave": "Weggaan bij {organisation}", "cancel": "Opzeggen", "review": "Een recensie schrijven",
           "visit": "Langskomen", "email": "Een e-mail sturen"},
}

#: The KPI metrics (journeyql.language.schema.METRICS) as a board reads them.
METRICS: dict[str, dict[str, str]] = {
    "en": {"valence": "Feeling", "valence_mean": "Average feeling", "negative_share": "Share negative",
           "nps": "NPS", "ces": "Effort (CES)", "ces_mean": "Average effort (CES)", "csat": "Satisfaction (CSAT)",
           "n": "Responses", "response_rate": "Response rate", "emotion_score": "Emotion score"},
    "nl": {"valence": "Gevoel", "valence_mean": "Gemiddeld gevoel", "negative_share": "Aandeel negatief",
           "nps": "NPS", "ces": "Moeite (CES)", "ces_mean": "Gemiddelde moeite (CES)",
           "csat": "Tevredenheid (CSAT)", "n": "Antwoorden", "response_rate": "Respons",
           "emotion_score": "Emotiescore"},
}

#: The kinds of teaser (journeyql.language.model.TeaserKind).
TEASER_KINDS: dict[str, dict[str, str]] = {
    "en": {"letter": "Letter", "email": "E-mail", "web_page": "Web page", "form": "Web form", "phone": "Phone call",
           "roleplay": "Role-play", "day_in_life": "A day in the life", "video": "Video", "other": "Other material"},
    "nl": {"letter": "Brief", "email": "E-mail", "web_page": "Webpagina", "form": "Webformulier",
           "phone": "Telefoongesprek", "roleplay": "Rollenspel", "day_in_life": "Een dag uit het leven",
           "video": "Video", "other": "Ander materiaal"},
}

#: Units of a duration (as written in a spec: 5d, 12min), singular and plural.
UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"ms": ("millisecond", "milliseconds"), "s": ("second", "seconds"), "min": ("minute", "minutes"),
           "h": ("hour", "hours"), "d": ("day", "days"), "w": ("week", "weeks"), "mo": ("month", "months"),
           "y": ("year", "years")},
    "nl": {"ms": ("milliseconde", "milliseconden"), "s": ("seconde", "seconden"), "min": ("minuut", "minuten"),
           "h": ("uur", "uur"), "d": ("dag", "dagen"), "w": ("week", "weken"), "mo": ("maand", "maanden"),
           "y": ("jaar", "jaar")},
}

#: ``kpi slot.valence no worse than previous`` in words, after the metric: "Feeling no worse than ...".
NO_WORSE_THAN_PREVIOUS = {"en": "no worse than in the previous wave", "nl": "niet slechter dan bij de vorige meting"}


def no_worse_than_previous(locale: str | None) -> str:
    """The words of a ``no worse than previous`` KPI (English where a language has none)."""
    return NO_WORSE_THAN_PREVIOUS.get(language(locale), NO_WORSE_THAN_PREVIOUS["en"])


#: Comparison signs as typeset, not as typed.
OPERATORS = {">=": "\u2265", "<=": "\u2264", ">": ">", "<": "<", "==": "="}


def humanise(identifier: str) -> str:
    """``call_again`` -> ``Call again``: the last resort for a name nobody translated."""
    text = identifier.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


def builtin(table: dict[str, dict[str, str]], name: str, locale: str | None) -> str | None:
    """``name`` in ``table`` for ``locale``'s language, None when that language has no word for it."""
    return table.get(language(locale), {}).get(name)


class Names:
    """The ids of one workspace as a person reads them in one locale."""

    def __init__(self, workspace, locale: str | None):
        self.workspace = workspace
        self.locale = locale
        self._defined: dict[str, dict] = {}

    def _definitions(self, kind: str) -> dict:
        """The CX models' emotions or behaviours by id (the first model that defines one wins)."""
        if kind not in self._defined:
            found: dict = {}
            for model in getattr(self.workspace, "models", ()) or ():
                for item in (model.emotions if kind == "emotion" else model.behaviours):
                    found.setdefault(item.id, item)
            self._defined[kind] = found
        return self._defined[kind]

    def _named(self, kind: str, table: dict, name: str) -> str:
        defined = self._definitions(kind).get(name)
        if defined is not None:
            translated = defined.translations.get(self.locale or "", {}).get("label")
            if translated:
                return translated
            if language(self.locale) == language(getattr(self.workspace, "locale", None)):
                return defined.label
        return builtin(table, name, self.locale) or (defined.label if defined is not None else humanise(name))

    def label(self, key: str | None) -> str:
        """The label of whatever ``key`` names in the workspace, in this locale (the key when it names nothing)."""
        if not key:
            return ""
        found = self.workspace.get(key)
        if found is None:
            return key
        text = found.text("label", self.locale) if hasattr(found, "text") else getattr(found, "label", None)
        return text or key

    def emotion(self, name: str) -> str:
        """An emotion's name: the CX model's label, the built-in name, or the id made readable."""
        return self._named("emotion", EMOTIONS, name)

    def emotions(self, names) -> str:
        """Several emotions by name, as a list inside a sentence: ``hope, fear`` -> "hoop, angst".

        Built-in names go lower case in English and Dutch (where nouns are); a CX model's label stays as written."""
        defined = self._definitions("emotion")

        def one(name: str) -> str:
            text = self.emotion(name)
            lower = name not in defined and language(self.locale) in ("en", "nl")
            return text[:1].lower() + text[1:] if lower else text
        return ", ".join(one(n) for n in names)

    def intent(self, name: str) -> str:
        """A behaviour intention: the CX model's behaviour label, the built-in name, or the id made readable."""
        text = self._named("behaviour", INTENTS, name)
        organisation = next(iter(getattr(self.workspace, "organisations", ()) or ()), None)
        who = organisation.text("label", self.locale) if organisation is not None else None
        return text.replace("{organisation}", who or ("ons" if language(self.locale) == "nl" else "us"))

    def metric(self, code: str) -> str:
        return builtin(METRICS, code, self.locale) or humanise(code)

    def teaser_kind(self, kind: str) -> str:
        return builtin(TEASER_KINDS, kind, self.locale) or humanise(kind)

    def duration(self, duration) -> str:
        """A duration as written (``5d``, ``12min``, a :class:`Duration`) in words: "5 days", "12 minuten"."""
        text = getattr(duration, "text", duration)
        unit = text.lstrip("0123456789.")
        number = text[: len(text) - len(unit)]
        words = UNITS.get(language(self.locale), UNITS["en"]).get(unit)
        if words is None or not number:
            return text
        amount = float(number)
        shown = decimal(amount, self.locale, 0 if amount.is_integer() else len(number.split(".")[-1]))
        return f"{shown} {words[0] if amount == 1 else words[1]}"

    def kpi(self, kpi, *, subject: bool = False) -> str:
        """A KPI target in words: "Share negative ≤ 30%"; with ``subject``, "Meter form: Feeling ≥ 1".

        ``valence no worse than previous`` reads "Feeling no worse than in the previous wave"."""
        if getattr(kpi, "since", None) == "previous":
            text = f"{self.metric(kpi.metric)} {no_worse_than_previous(self.locale)}"
            return f"{self.label(kpi.subject)}: {text}" if subject and kpi.subject else text
        value = kpi.value
        digits = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
        number = decimal(value, self.locale, digits) + ("%" if kpi.unit == "percent" else "")
        text = f"{self.metric(kpi.metric)} {OPERATORS.get(kpi.op, kpi.op)} {number}"
        return f"{self.label(kpi.subject)}: {text}" if subject and kpi.subject else text
