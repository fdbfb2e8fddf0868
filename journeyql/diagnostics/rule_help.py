"""What to do about each finding: the help text of every code.

``docs/diagnostics.md`` shows these texts under "What each code asks of you" (generated, so the
two never drift), and the SARIF view carries them as each rule's ``help``, which code-scanning
dashboards show next to the finding. One or two sentences each, Markdown.
"""

from __future__ import annotations

HELP: dict[str, str] = {
    "JQL001": "Look at the character the caret points to: usually a missing `{`, `}` or `->`, or a keyword "
              "written as a value. `docs/language.md` shows every construct with an example.",
    "JQL002": "Close the text with `\"` on the same line, or write text over several lines between `\"\"\"` "
              "and `\"\"\"`.",
    "JQL003": "Add the missing `}`; `journeyql fmt` on the file indents every block, which shows where one "
              "was left open.",
    "JQL004": "Save the file as UTF-8 (most editors: *Save with encoding*), or fix its permissions.",
    "JQL005": "Look for a missing `}` or a block pasted into another; no JourneyQL construct nests that deep.",
    "JQL006": "Pass a directory that holds `.jql` files, or a `.jql` file itself.",
    "JQL007": "Fix the setting the message names: `journeyql.toml` must be valid TOML with the sections and "
              "keys the documentation of each renderer and rule lists.",
    "JQL008": "Name a code (`JQL303`) or a rule name (`unused-persona`) in the comment, or remove it.",
    "JQL009": "The finding names the plugin and what it raised: update or uninstall that plugin. The other "
              "plugins ran; `journeyql plugins` lists them.",
    "JQL010": "Copy the file into the workspace instead of linking to it, and name `data` files by a path "
              "relative to the workspace; a trusted `journeyql.toml` may allow more.",
    "JQL011": "Add the definitions the file was meant to hold, or delete it.",
    "JQL101": "Check the spelling against the construct's table in `docs/language.md`, or move the "
              "attribute to the block it belongs to.",
    "JQL102": "Write the kind of value the attribute takes: a number, a percentage (`40%`), a duration "
              "(`3d`), a text in quotes, or a name.",
    "JQL103": "Add the attribute the message names.",
    "JQL104": "Keep one of the two; attributes that take several values take them comma-separated.",
    "JQL105": "Give the block an identifier (letters, digits, `_`) and, where the construct has one, a "
              "label in quotes.",
    "JQL106": "Use one of the values the message lists.",
    "JQL201": "Define the name, or fix its spelling (the hint suggests the closest defined name).",
    "JQL202": "Rename one of the two definitions; the finding points to both.",
    "JQL203": "Name a definition of the kind the attribute expects (a channel for `channel`, an internal "
              "stakeholder for `owner`, ...).",
    "JQL301": "Give the touchpoint one `owner`: the internal stakeholder who answers for it.",
    "JQL302": "Keep scores within the journey's `scale` (default -3..3), or widen the scale.",
    "JQL303": "Add the persona to a journey's `personas`, or remove it.",
    "JQL304": "Use the channel on a touchpoint, or remove it.",
    "JQL305": "Add the touchpoint to a measurement plan's `sample`: a moment of truth is the first thing "
              "to measure.",
    "JQL306": "Say what the improvement changes with `changes` (touchpoints or steps).",
    "JQL307": "Break the loop: a causal chain runs from service elements to emotions, behaviour and impact, "
              "never back.",
    "JQL308": "Link in the direction element -> emotion -> behaviour -> impact.",
    "JQL309": "Make the owner an internal stakeholder (`kind internal`); a customer or partner cannot own "
              "a touchpoint.",
    "JQL310": "Add at least one step, or remove the empty journey or stage.",
    "JQL311": "Name the personas the journey is for with `personas`.",
    "JQL312": "Use an emotion of the plan's emotion set (e.g. `premo`), or declare it in a customer "
              "experience model.",
    "JQL313": "Say when to ask with `sample` (touchpoints, or `end`).",
    "JQL314": "Use a metric the plan measures (`nps`, `ces`, `csat`, `valence`, ...), or add it to the plan.",
    "JQL315": "Nothing to do for an offline step; otherwise add the touchpoint where the customer meets "
              "the organisation.",
    "JQL316": "Add a `target` emotion to the moment of truth, so the gap between expected and target shows.",
    "JQL317": "Add a `relation` from or to the stakeholder, or remove it.",
    "JQL318": "Write the low end first (`-3..3`), and keep percentages within 0..100%.",
    "JQL319": "Refer only to touchpoints of the journey in scope, or name the other journey's plan.",
    "JQL320": "Add the translation of each text the message names, for the locale it names: `label.nl \"...\"`, or for a repeated text (`need`, `evidence`, `wait`) one `need.nl \"...\"` per line, in the same order.",
    "JQL321": "Put the journeys on one scale if they should be averaged; where a 0-100 score is what you want, "
              "suppress it with `# jql-ignore: mixed-scales`.",
    "JQL322": "Ask valence on the journey's own scale, or keep the question's `scale` knowing its answers are "
              "mapped linearly onto the journey's (see docs/analysis.md).",
    "JQL340": "Give each wave its own name: changes are reported per wave (`2026q1 -> 2026q2`), so two waves with "
              "one name cannot be told apart.",
    "JQL341": "In a plan with waves, move each response file into the `wave` whose fieldwork produced it, and name "
              "each file in one wave only (see docs/language.md#wave).",
    "JQL342": "Check the path (relative to the workspace root) or add the file; declare a wave once its answers are in.",
    "JQL343": "Name one of the plan's waves in `baseline`, or drop it: the first wave is the baseline by default.",
    "JQL344": "Write the waves in the order their fieldwork ran: the last wave is the latest, and `analyze` measures "
              "each wave's change from the wave above it.",
    "JQL345": "Give the plan waves (`wave q1 { data \"...\" }`, one per round of fieldwork), or write a fixed target "
              "like `slot.valence >= 0`: `no worse than previous` compares each wave with the one before it.",
    "JQL346": "Hold valence to the previous wave (`slot.valence no worse than previous`) at a touchpoint, a step or "
              "the journey: those are what the waves are compared on (Welch's t, Holm-corrected; docs/analysis.md); "
              "for other metrics write a fixed target.",
    "JQL401": "Improve the touchpoint until the target is met, or change the target in the plan if it was wrong; "
              "`analyze --fail-on regression` reports it until then (see docs/ci.md).",
    "JQL402": "Find what changed at this touchpoint or step since the previous wave (a new letter, a process, "
              "staffing); the change, its interval and the Holm-adjusted p are in `analyze`'s `changes`.",
    "JQL350": "Give the touchpoint an owner of this organisation: `for org { owner dept }` inside the touchpoint "
              "(or a default `owner` that belongs to it). Each organisation answers for its own touchpoints.",
    "JQL351": "Let an owner of the organisation whose touchpoint it is deliver the improvement, or write one "
              "improvement per organisation; one organisation cannot change another's customers' experience.",
    "JQL352": "Add the organisation to the journey's `organisations`, or fix the name in `for`.",
}


def help_text(code: str) -> str | None:
    return HELP.get(code)
