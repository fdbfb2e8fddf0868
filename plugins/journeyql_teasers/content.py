"""The material's own text: a teaser's ``content`` as written, or a fallback that reads like it.

A teaser can carry the real text the customer gets (``content``, translatable like every
text: ``content.en``): paragraphs separated by a blank line, ``[[a passage]]`` marking a
flawed passage. Without it the letter, e-mail or page is composed from what the spec knows
the customer sees (the touchpoint, the evidence, the waits, the organisation's references),
worded as the organisation would word it; the flaws are marked on the passages they concern
and explained on the facilitator's sheet only. The organisation's own description of the
pain (``pain``) never becomes the customer's text: it belongs to the briefing.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"\[\[(.+?)\]\]", re.S)
#: "Letter: your passport is ready": a touchpoint label that names its channel before a colon
_CHANNEL_PREFIX = re.compile(r"^\s*[\w\- ]{1,20}:\s+(?=\S)")


#: A paragraph whose lines are all at most this long keeps its line breaks (a closing, a signature,
#: an address); a longer line is prose wrapped in the spec, and its lines are joined again.
SHORT_LINE = 50


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a written text, separated by blank lines. A paragraph of short lines keeps
    its line breaks (``\\n``); in a paragraph of prose, the spec's line breaks are spaces."""
    if not text:
        return []
    found = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [" ".join(line.split()) for line in block.strip().splitlines() if line.strip()]
        if lines:
            short = all(len(line) <= SHORT_LINE for line in lines)
            found.append(("\n" if short else " ").join(lines))
    return found


def marked(paragraph: str, flaws: list[str]) -> list[dict]:
    """A paragraph as parts ``{"text", "flaws"}``: ``flaws`` the 1-based numbers of a marked passage.

    Each ``[[passage]]`` is appended to ``flaws`` (the numbering runs over the whole text).
    """
    parts: list[dict] = []
    last = 0
    for match in _MARK.finditer(paragraph):
        if match.start() > last:
            parts.append({"text": paragraph[last:match.start()], "flaws": []})
        flaws.append(" ".join(match.group(1).split()))
        parts.append({"text": " ".join(match.group(1).split()), "flaws": [len(flaws)]})
        last = match.end()
    if last < len(paragraph):
        parts.append({"text": paragraph[last:], "flaws": []})
    return parts


def script_lines(text: str | None) -> list[tuple[str, str]]:
    """A phone script's lines: ``Who: what`` per line (a line without a speaker continues the last)."""
    lines: list[tuple[str, str]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        who, sep, what = line.partition(":")
        if sep and 0 < len(who) <= 30 and what.strip():
            lines.append((who.strip(), what.strip()))
        elif lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + " " + line)
        else:
            lines.append(("", line))
    return lines


def plain_subject(label: str) -> str:
    """A touchpoint's label as the subject the customer reads: "Letter: your passport is ready" ->
    "Your passport is ready" (the channel is the envelope, not the subject)."""
    text = _CHANNEL_PREFIX.sub("", label, count=1) or label
    return text[:1].upper() + text[1:]


def parts_of(text: str, flaws=()) -> list[dict]:
    """A composed paragraph: one part, marked with these flaw numbers (none: not marked)."""
    return [{"text": text, "flaws": list(flaws)}]
