"""The deck's own words per locale (spec text comes from the spec and its translations)."""

WORDS = {
    "en": {"title": "Customer experience roadmap", "subtitle": "For the board",
           "curve": "Emotional curve", "expected": "Expected", "measured": "Measured", "target": "Target",
           "no_measured": "No measurements yet: the curve shows what the organisation expects.",
           "moments": "Moments of truth", "owner": "owner", "no_owner": "no owner",
           "no_moments": "No moments of truth named.",
           "kpis": "KPIs", "kpi": "KPI", "measured_value": "Measured", "status": "Status",
           "met": "met", "missed": "missed", "no_data": "no data", "no_kpis": "No KPI targets set.",
           "plan": "Top of the plan", "improvement": "Improvement", "horizon": "Horizon",
           "case": "Business case per year", "no_plan": "The plan was not made in this run: build with "
           "the plan renderer (journeyql build, or --to plan,pptx) to see its top here.",
           "empty_plan": "No improvements in the plan.",
           "positive": "positive", "negative": "negative", "critical": "critical",
           "quick_win": "quick win", "mid_term": "mid term", "long_term": "long term",
           "valence": "mean emotion", "negative_share": "share negative", "nps": "NPS", "ces": "effort (CES)",
           "csat": "satisfied (CSAT)", "n": "respondents", "emotion": "feeling", "intent": "intends to",
           "whole_journey": "whole journey"},
    "nl": {"title": "Klantbelevingsroadmap", "subtitle": "Voor de directie",
           "curve": "Emotiecurve", "expected": "Verwacht", "measured": "Gemeten", "target": "Doel",
           "no_measured": "Nog geen metingen: de curve toont wat de organisatie verwacht.",
           "moments": "Momenten van de waarheid", "owner": "eigenaar", "no_owner": "geen eigenaar",
           "no_moments": "Geen momenten van de waarheid benoemd.",
           "kpis": "KPI's", "kpi": "KPI", "measured_value": "Gemeten", "status": "Status",
           "met": "gehaald", "missed": "niet gehaald", "no_data": "geen gegevens", "no_kpis": "Geen KPI-doelen gesteld.",
           "plan": "Top van het verbeterplan", "improvement": "Verbetering", "horizon": "Termijn",
           "case": "Businesscase per jaar", "no_plan": "Het verbeterplan is in deze run niet gemaakt: bouw met "
           "de plan-renderer (journeyql build, of --to plan,pptx) om de top hier te zien.",
           "empty_plan": "Geen verbeteringen in het plan.",
           "positive": "positief", "negative": "negatief", "critical": "kritiek",
           "quick_win": "snelle winst", "mid_term": "middellange termijn", "long_term": "lange termijn",
           "valence": "gemiddelde emotie", "negative_share": "aandeel negatief", "nps": "NPS",
           "ces": "moeite (CES)", "csat": "tevreden (CSAT)", "n": "respondenten", "emotion": "gevoel",
           "intent": "van plan", "whole_journey": "hele klantreis"},
}


def words_for(locale: str | None) -> dict[str, str]:
    return WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), WORDS["en"])
