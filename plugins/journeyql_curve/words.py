"""The words of the curve itself, per locale (spec text comes from the spec and its translations)."""

WORDS = {
    "en": {"title": "Emotional curve", "expected": "expected", "measured": "measured", "target": "target",
           "band": "95% confidence interval (measured)", "scale": "Emotion", "moment": "Moment of truth",
           "positive": "positive", "negative": "negative", "critical": "critical", "gap": "gap",
           "gaps": "largest gaps between expected and measured", "skipped": "skipped",
           "steps": "steps", "stages": "stages", "no_score": "not stated", "n": "n",
           "series": "Lines", "lowest": "lowest expected", "largest_gap": "largest gap",
           "persona": "persona", "moments": "moments of truth", "small": "small sample",
           "small_legend": "small sample (n < {n}): read with care",
           "to_be": "to-be (after the plan)", "as_is": "as-is (expected)", "after_plan": "as-is and to-be",
           "new": "new",
           "previous": "previous wave", "trends": "Trend per touchpoint", "wave": "wave", "waves": "waves",
           "improved": "improved", "declined": "declined", "no_significant_change": "no significant change",
           "not_enough_data": "not enough data", "since_previous": "since the previous wave",
           "journey": "whole journey"},
    "nl": {"title": "Emotiecurve", "expected": "verwacht", "measured": "gemeten", "target": "doel",
           "band": "95%-betrouwbaarheidsinterval (gemeten)", "scale": "Emotie", "moment": "Moment van de waarheid",
           "positive": "positief", "negative": "negatief", "critical": "kritiek", "gap": "verschil",
           "gaps": "grootste verschillen tussen verwacht en gemeten", "skipped": "overgeslagen",
           "steps": "stappen", "stages": "fasen", "no_score": "niet opgegeven", "n": "n",
           "series": "Lijnen", "lowest": "laagste verwachting", "largest_gap": "grootste verschil",
           "persona": "persona", "moments": "momenten van de waarheid", "small": "kleine steekproef",
           "small_legend": "kleine steekproef (n < {n}): met voorzichtigheid lezen",
           "to_be": "na het plan (to-be)", "as_is": "nu (verwacht)", "after_plan": "nu en na het plan",
           "new": "nieuw",
           "previous": "vorige meting", "trends": "Verloop per contactmoment", "wave": "meting",
           "waves": "metingen", "improved": "verbeterd", "declined": "verslechterd",
           "no_significant_change": "geen significante verandering", "not_enough_data": "te weinig data",
           "since_previous": "sinds de vorige meting", "journey": "hele reis"},
}


def words_for(locale: str | None) -> dict[str, str]:
    return WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), WORDS["en"])
