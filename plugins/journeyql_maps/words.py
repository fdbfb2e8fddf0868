"""The words of the maps themselves, per locale (spec text comes from the spec and its translations)."""

from __future__ import annotations

WORDS = {
    "en": {
        # service blueprint
        "blueprint": "Service blueprint", "for_persona": "for", "stage": "Stage", "step": "Step",
        "markers": "Moments, fail and wait points", "evidence": "Physical evidence",
        "customer": "Customer actions", "frontstage": "Frontstage", "backstage": "Backstage",
        "support": "Support processes", "line_interaction": "line of interaction",
        "line_visibility": "line of visibility", "line_internal": "line of internal interaction",
        "measured": "measured", "expected": "expected", "not_stated": "no emotion stated", "n": "n",
        "moment": "Moment of truth", "positive": "positive", "negative": "negative", "critical": "critical",
        "fail": "Fail point", "wait": "Wait", "owner": "owner", "no_owner": "no owner", "channel": "channel",
        "systems": "systems", "no_steps": "no steps", "note": "Note",
        "legend": "Legend", "scale": "emotion scale",
        "to_be": "to-be, after the plan", "new": "new", "was": "before the plan", "by": "by",
        # stakeholder map
        "stakeholders": "Stakeholder map", "customers": "Customers", "internal": "Internal departments",
        "external": "External parties", "organisation": "organisation", "persona": "persona",
        "money": "money", "information": "information", "service": "service", "trust": "trust",
        "goods": "goods", "data": "data", "other": "other",
        # touchpoint matrix
        "matrix": "Touchpoint matrix", "coverage": "Ownership coverage",
        "touchpoints": "Touchpoints", "count": "Number", "unowned": "Touchpoints without an owner",
        "all_owned": "Every touchpoint has an owner.", "no_touchpoints": "This journey has no touchpoints yet.",
        "third_party": "third party",
    },
    "nl": {
        "blueprint": "Service blueprint", "for_persona": "voor", "stage": "Fase", "step": "Stap",
        "markers": "Momenten van de waarheid, faal- en wachtpunten", "evidence": "Fysiek bewijs",
        "customer": "Klantacties", "frontstage": "Frontstage", "backstage": "Backstage",
        "support": "Ondersteunende processen", "line_interaction": "interactielijn",
        "line_visibility": "zichtbaarheidslijn", "line_internal": "lijn van interne interactie",
        "measured": "gemeten", "expected": "verwacht", "not_stated": "geen emotie opgegeven", "n": "n",
        "moment": "Moment van de waarheid", "positive": "positief", "negative": "negatief", "critical": "kritiek",
        "fail": "Faalpunt", "wait": "Wachten", "owner": "eigenaar", "no_owner": "geen eigenaar", "channel": "kanaal",
        "systems": "systemen", "no_steps": "geen stappen", "note": "Noot",
        "legend": "Legenda", "scale": "emotieschaal",
        "to_be": "na het plan (to-be)", "new": "nieuw", "was": "voor het plan", "by": "door",
        "stakeholders": "Stakeholderkaart", "customers": "Klanten", "internal": "Interne afdelingen",
        "external": "Externe partijen", "organisation": "organisatie", "persona": "persona",
        "money": "geld", "information": "informatie", "service": "dienst", "trust": "vertrouwen",
        "goods": "goederen", "data": "gegevens", "other": "overig",
        "matrix": "Contactmomentenmatrix", "coverage": "Eigenaarschap",
        "touchpoints": "Contactmomenten", "count": "Aantal", "unowned": "Contactmomenten zonder eigenaar",
        "all_owned": "Elk contactmoment heeft een eigenaar.",
        "no_touchpoints": "Deze klantreis heeft nog geen contactmomenten.", "third_party": "derde partij",
    },
}


def words_for(locale: str | None) -> dict[str, str]:
    """The words for ``locale`` (``nl-BE`` finds ``nl``), English when the locale has none."""
    return WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), WORDS["en"])
