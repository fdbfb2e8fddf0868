"""The surveys' own words, per locale: default question texts, scale anchors, emotion and intent names.

Spec text always wins (an instrument's ``question`` and its translations, a
CX model's emotion and behaviour labels); these fill the gaps so that every
survey can be asked in Dutch and English even when the spec only says it in
one language. Locales without words here fall back to English.
``{organisation}`` in a text is replaced by the journey's organisation (or
``us``/``ons`` when the journey names none).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "us": "us",
        "intro": "Please answer the questions of each part right after that moment.",
        "draft_note": "Your answers stay on this device until you save them.",
        "end_title": "Looking back on the whole journey",
        "valence": "How did you feel after this contact?",
        "valence_journey": "How did you feel about the whole journey?",
        "valence_low": "very negative",
        "valence_high": "very positive",
        "emotion": "Which of these feelings did you have, and how strongly?",
        "emotion_hint": "Choose any that apply; 1 = a little, 5 = very strongly.",
        "intensity": "How strongly?",
        "intensity_hint": "1 = a little, 5 = very strongly",
        "cause": "What caused this feeling? Tell us in your own words.",
        "intent": "What do you intend to do now?",
        "yes": "Yes",
        "no": "No",
        "ces": "{organisation} made it easy for me to get this done.",
        "ces_low": "strongly disagree",
        "ces_high": "strongly agree",
        "csat": "How satisfied are you with this contact?",
        "csat_journey": "How satisfied are you with the whole journey?",
        "csat_low": "very dissatisfied",
        "csat_high": "very satisfied",
        "nps": "How likely is it that you would recommend {organisation} to a friend or colleague?",
        "nps_low": "not at all likely",
        "nps_high": "extremely likely",
        "scale_hint": "{low} = {low_text}, {high} = {high_text}",
        "range_error": "Enter a number from {low} to {high}.",
        "required": "Please answer this question.",
        "intensity_required": "Please say how strongly you felt each feeling you chose.",
        "check_answers": "Some answers are missing; see the marked questions.",
        "save": "Save my answers",
        "saved": "Thank you! Your answers were saved as a file: send it to the research team.",
        "thanks": "Thank you for your answers.",
        "required_mark": "required",
    },
    "nl": {
        "us": "ons",
        "intro": "Beantwoord de vragen van elk deel direct na dat moment.",
        "draft_note": "Uw antwoorden blijven op dit apparaat tot u ze opslaat.",
        "end_title": "Terugblik op de hele reis",
        "valence": "Hoe voelde u zich na dit contact?",
        "valence_journey": "Hoe voelde u zich over de hele reis?",
        "valence_low": "heel negatief",
        "valence_high": "heel positief",
        "emotion": "Welke van deze gevoelens had u, en hoe sterk?",
        "emotion_hint": "Kies wat van toepassing is; 1 = een beetje, 5 = heel sterk.",
        "intensity": "Hoe sterk?",
        "intensity_hint": "1 = een beetje, 5 = heel sterk",
        "cause": "Waardoor voelde u zich zo? Vertel het in uw eigen woorden.",
        "intent": "Wat bent u nu van plan?",
        "yes": "Ja",
        "no": "Nee",
        "ces": "{organisation} maakte het mij makkelijk om dit te regelen.",
        "ces_low": "helemaal mee oneens",
        "ces_high": "helemaal mee eens",
        "csat": "Hoe tevreden bent u over dit contact?",
        "csat_journey": "Hoe tevreden bent u over de hele reis?",
        "csat_low": "zeer ontevreden",
        "csat_high": "zeer tevreden",
        "nps": "Hoe waarschijnlijk is het dat u {organisation} aanbeveelt aan vrienden, familie of collega's?",
        "nps_low": "zeer onwaarschijnlijk",
        "nps_high": "zeer waarschijnlijk",
        "scale_hint": "{low} = {low_text}, {high} = {high_text}",
        "range_error": "Vul een getal in van {low} tot en met {high}.",
        "required": "Beantwoord deze vraag alstublieft.",
        "intensity_required": "Geef bij elk gekozen gevoel aan hoe sterk het was.",
        "check_answers": "Er ontbreken antwoorden; zie de gemarkeerde vragen.",
        "save": "Mijn antwoorden opslaan",
        "saved": "Dank u wel! Uw antwoorden zijn als bestand opgeslagen: stuur het naar het onderzoeksteam.",
        "thanks": "Dank u wel voor uw antwoorden.",
        "required_mark": "verplicht",
    },
}

# the names of emotions and intentions are shared with every output (journeyql.host.names)
from journeyql.host.names import EMOTIONS, INTENTS  # noqa: E402

#: Language names for XLSForm's ``label::Language (code)`` columns.
LANGUAGES = {
    "ar": "العربية", "da": "Dansk", "de": "Deutsch", "en": "English", "es": "Español", "fi": "Suomi",
    "fr": "Français", "fy": "Frysk", "it": "Italiano", "nb": "Norsk bokmål", "nl": "Nederlands", "no": "Norsk",
    "pl": "Polski", "pt": "Português", "sv": "Svenska", "tr": "Türkçe",
}


def base(locale: str) -> str:
    """``nl-BE`` -> ``nl``."""
    return locale.replace("_", "-").split("-")[0].lower()


def has_words(locale: str) -> bool:
    return base(locale) in WORDS


def words(locale: str) -> dict[str, str]:
    """The UI words of ``locale`` (English where the locale has none)."""
    return WORDS.get(base(locale), WORDS["en"])


def emotion_name(name: str, locale: str) -> str | None:
    return EMOTIONS.get(base(locale), {}).get(name)


def intent_name(name: str, locale: str) -> str | None:
    return INTENTS.get(base(locale), {}).get(name)


def language_name(locale: str) -> str:
    """The name XLSForm shows for a language: its own name, else the code itself."""
    return LANGUAGES.get(base(locale), locale)


def humanise(identifier: str) -> str:
    """``call_again`` -> ``Call again``: the last resort for a name nobody translated."""
    text = identifier.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier
