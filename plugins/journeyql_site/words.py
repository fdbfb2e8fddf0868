"""The site's own words, per locale; spec text comes from the spec and its translations."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "benchmark": "Benchmark", "benchmark_chart": "Emotion per step, per organisation",
        "shared_drawings": "The journey as written (what every organisation shares)",
        "sector_band": "Sector band: 95% interval of the sector mean", "sector_mean": "Sector mean",
        "best": "Best", "worst": "Worst", "organisation_views": "Each organisation's own journey",
        "organisation_view_of": "as customers of {organisation} go through it",
        "benchmark_method": "Each organisation against the rest of the sector: Welch's t-test on respondent "
                            "scores, Holm-corrected per journey; a difference is marked only when supported "
                            "(adjusted p < 0.05). Fewer than {report_n} respondents: not enough data.",
        "verdict_higher": "above the sector (supported)", "verdict_lower": "below the sector (supported)",
        "verdict_no_difference": "no supported difference", "verdict_not_enough_data": "not enough data",
        "verdict_no_data": "no data",
        "site_title": "Customer experience roadmap", "home": "Overview",
        "trend": "Trend over the measurement waves", "trend_alt": "Trend per touchpoint of",
        "waves_alt": "Emotional curve of the latest wave against the previous one of",
        "wave_change": "Change since the previous wave", "wave_ci": "95% interval", "wave_status": "Verdict",
        "wave_improved": "improved", "wave_declined": "declined",
        "wave_no_significant_change": "no significant change", "wave_not_enough_data": "not enough data",
        "kpi_per_wave": "KPIs per wave",
        "trend_note": "\u25b2 \u25bc: a significant change since the previous wave (Welch's t on respondents, "
                      "Holm-corrected across the touchpoints); =: no significant change; ?: not enough "
                      "respondents to judge.",
        "journeys": "Customer journeys", "journey": "Journey", "personas": "Personas", "persona": "Persona",
        "stakeholders": "Stakeholders", "stakeholder": "Stakeholder", "organisations": "Organisations",
        "organisation": "Organisation", "sector": "Sector", "outputs": "All outputs", "outputs_by": "Files by renderer",
        "journey_outputs": "Other outputs for this journey", "previous": "Previous journey", "next": "Next journey",
        "language": "Language", "breadcrumb": "You are here", "main_nav": "Main navigation",
        "goal": "Goal", "volume": "Customers per year", "scale": "Emotion scale", "steps": "Steps",
        "stage": "Stage", "step": "Step", "action": "Customer action", "needs": "Needs", "expectations": "Expectations",
        "touchpoints": "Touchpoints", "touchpoint": "Touchpoint", "channel": "Channel", "owner": "Owner",
        "no_owner": "no owner", "reach": "Reach", "third_party": "third party", "operator": "run by",
        "moments": "Moments of truth", "moment": "Moment of truth", "positive": "positive", "negative": "negative",
        "critical": "critical", "expected": "Expected", "target": "Target", "measured": "Measured",
        "emotion": "Emotion", "not_stated": "not stated", "skips": "skips this step", "persona_views": "Per persona",
        "frontstage": "Frontstage", "backstage": "Backstage", "support": "Support processes and systems",
        "evidence": "Physical evidence", "fail_points": "Fail points", "wait_points": "Waiting points",
        "curve": "Emotional curve", "curve_alt": "Emotional curve of", "persona_curve": "Emotional curve per persona",
        "blueprint": "Service blueprint", "blueprint_alt": "Service blueprint of", "matrix": "Touchpoint matrix",
        "to_be": "As-is and to-be", "to_be_intro": "The journey after the plan's improvements, beside the journey today.",
        "new_step": "new step", "new_touchpoint": "new touchpoint", "changed_emotion": "expected emotion",
        "to_be_by": "Improvement", "what": "What", "change_kind": "Change", "detail": "Detail", "new_channels": "New channels",
        "to_be_curve_alt": "Emotional curve before and after the plan of",
        "to_be_blueprint_alt": "Service blueprint after the plan of", "as_is": "As-is (today)",
        "to_be_short": "To-be (after the plan)",
        "open_matrix": "Open the touchpoint matrix", "full_size": "Open the blueprint at full size", "measurement": "Measurement plan", "instruments": "Instruments",
        "samples": "When we ask", "after": "right after", "at_end": "at the end of the journey", "kpis": "KPIs",
        "period": "Period", "data": "Response files", "results": "Results", "respondents": "Respondents",
        "valence": "Valence (mean)", "ci": "95% interval", "nps": "NPS", "ces": "Effort (CES)", "csat": "CSAT",
        "negative_share": "Negative", "kpi_met": "met", "kpi_missed": "missed", "kpi_unknown": "not measured yet",
        "kpi_pooled": "not measured per organisation", "kpi_pooled_value": "{value} (all organisations together)",
        "status": "Status", "teasers": "Teasers", "imitates": "Imitates", "pain": "Pain", "audience": "Audience",
        "notes": "Notes", "improvements": "Improvements", "changes": "Changes", "effort": "Effort",
        "impact": "Impact", "confidence": "Confidence", "horizon": "Horizon", "initiatives": "Initiatives",
        "quick_win": "quick win", "mid_term": "mid term", "long_term": "long term", "idea": "idea",
        "planned": "planned", "in_progress": "in progress", "done": "done", "dropped": "dropped",
        "surveys": "Surveys", "files": "Files", "cx_model": "Customer experience model", "rate": "in",
        "segment": "Segment", "context": "Context", "quote": "Quote", "goals": "Goals", "ambitions": "Ambitions",
        "channels": "Preferred channels", "share": "Share of customers", "in_journeys": "Journeys",
        "relations": "Relations", "from": "From", "to": "To", "flows": "What flows", "kind": "Kind",
        "role": "Role", "customer": "Customers", "internal": "Internal", "external": "External",
        "owns": "Owns touchpoints", "stakeholder_map": "Stakeholder map", "stakeholder_map_alt": "Stakeholder map",
        "none": "none", "all_customers": "all customers", "no_journeys": "No journeys yet.",
        "workspaces": "Workspaces", "instrument_valence": "valence", "instrument_emotions": "emotions",
        "instrument_nps": "NPS", "instrument_ces": "customer effort", "instrument_csat": "satisfaction",
        "instrument_question": "question", "instrument_intents": "intentions", "journey_results": "Whole journey",
        "small_sample": "small sample (fewer than {n} respondents): read with care",
        "too_small_sample": "too few respondents (fewer than {n}) to show a figure",
        "measured_steps": "Measured per step", "print_note": "Printed from the customer experience roadmap",
        "flow_money": "money", "flow_information": "information", "flow_service": "service", "flow_trust": "trust",
        "flow_goods": "goods", "flow_data": "data", "flow_other": "other", "set_premo": "PrEmo emotions",
        "set_panas": "PANAS affects",
    },
    "nl": {
        "benchmark": "Benchmark", "benchmark_chart": "Emotie per stap, per organisatie",
        "shared_drawings": "De klantreis zoals beschreven (wat alle organisaties delen)",
        "sector_band": "Sectorband: 95%-interval van het sectorgemiddelde", "sector_mean": "Sectorgemiddelde",
        "best": "Beste", "worst": "Slechtste", "organisation_views": "De eigen klantreis van elke organisatie",
        "organisation_view_of": "zoals klanten van {organisation} die doorlopen",
        "benchmark_method": "Elke organisatie tegen de rest van de sector: Welch-t-toets op scores per respondent, "
                            "Holm-gecorrigeerd per klantreis; een verschil wordt alleen gemarkeerd als het "
                            "onderbouwd is (gecorrigeerde p < 0,05). Minder dan {report_n} respondenten: te weinig data.",
        "verdict_higher": "boven de sector (onderbouwd)", "verdict_lower": "onder de sector (onderbouwd)",
        "verdict_no_difference": "geen onderbouwd verschil", "verdict_not_enough_data": "te weinig data",
        "verdict_no_data": "geen data",
        "site_title": "Klantbelevingsroadmap", "home": "Overzicht",
        "journeys": "Klantreizen", "journey": "Klantreis", "personas": "Persona's", "persona": "Persona",
        "stakeholders": "Belanghebbenden", "stakeholder": "Belanghebbende", "organisations": "Organisaties",
        "organisation": "Organisatie", "sector": "Sector", "outputs": "Alle uitvoer", "outputs_by": "Bestanden per renderer",
        "journey_outputs": "Overige uitvoer voor deze klantreis", "previous": "Vorige klantreis",
        "next": "Volgende klantreis", "language": "Taal", "breadcrumb": "U bent hier", "main_nav": "Hoofdnavigatie",
        "goal": "Doel", "volume": "Klanten per jaar", "scale": "Emotieschaal", "steps": "Stappen",
        "stage": "Fase", "step": "Stap", "action": "Actie van de klant", "needs": "Behoeften",
        "expectations": "Verwachtingen", "touchpoints": "Contactmomenten", "touchpoint": "Contactmoment",
        "channel": "Kanaal", "owner": "Eigenaar", "no_owner": "geen eigenaar", "reach": "Bereik",
        "third_party": "derde partij", "operator": "beheerd door", "moments": "Momenten van de waarheid",
        "moment": "Moment van de waarheid", "positive": "positief", "negative": "negatief", "critical": "kritiek",
        "expected": "Verwacht", "target": "Doel", "measured": "Gemeten", "emotion": "Emotie",
        "not_stated": "niet opgegeven", "skips": "slaat deze stap over", "persona_views": "Per persona",
        "frontstage": "Frontstage", "backstage": "Backstage", "support": "Ondersteunende processen en systemen",
        "evidence": "Fysiek bewijs", "fail_points": "Faalpunten", "wait_points": "Wachtpunten",
        "curve": "Emotiecurve", "curve_alt": "Emotiecurve van", "persona_curve": "Emotiecurve per persona",
        "blueprint": "Service blueprint", "blueprint_alt": "Service blueprint van", "matrix": "Contactmomentenmatrix",
        "to_be": "Nu en na het plan", "to_be_intro": "De klantreis na de verbeteringen van het plan, naast de klantreis van nu.",
        "new_step": "nieuwe stap", "new_touchpoint": "nieuw contactmoment", "changed_emotion": "verwachte emotie",
        "to_be_by": "Verbetering", "what": "Wat", "change_kind": "Verandering", "detail": "Toelichting", "new_channels": "Nieuwe kanalen",
        "to_be_curve_alt": "Emotiecurve voor en na het plan van",
        "to_be_blueprint_alt": "Service blueprint na het plan van", "as_is": "Nu (as-is)",
        "to_be_short": "Na het plan (to-be)",
        "open_matrix": "Open de contactmomentenmatrix", "full_size": "Open de blueprint op ware grootte", "measurement": "Meetplan", "instruments": "Instrumenten",
        "samples": "Wanneer we vragen", "after": "direct na", "at_end": "aan het einde van de klantreis",
        "kpis": "KPI's", "period": "Periode", "data": "Responsbestanden", "results": "Resultaten",
        "respondents": "Respondenten", "valence": "Valentie (gemiddeld)", "ci": "95%-interval", "nps": "NPS",
        "ces": "Inspanning (CES)", "csat": "CSAT", "negative_share": "Negatief", "kpi_met": "gehaald",
        "trend": "Verloop over de metingen", "trend_alt": "Verloop per contactmoment van",
        "waves_alt": "Emotiecurve van de laatste meting naast de vorige van",
        "wave_change": "Verandering sinds de vorige meting", "wave_ci": "95%-interval", "wave_status": "Oordeel",
        "wave_improved": "verbeterd", "wave_declined": "verslechterd",
        "wave_no_significant_change": "geen significante verandering", "wave_not_enough_data": "te weinig data",
        "kpi_per_wave": "KPI's per meting",
        "trend_note": "\u25b2 \u25bc: een significante verandering sinds de vorige meting (Welch-t op respondenten, "
                      "Holm-gecorrigeerd over de contactmomenten); =: geen significante verandering; ?: te weinig "
                      "respondenten om te oordelen.",
        "kpi_missed": "niet gehaald", "kpi_unknown": "nog niet gemeten",
        "kpi_pooled": "niet per organisatie gemeten", "kpi_pooled_value": "{value} (alle organisaties samen)", "status": "Status", "teasers": "Teasers",
        "imitates": "Bootst na", "pain": "Pijnpunt", "audience": "Publiek", "notes": "Notities",
        "improvements": "Verbeteringen", "changes": "Verandert", "effort": "Inspanning", "impact": "Impact",
        "confidence": "Zekerheid", "horizon": "Horizon", "initiatives": "Initiatieven", "quick_win": "quick win",
        "mid_term": "middellange termijn", "long_term": "lange termijn", "idea": "idee", "planned": "gepland",
        "in_progress": "in uitvoering", "done": "gereed", "dropped": "vervallen", "surveys": "Vragenlijsten",
        "files": "Bestanden", "cx_model": "Klantbelevingsmodel", "rate": "bij", "segment": "Segment",
        "context": "Context", "quote": "Citaat", "goals": "Doelen", "ambitions": "Ambities",
        "channels": "Voorkeurskanalen", "share": "Aandeel van de klanten", "in_journeys": "Klantreizen",
        "relations": "Relaties", "from": "Van", "to": "Naar", "flows": "Wat er stroomt", "kind": "Soort",
        "role": "Rol", "customer": "Klanten", "internal": "Intern", "external": "Extern",
        "owns": "Eigenaar van contactmomenten", "stakeholder_map": "Stakeholderkaart",
        "stakeholder_map_alt": "Stakeholderkaart", "none": "geen", "all_customers": "alle klanten",
        "no_journeys": "Nog geen klantreizen.", "workspaces": "Werkruimten", "instrument_valence": "valentie",
        "instrument_emotions": "emoties", "instrument_nps": "NPS", "instrument_ces": "klantinspanning",
        "instrument_csat": "tevredenheid", "instrument_question": "vraag", "instrument_intents": "intenties",
        "journey_results": "Hele klantreis",
        "small_sample": "kleine steekproef (minder dan {n} respondenten): met voorzichtigheid lezen",
        "too_small_sample": "te weinig respondenten (minder dan {n}) om een cijfer te tonen", "measured_steps": "Gemeten per stap",
        "print_note": "Afgedrukt uit de klantbelevingsroadmap",
        "flow_money": "geld", "flow_information": "informatie", "flow_service": "dienstverlening",
        "flow_trust": "vertrouwen", "flow_goods": "goederen", "flow_data": "gegevens", "flow_other": "overig",
        "set_premo": "PrEmo-emoties", "set_panas": "PANAS-gevoelens",
    },
}


#: each language named in itself, for the language switch (a language without UI words still gets its name)
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
                  "it": "Italiano", "pt": "Português", "da": "Dansk", "sv": "Svenska", "nb": "Norsk bokmål",
                  "fi": "Suomi", "pl": "Polski", "tr": "Türkçe", "ar": "العربية"}


def language_name(locale: str) -> str:
    """``nl`` -> Nederlands, ``en-GB`` -> English (en-GB); an unknown tag stays as written."""
    base = locale.replace("_", "-").split("-")[0].lower()
    name = LANGUAGE_NAMES.get(base)
    if name is None:
        return locale
    return name if base == locale.lower() else f"{name} ({locale})"


def words_for(locale: str | None) -> dict[str, str]:
    """The UI words of ``locale`` (``nl-BE`` -> ``nl``); English for a language we have no words for."""
    return WORDS.get((locale or "en").replace("_", "-").split("-")[0].lower(), WORDS["en"])
