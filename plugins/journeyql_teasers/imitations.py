"""The imitations themselves: the letter or e-mail, the clickable page, the phone call, the role-play's scenes.

Each takes the page data of :func:`.material.page_data` (one locale) and adds what
its kind needs; the numbers (waiting times, attempts) come from the spec.
"""

from __future__ import annotations

import json

from .content import marked, paragraphs, parts_of, plain_subject, script_lines
from .voice import Voice


def sentence(text) -> str:
    """A text ending like a sentence: a full stop added unless it has one."""
    text = " ".join(str(text or "").split())
    return text if not text or text[-1] in ".!?…:;)\"'”’" else text + "."

#: A wait longer than this is not a phone queue but time between contacts.
QUEUE_LIMIT = 2 * 3600


def script_json(data) -> str:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>`` and ``&`` as \\u escapes.

    So no spec text can close the script element (``</script>``) or open a
    comment, whatever it contains; ``JSON.parse`` reads it back unchanged.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def letter_data(voice: Voice, data: dict) -> dict:
    """The letter or e-mail as the customer gets it: who sends it, its subject, its body and the marked flaws.

    The body is the teaser's ``content`` when it has one ([[...]] marks a flawed passage); else
    it is composed from what the customer sees (content.py), the flaws marked on the passages
    they concern. The flaws are explained on the next sheet; the ``pain`` stays in the briefing.
    """
    t = voice.t
    teaser = data["teaser"]
    steps = data["scope_steps"]
    touchpoints = [tp for s in steps for tp in s["touchpoints"]]
    about = touchpoints[0]["label"] if touchpoints else (steps[0]["label"] if steps else teaser["label"])
    subject = teaser.get("subject") or plain_subject(about)
    owners = [tp["owner"] for tp in touchpoints if tp["owner"] != t["no_owner"]]
    fails = [text for s in steps for text in s["fails"]]
    waits = [w for s in steps for w in s["waits"]]
    flaws: list[str] = []
    body: list[list[dict]] = []
    written = bool(teaser.get("content"))
    if written:
        body = [marked(p, flaws) for p in paragraphs(teaser["content"])]
        flaws += fails  # the spec's fail points, not marked in a text the author wrote
    else:
        # what the letter is about, as its first sentence; the fail points and the bad moments of
        # what it imitates concern the letter itself (explained on the flaws sheet, marked here)
        moments = [m["text"] for m in [*(s["moment"] for s in steps), *(tp["moment"] for tp in touchpoints)]
                   if m and m["polarity"] != "positive" and m["text"]]
        flaws += fails + moments
        body.append(parts_of(_opening(t, subject), range(1, len(flaws) + 1)))
        for wait in waits:
            flaws.append(f"{t['wait']}: {wait['duration']}" + (f", {wait['text']}" if wait["text"] else ""))
            body.append(parts_of(t["letter_wait"].format(duration=voice.duration(wait["seconds"])), [len(flaws)]))
        following = _next_step(data)
        if following is not None:
            body.append(parts_of(t["letter_next"].format(step=following["label"])))
    references = [a["text"] for s in steps for a in s["backstage"]] + [x for s in steps for x in s["systems"]]
    if references and not written:
        # inside-out: the letter asks the customer to quote the back office's reference
        body.append(parts_of(t["letter_quote_reference"]))
    seen = {about.casefold(), subject.casefold()}
    return {
        "subject": subject,
        "sender": owners[0] if owners else data["organisation"],
        "recipient": data["persona"]["label"] if data["persona"] else t["customer"],
        # inside-out: the letter quotes the back office's process and systems as its reference
        "references": references,
        # what is enclosed, not the letter itself again
        "enclosures": [e for s in steps for e in s["evidence"] if e.casefold() not in seen],
        "body": body,
        "written": written,
        "flaws": flaws,
        "waits": waits,
    }


def _opening(t: dict, subject: str) -> str:
    """The letter's first sentence: a subject that is a sentence ("Your passport is ready") as it is,
    a name of a thing ("Final bill") as what the letter brings ("Please find enclosed your final bill.")."""
    if len(subject.split()) >= 3 or subject[-1:] in ".!?":
        return sentence(subject)
    return t["letter_enclosed"].format(subject=subject[:1].lower() + subject[1:])


def material_text(data: dict) -> dict:
    """A role-play's, video's or other teaser's own text (its ``content``): paragraphs with marked flaws."""
    flaws: list[str] = []
    body = [marked(p, flaws) for p in paragraphs(data["teaser"].get("content"))]
    return {"body": body, "flaws": flaws}


def _next_step(data: dict) -> dict | None:
    """The step of the journey after the material's last one: what the letter asks the customer to do next."""
    steps = data["steps"]
    last = max((n for n, s in enumerate(steps) if s["in_scope"]), default=None)
    return steps[last + 1] if last is not None and last + 1 < len(steps) else None


