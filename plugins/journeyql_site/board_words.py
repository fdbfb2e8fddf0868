"""Words of the dashboard and the downloads page, per locale (kept apart from the site's long list)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "dashboard": "At a glance", "dashboard_curve": "Emotional curve: expected, measured and target",
        "kpis": "KPIs", "kpi": "Target", "measured_value": "Measured", "status": "Status",
        "no_kpis": "No KPI targets set.", "moments": "Moments of truth and who owns them",
        "no_moments": "No moments of truth named.", "owner": "Owner", "where": "Where",
        "plan": "Top improvements", "improvement": "Improvement", "horizon": "Horizon",
        "case": "Business case per year", "no_plan": "The plan was not made in this build.",
        "empty_plan": "No improvements for this journey.", "no_owner": "no owner",
        "downloads": "Downloads", "downloads_intro": "Every file this build made, by kind.",
        "all_downloads": "All downloads", "files_count": "{n} files",
        "whole_journey": "whole journey", "intent": "intends to", "emotion": "feeling",
        "metric_valence": "mean emotion", "metric_negative_share": "share negative", "metric_nps": "NPS",
        "metric_ces": "effort (CES)", "metric_csat": "satisfied (CSAT)", "metric_n": "respondents",
        "metric_response_rate": "response rate", "metric_emotion_score": "emotion score",
        "kind_emotion-curve": "Emotional curves", "kind_blueprint": "Service blueprints",
        "kind_stakeholder-map": "Stakeholder maps", "kind_touchpoint-matrix": "Touchpoint matrices",
        "kind_plan": "Improvement plans", "kind_surveyjs": "Surveys for SurveyJS",
        "kind_xlsform": "Surveys for ODK and Kobo (XLSForm)", "kind_survey-html": "Surveys as web pages",
        "kind_teasers": "Teasers", "kind_mermaid": "Diagrams (Mermaid)", "kind_markdown": "Texts (Markdown)",
        "kind_json": "Data (JSON)", "kind_pptx": "Board deck (PowerPoint)",
        "format_svg": "picture (SVG)", "format_dot": "graph source (DOT)", "format_html": "web page",
        "format_md": "text (Markdown)", "format_csv": "spreadsheet (CSV)", "format_json": "data (JSON)",
        "format_xlsx": "workbook (Excel)", "format_xml": "form (XML)", "format_mmd": "diagram (Mermaid)",
        "format_pptx": "presentation (PowerPoint)", "format_txt": "text",
        "workspace": "The whole workspace", "for_persona": "for", "show": "Show",
        "behind_the_scenes": "Behind the scenes: frontstage, backstage, support, evidence, fail and waiting points",
    },
    "nl": {
        "dashboard": "In één oogopslag", "dashboard_curve": "Emotiecurve: verwacht, gemeten en doel",
        "kpis": "KPI's", "kpi": "Doel", "measured_value": "Gemeten", "status": "Status",
        "no_kpis": "Geen KPI-doelen gesteld.", "moments": "Momenten van de waarheid en wie ze bezit",
        "no_moments": "Geen momenten van de waarheid benoemd.", "owner": "Eigenaar", "where": "Waar",
        "plan": "Belangrijkste verbeteringen", "improvement": "Verbetering", "horizon": "Termijn",
        "case": "Businesscase per jaar", "no_plan": "Het verbeterplan is in deze build niet gemaakt.",
        "empty_plan": "Geen verbeteringen voor deze klantreis.", "no_owner": "geen eigenaar",
        "downloads": "Downloads", "downloads_intro": "Alle bestanden van deze build, per soort.",
        "all_downloads": "Alle downloads", "files_count": "{n} bestanden",
        "whole_journey": "hele klantreis", "intent": "van plan", "emotion": "gevoel",
        "metric_valence": "gemiddelde emotie", "metric_negative_share": "aandeel negatief", "metric_nps": "NPS",
        "metric_ces": "moeite (CES)", "metric_csat": "tevreden (CSAT)", "metric_n": "respondenten",
        "metric_response_rate": "respons", "metric_emotion_score": "emotiescore",
        "kind_emotion-curve": "Emotiecurves", "kind_blueprint": "Service blueprints",
        "kind_stakeholder-map": "Stakeholderkaarten", "kind_touchpoint-matrix": "Contactmomentenmatrices",
        "kind_plan": "Verbeterplannen", "kind_surveyjs": "Vragenlijsten voor SurveyJS",
        "kind_xlsform": "Vragenlijsten voor ODK en Kobo (XLSForm)", "kind_survey-html": "Vragenlijsten als webpagina",
        "kind_teasers": "Teasers", "kind_mermaid": "Diagrammen (Mermaid)", "kind_markdown": "Teksten (Markdown)",
        "kind_json": "Gegevens (JSON)", "kind_pptx": "Directiepresentatie (PowerPoint)",
        "format_svg": "afbeelding (SVG)", "format_dot": "grafiekbron (DOT)", "format_html": "webpagina",
        "format_md": "tekst (Markdown)", "format_csv": "spreadsheet (CSV)", "format_json": "gegevens (JSON)",
        "format_xlsx": "werkmap (Excel)", "format_xml": "formulier (XML)", "format_mmd": "diagram (Mermaid)",
        "format_pptx": "presentatie (PowerPoint)", "format_txt": "tekst",
        "workspace": "De hele werkruimte", "for_persona": "voor", "show": "Tonen",
        "behind_the_scenes": "Achter de schermen: frontstage, backstage, ondersteuning, bewijs, faal- en wachtpunten",
    },
}


def board_words(locale: str | None) -> dict[str, str]:
    return WORDS.get((locale or "en").replace("_", "-").split("-")[0].lower(), WORDS["en"])
