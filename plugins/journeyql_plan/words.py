"""The plan's own words per locale (spec text comes from the spec and its translations)."""

from __future__ import annotations

from journeyql.host.numbers import decimal

WORDS = {
    "en": {
        "plan": "Improvement plan", "journey": "Journey", "organisation": "Organisation",
        "journeys": "Journeys", "no_data": "No measured results: every figure in this plan is an estimate from "
        "the spec's declarations and the defaults documented with the plan.",
        "data": "Measured results from: {sources}. Figures marked \"estimate\" still rest on declared or assumed rates.",
        "volume": "Customers per year: {volume}.", "no_volume": "The journey states no volume: business cases "
        "are per customer who meets the touchpoint.",
        "formula": "priority = reach × impact × confidence / effort",
        "formula_note": "Reach is customers per year (journey volume × touchpoint reach) when the journey states "
        "its volume, else the share of its customers. Impact and effort are 1..5; 3 (the midpoint) or more counts "
        "as high.",
        "priorities": "Priorities", "rank": "#", "item": "Improvement", "source": "Source",
        "quadrant": "Quadrant", "horizon": "Horizon", "owner": "Owner", "priority": "Priority", "reach": "Reach",
        "impact": "Impact", "confidence": "Confidence", "effort": "Effort", "case": "Business case per year",
        "status": "Status", "suggestion": "suggestion", "quadrants": "Impact and effort",
        "details": "Improvements in detail", "owners": "Per owner", "remeasure": "Re-measurement plan",
        "assumptions": "Estimates and assumptions", "changes": "Changes", "why": "Why",
        "covered": "Already addressed by", "chains": "Business case", "initiatives": "Running initiatives",
        "kpi": "KPI target", "questions": "Survey questions", "when": "When", "baseline": "Baseline",
        "nobody": "no owner", "unowned": "No owner: assign one, or this stays no one's",
        "none": "—", "estimate": "estimate", "measured_figure": "measured", "per_year": "per year",
        "per_customer": "per customer who meets the touchpoint", "per_unit": "per {unit}",
        "no_chain": "The customer experience model has no causal chain from a service element at these touchpoints.",
        "no_money": "no business impact with an amount is declared for this chain",
        "unit_from": "value per unit taken from the link {link}",
        "rate": "rate {link}: {value} ({origin})",
        "assumed_rate": "rate {link}: 100% assumed, no rate declared or measured (an upper bound)",
        "at": "at", "customers": "customers", "of_customers": "of the journey's customers",
        "reach_default": "reach of {touchpoint}: 100% assumed (no reach stated)",
        "when_text": "{months} months after it is live, then every {repeat} months",
        "not_sampled": "not sampled yet: add it to a measurement's sample",
        "suggested_kpi": "suggested", "total": "At stake per year (shared chains counted once)",
        "factor": "{name} {value} ({origin})", "calc": "{reach} × {impact} × {confidence} / {effort} = {priority}",
        "no_items": "Nothing to improve was declared or found.",
        "initiative_status": "{label} ({status})",
        "estimates_intro": "These inputs are not from data or declarations; change them in the spec to sharpen the plan.",
        "origin": {"declared": "declared", "measured": "measured", "default": "default", "assumed": "assumed",
                   "derived": "derived", "suggested": "suggested"},
        "sources": {"declared": "declared improvement", "moment_negative": "negative moment of truth",
                    "moment_critical": "critical moment of truth", "fail_point": "fail point",
                    "wait": "long wait", "no_owner": "touchpoint without owner",
                    "gap": "measured emotion below expectation", "driver": "strong driver of NPS",
                    "benchmark": "another organisation of the benchmark does better"},
        "titles": {"moment_negative": "Turn around the negative moment of truth at {subject}",
                   "moment_critical": "Get the critical moment of truth at {subject} right",
                   "fail_point": "Remove the fail point at {subject}",
                   "wait": "Shorten the wait of {duration} at {subject}",
                   "no_owner": "Give {subject} an owner",
                   "gap": "Close the gap at {subject}: measured {measured}, expected {expected}",
                   "driver": "Improve {subject}, a strong driver of NPS (weight {weight})",
                   "benchmark": "{learn_from_label} scores +{difference} at {subject}: learn from {learn_from_label}"},
        "titles_many": {"moment_negative": "Turn around the {count} negative moments of truth at {subject}",
                        "moment_critical": "Get the {count} critical moments of truth at {subject} right",
                        "fail_point": "Remove the {count} fail points at {subject}",
                        "wait": "Shorten the {count} waits at {subject}"},
        "title_causes": "Improve {subject}: {causes}",
        "figures": {"gap": "measured {measured}, expected {expected}", "driver": "weight {weight}",
                    "benchmark": "{measured} here, {learn_from_label} {leader_measured} (Welch vs the sector, Holm p {p_adjusted})"},
        "quadrant_names": {"quick_win": "quick win", "major_project": "major project", "fill_in": "fill-in",
                           "thankless_task": "thankless task"},
        "horizons": {"quick_win": "quick win", "mid_term": "mid term", "long_term": "long term"},
        "statuses": {"idea": "idea", "planned": "planned", "in_progress": "in progress", "done": "done",
                     "dropped": "dropped"},
        "factor_names": {"impact": "impact", "confidence": "confidence", "effort": "effort", "reach": "reach"},
    },
    "nl": {
        "plan": "Verbeterplan", "journey": "Klantreis", "organisation": "Organisatie",
        "journeys": "Klantreizen", "no_data": "Geen meetresultaten: elk cijfer in dit plan is een schatting op "
        "basis van de spec en de standaardwaarden die bij het plan beschreven staan.",
        "data": "Meetresultaten uit: {sources}. Cijfers gemarkeerd als \"schatting\" rusten nog op opgegeven of "
        "aangenomen percentages.",
        "volume": "Klanten per jaar: {volume}.", "no_volume": "De klantreis noemt geen volume: businesscases "
        "zijn per klant die het contactmoment tegenkomt.",
        "formula": "prioriteit = bereik × impact × zekerheid / inspanning",
        "formula_note": "Bereik is het aantal klanten per jaar (volume van de reis × bereik van het contactmoment) "
        "als de reis een volume noemt, anders het aandeel van de klanten. Impact en inspanning lopen van 1 tot 5; "
        "3 (het midden) of meer telt als hoog.",
        "priorities": "Prioriteiten", "rank": "#", "item": "Verbetering", "source": "Bron",
        "quadrant": "Kwadrant", "horizon": "Horizon", "owner": "Eigenaar", "priority": "Prioriteit",
        "reach": "Bereik", "impact": "Impact", "confidence": "Zekerheid", "effort": "Inspanning",
        "case": "Businesscase per jaar", "status": "Status", "suggestion": "suggestie",
        "quadrants": "Impact en inspanning", "details": "Verbeteringen in detail", "owners": "Per eigenaar",
        "remeasure": "Hermeting", "assumptions": "Schattingen en aannames", "changes": "Verandert",
        "why": "Waarom", "covered": "Al aangepakt door", "chains": "Businesscase",
        "initiatives": "Lopende initiatieven", "kpi": "KPI-doel", "questions": "Vragen",
        "when": "Wanneer", "baseline": "Nulmeting", "nobody": "geen eigenaar",
        "unowned": "Geen eigenaar: wijs er een aan, anders blijft dit van niemand",
        "none": "—", "estimate": "schatting", "measured_figure": "gemeten", "per_year": "per jaar",
        "per_customer": "per klant die het contactmoment tegenkomt", "per_unit": "per {unit}",
        "no_chain": "Het klantbelevingsmodel heeft geen oorzaakketen vanaf een service-element bij deze contactmomenten.",
        "no_money": "voor deze keten is geen bedrijfsimpact met een bedrag opgegeven",
        "unit_from": "waarde per eenheid uit de keten {link}",
        "rate": "percentage {link}: {value} ({origin})",
        "assumed_rate": "percentage {link}: 100% aangenomen, niet opgegeven of gemeten (een bovengrens)",
        "at": "bij", "customers": "klanten", "of_customers": "van de klanten van de reis",
        "reach_default": "bereik van {touchpoint}: 100% aangenomen (geen bereik opgegeven)",
        "when_text": "{months} maanden na livegang, daarna elke {repeat} maanden",
        "not_sampled": "wordt nog niet gemeten: voeg het toe aan de sample van een meting",
        "suggested_kpi": "voorgesteld",
        "total": "Op het spel per jaar (gedeelde ketens één keer geteld)",
        "factor": "{name} {value} ({origin})", "calc": "{reach} × {impact} × {confidence} / {effort} = {priority}",
        "no_items": "Er is niets te verbeteren opgegeven of gevonden.",
        "initiative_status": "{label} ({status})",
        "estimates_intro": "Deze invoer komt niet uit data of de spec; vul ze aan in de spec om het plan scherper te maken.",
        "origin": {"declared": "opgegeven", "measured": "gemeten", "default": "standaard", "assumed": "aangenomen",
                   "derived": "afgeleid", "suggested": "voorgesteld"},
        "sources": {"declared": "verbetering uit de spec", "moment_negative": "negatief moment van de waarheid",
                    "moment_critical": "kritiek moment van de waarheid", "fail_point": "faalpunt",
                    "wait": "lange wachttijd", "no_owner": "contactmoment zonder eigenaar",
                    "gap": "gemeten emotie lager dan verwacht", "driver": "sterke drijfveer van de NPS",
                    "benchmark": "een andere organisatie in de benchmark doet het beter"},
        "titles": {"moment_negative": "Keer het negatieve moment van de waarheid bij {subject}",
                   "moment_critical": "Maak het kritieke moment van de waarheid bij {subject} goed",
                   "fail_point": "Haal het faalpunt weg bij {subject}",
                   "wait": "Verkort de wachttijd van {duration} bij {subject}",
                   "no_owner": "Geef {subject} een eigenaar",
                   "gap": "Dicht het verschil bij {subject}: gemeten {measured}, verwacht {expected}",
                   "driver": "Verbeter {subject}, een sterke drijfveer van de NPS (gewicht {weight})",
                   "benchmark": "{learn_from_label} scoort +{difference} bij {subject}: leer van {learn_from_label}"},
        "titles_many": {"moment_negative": "Keer de {count} negatieve momenten van de waarheid bij {subject}",
                        "moment_critical": "Maak de {count} kritieke momenten van de waarheid bij {subject} goed",
                        "fail_point": "Haal de {count} faalpunten weg bij {subject}",
                        "wait": "Verkort de {count} wachttijden bij {subject}"},
        "title_causes": "Verbeter {subject}: {causes}",
        "figures": {"gap": "gemeten {measured}, verwacht {expected}", "driver": "gewicht {weight}",
                    "benchmark": "{measured} hier, {learn_from_label} {leader_measured} (Welch t.o.v. de sector, Holm p {p_adjusted})"},
        "quadrant_names": {"quick_win": "quick win", "major_project": "groot project", "fill_in": "opvuller",
                           "thankless_task": "ondankbare klus"},
        "horizons": {"quick_win": "quick win", "mid_term": "middellange termijn", "long_term": "lange termijn"},
        "statuses": {"idea": "idee", "planned": "gepland", "in_progress": "in uitvoering", "done": "klaar",
                     "dropped": "geschrapt"},
        "factor_names": {"impact": "impact", "confidence": "zekerheid", "effort": "inspanning", "reach": "bereik"},
    },
}


def words_for(locale: str | None) -> dict:
    """The words of ``locale`` (``nl-BE`` -> ``nl``), English when the locale has none."""
    return WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), WORDS["en"])


def number(value: float, locale: str | None, decimals: int = 0) -> str:
    """A number with the locale's separators: 1,234.5 in English, 1.234,5 in Dutch (journeyql.host.numbers)."""
    return decimal(value, locale, decimals, group=True)


def smart(value: float, locale: str | None) -> str:
    """Whole numbers without decimals, small ones with up to two."""
    value = round(float(value), 6)  # 0.28 * 100 is 28.000000000000004
    if abs(value) >= 100 or float(value).is_integer():
        return number(value, locale, 0)
    return number(value, locale, 2)
