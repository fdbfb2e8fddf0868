"""`journeyql plugins`: the installed plugins, their versions, renderers, rules, readers and hooks."""

from __future__ import annotations

import sys

from . import common

HELP = "list installed plugins, their renderers and hooks"
DESCRIPTION = "List installed plugins, their versions, renderers, rules and hooks."


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=("human", "json"), default="human")


def run(args) -> int:
    import json

    host = common.host()
    described = host.describe()
    if args.format == "json":
        sys.stdout.write(json.dumps(described, indent=2, ensure_ascii=False) + "\n")
    else:
        if not described:
            print("No plugins installed.")
        for entry in described:
            print(f"{entry['name']} {entry['version']}")
            if entry.get("error"):
                print(f"  error: {entry['error']}")
            for name in entry["renderers"]:
                renderer = host.renderers[name]
                print(f"  renderer {name}: {renderer.description}")
                if renderer.outputs:
                    print(f"    writes: {', '.join(renderer.outputs)}")
                fields = renderer.options.model_fields
                for field_name, info in sorted(fields.items()):
                    default = "" if info.is_required() else f" (default: {info.default!r})"
                    print(f"    option {field_name}{default}: {info.description or ''}".rstrip(": "))
            for code in entry["rules"]:
                print(f"  rule {code}")
            for name in entry["readers"]:
                print(f"  reader {name}")
            if entry["hooks"]:
                print(f"  hooks: {', '.join(entry['hooks'])}")
    for problem in host.problems:
        common.say(f"error: {problem}")
    return common.EXIT_FINDINGS if host.problems else common.EXIT_CLEAN
