"""The generated parts of the documentation: construct tables and the diagnostics table.

``docs/language.md`` and ``docs/diagnostics.md`` hold these tables between
``<!-- generated:NAME -->`` markers; ``python -m journeyql.language.reference`` rewrites
them from the schema and the code table, and a test fails when they are
out of date, so the reference can never drift from what the parser accepts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..diagnostics import all_codes
from .schema import TOP_LEVEL, Spec, all_specs

KIND_WORDS = {
    "text": "text", "texts": "texts", "word": "word or text", "words": "words", "choice": "one of",
    "number": "number", "percent": "percentage", "range": "range", "duration": "duration", "money": "amount",
    "ref": "name of", "refs": "names of", "emotion": "score, emotion names", "moment": "polarity, text",
    "wait": "duration, text", "kpi": "target", "flows": "flows", "samples": "touchpoints, `end`",
    "chain": "chain", "bool": "yes or no",
}


def describe_value(attr) -> str:
    """What an attribute takes, in words (the reference's "takes" column)."""
    return _value(attr)


def _value(attr) -> str:
    words = KIND_WORDS.get(attr.kind, attr.kind)
    if attr.kind == "choice":
        return "one of " + ", ".join(f"`{c}`" for c in attr.choices)
    if attr.targets:
        return f"{words} " + " / ".join(attr.targets)
    if attr.low is not None or attr.high is not None:
        low = "" if attr.low is None else f"{attr.low:g}"
        high = "" if attr.high is None else f"{attr.high:g}"
        return f"{words} ({low}..{high})"
    return words


def _header(spec: Spec) -> str:
    name = {"required": " name", "none": "", "relation": " from -> to", "chain": " cause -> effect"}.get(
        spec.name, " [name]" if spec.name.startswith("default:") else f" {spec.name[4:]}" if spec.name.startswith("ref:") else " name")
    if spec.keyword == "for" and spec.name.startswith("ref:"):  # a view: its kind word may be spelt out
        name = f" [{spec.name[4:]}] name"
    label = {"optional": ' ["label"]', "required": ' "label"', "none": ""}.get(spec.label, ' "text"')
    return f"{spec.keyword}{name}{label} {{ ... }}"


def construct_table(spec: Spec) -> str:
    rows = [f"`{_header(spec)}`", "", "| keyword | takes | repeatable | required | meaning |",
            "|---|---|---|---|---|"]
    for key, attr in spec.attrs.items():
        rows.append(f"| `{key}` | {_value(attr)} | {'yes' if attr.repeatable else ''} | "
                    f"{'yes' if attr.required else ''} | {attr.doc} |")
    for key, (_, child) in spec.blocks.items():
        rows.append(f"| `{key}` | block, see [{child.keyword}](#{child.keyword}) | yes | | {child.doc} |")
    if spec.texts:
        rows.append("")
        rows.append("Translatable: " + ", ".join(f"`{t}.LOCALE`" for t in spec.texts) + ".")
    if spec.shorthand or (spec.label.startswith("field:") and spec.name in ("none",)):
        rows.append("")
        rows.append(f"Shorthand without braces: `{spec.keyword} VALUE`.")
    return "\n".join(rows)


EXAMPLES = Path(__file__).resolve().parents[2] / "specs"


def _examples() -> dict[str, str]:
    """Per block keyword, the smallest real instance in the example specs (at least two lines of body)."""
    import textwrap

    from .syntax import Block, parse_syntax

    found: dict[str, tuple[int, str]] = {}
    for path in sorted(EXAMPLES.glob("*/*.jql")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        parsed = parse_syntax(text, str(path))

        def visit(statements, parent=""):
            for statement in statements:
                if not isinstance(statement, Block):
                    continue
                size = statement.span.end_line - statement.span.line + 1
                richness = len(statement.body)
                key = statement.key if parent != "touchpoint" else f"touchpoint/{statement.key}"
                score = size if richness >= 2 else size + 1000
                for attribute in statement.body:
                    if not isinstance(attribute, Block) and ("=" + attribute.key) not in found:
                        line = lines[attribute.span.line - 1].strip()
                        found["=" + attribute.key] = (0, line)
                if key not in found or score < found[key][0]:
                    snippet = "\n".join(lines[statement.span.line - 1: statement.span.end_line])
                    found[key] = (score, textwrap.dedent(snippet))
                visit(statement.body, statement.key)

        visit(parsed.statements)
    return {key: snippet for key, (_, snippet) in found.items()}


def language_reference() -> str:
    examples = _examples()
    out = []
    for spec in all_specs():
        if spec.within:
            example, heading = examples.get(f"{spec.within}/{spec.keyword}"), f"{spec.keyword} (in a {spec.within})"
        else:
            example = examples.get(spec.keyword) or examples.get("=" + spec.keyword)
            heading = spec.keyword
        shown = f"\nExample (from `specs/`):\n\n```jql\n{example}\n```\n" if example else ""
        out.append(f"### {heading}\n\n{spec.doc}\n\n{construct_table(spec)}\n{shown}")
    return "\n".join(out).rstrip() + "\n"


def diagnostics_table() -> str:
    rows = ["| code | name | default | meaning |", "|---|---|---|---|"]
    for code in all_codes():
        rows.append(f"| `{code.code}` | `{code.name}` | {code.severity.value} | {code.summary} |")
    return "\n".join(rows) + "\n"


def diagnostics_help() -> str:
    """One heading per code (its anchor is the SARIF helpUri's), what it means and what to do."""
    from ..diagnostics.rule_help import help_text

    out = []
    for code in all_codes():
        out.append(f"### {code.code} {code.name}\n\n{code.severity.value}: {code.summary} "
                   f"{help_text(code.code) or ''}".rstrip() + "\n")
    return "\n".join(out)


def moved_modules_table() -> str:
    from .. import MOVED

    rows = ["| old import | new import |", "|---|---|"]
    for old, new in sorted(MOVED.items()):
        rows.append(f"| `journeyql.{old}` | `journeyql.{new}` |")
    return "\n".join(rows) + "\n"


GENERATED = {
    "docs/language.md": {"constructs": language_reference},
    "docs/diagnostics.md": {"codes": diagnostics_table, "help": diagnostics_help},
    "docs/plugins.md": {"moved-modules": moved_modules_table},
}


def render_into(text: str, sections: dict) -> str:
    for name, make in sections.items():
        pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"marker <!-- generated:{name} --> missing")
        text = pattern.sub(lambda m: m.group(1) + make() + m.group(2), text)
    return text


def main(root: str = ".") -> int:
    for relative, sections in GENERATED.items():
        path = Path(root) / relative
        old = path.read_text(encoding="utf-8")
        new = render_into(old, sections)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"updated {relative}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(*sys.argv[1:]))


__all__ = ["TOP_LEVEL", "language_reference", "diagnostics_table", "render_into", "main"]