def web_data(voice: Voice, data: dict) -> dict:
    """The clickable page: its fields, its vague error and the flaws revealed after a few tries."""
    t = voice.t
    steps = data["scope_steps"]
    touchpoints = [tp for s in steps for tp in s["touchpoints"]]
    is_form = data["teaser"]["kind"] == "form"
    fields = [{"name": "name", "label": t["field_name"], "type": "text"},
              {"name": "email", "label": t["field_email"], "type": "email"}]
    if is_form:
        fields += [{"name": "postcode", "label": t["field_postcode"], "type": "text"},
                   {"name": "date", "label": t["field_date"], "type": "date"}]
    flaws = [text for s in steps for text in s["fails"]]
    marked_passages: list[str] = []
    for paragraph in paragraphs(data["teaser"].get("content")):
        marked(paragraph, marked_passages)
    flaws = marked_passages + flaws
    payload = {
        "kind": data["teaser"]["kind"], "fields": fields,
        "submit": t["submit"] if is_form else t["continue"],
        "required": t["required"], "error": t["vague_error"], "date_refused": t["date_refused"],
        "page_not_found": t["page_not_found"], "attempts": t["attempts"], "reveal_after": 3,
        "reveal_title": t["reveal"],
        "reveal": flaws + ([data["teaser"]["pain"]] if data["teaser"]["pain"] else []),
    }
    other_pages = [tp["label"] for s in data["steps"] for tp in s["touchpoints"]
                   if tp["channel_kind"] in ("web", "digital", "app") and tp not in touchpoints]
    copy_flaws: list[str] = []
    copy = [marked(p, copy_flaws) for p in paragraphs(data["teaser"].get("content"))]
    return {"title": data["teaser"].get("subject") or (touchpoints[0]["label"] if touchpoints else data["teaser"]["label"]),
            # the page's own copy when the teaser has it, else what the customer does there
            "page_copy": copy,
            "text": None if copy else next((s["action"] for s in steps if s["action"]), None),
            "nav": other_pages[:6], "fields": fields, "payload": script_json(payload), "is_form": is_form}


def phone_script(voice: Voice, data: dict) -> dict:
    """The call as it happens today, second by second: menu, queues, hand-offs (times from the spec)."""
    t = voice.t
    rows: list[dict] = []
    clock = 0.0

    def add(who: str, what: str, seconds: float = 0.0, kind: str = "event") -> None:
        nonlocal clock
        rows.append({"at": voice.clock(clock), "who": who, "what": what, "kind": kind,
                     "duration": voice.duration(seconds) if seconds else ""})
        clock += seconds

    phone_options = [tp["label"] for s in data["steps"] for tp in s["touchpoints"] if tp["channel_kind"] == "phone"]
    customer = data["persona"]["name"] if data["persona"] else t["customer"]
    script = script_lines(data["teaser"].get("content"))
    for step in data["scope_steps"]:
        touchpoints = [tp for tp in step["touchpoints"] if tp["channel_kind"] == "phone"] or step["touchpoints"]
        channel = touchpoints[0]["channel"] if touchpoints else data["organisation"]
        subject = touchpoints[0]["label"] if touchpoints else step["label"]
        for wait in step["waits"]:
            if wait["seconds"] > QUEUE_LIMIT:
                add(t["direction"], t["later"].format(text=f"{wait['duration']}" + (f", {wait['text']}" if wait["text"] else "")),
                    kind="later")
        add(customer, t["dials"].format(channel=channel, subject=subject), 10)
        add(t["ivr"], t["ivr_welcome"].format(organisation=data["organisation"]), 15, kind="ivr")
        menu = [t["ivr_menu_option"].format(option=o, digit=i) for i, o in enumerate(phone_options, 1)]
        menu.append(t["ivr_menu_other"].format(digit=len(phone_options) + 1))
        add(t["ivr"], " ".join(menu), 10 * len(menu), kind="ivr")
        if step["persona_note"]:
            add(t["direction"], step["persona_note"], kind="direction")
        queues = [w for w in step["waits"] if w["seconds"] <= QUEUE_LIMIT]
        for wait in queues:
            add(t["ivr"], t["queue"] + (f" ({wait['text']})" if wait["text"] else ""), wait["seconds"], kind="queue")
        if script and step is data["scope_steps"][0]:
            # the conversation as the teaser writes it; a line with a [[marked]] passage is a flaw
            for who, what in script:
                flawed = "[[" in what
                add(who or t["agent"], what.replace("[[", "").replace("]]", ""), 15, kind="fail" if flawed else "agent")
            continue_with = ()
        else:
            continue_with = step["frontstage"] or [{"text": t["answers"]}]
        for action in continue_with:
            add(t["agent"], action["text"], 60, kind="agent")
        for fail in step["fails"]:
            add(t["agent"], t["transfer"].format(text=fail), 15, kind="fail")
            for wait in queues:
                add(t["ivr"], t["queue_again"] + (f" ({wait['text']})" if wait["text"] else ""), wait["seconds"],
                    kind="queue")
            add(t["agent"], t["answers"], 60, kind="agent")
        add(t["direction"], t["hangs_up"], kind="end")
    return {"rows": rows, "total": voice.clock(clock), "seconds": clock}


def roleplay_scenes(voice: Voice, data: dict) -> list[dict]:
    """One scene per touchpoint in scope (per step when it has none); a pause after each that hurts."""
    scenes = []
    for step in data["scope_steps"]:
        for touchpoint in step["touchpoints"] or [None]:
            title = touchpoint["label"] if touchpoint else step["label"]
            moment = (touchpoint or {}).get("moment") or step["moment"]
            scenes.append({"title": title, "step": step, "touchpoint": touchpoint, "moment": moment,
                           "pause": bool(step["feeling"]["low"] or moment or step["fails"])})
    if scenes and not any(s["pause"] for s in scenes):
        scenes[-1]["pause"] = True
    return scenes
