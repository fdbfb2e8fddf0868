"""`journeyql schema`: the JSON Schema of the resolved workspace model."""

from __future__ import annotations

import sys

from . import common

HELP = "print the JSON Schema of the model"
DESCRIPTION = "Print the JSON Schema of the resolved workspace model."


def add_arguments(parser) -> None:
    parser.add_argument("--indent", type=int, default=2, help="indentation (default: 2)")


def run(args) -> int:
    import json

    from ..language.model import Workspace

    schema = Workspace.model_json_schema()
    sys.stdout.write(json.dumps(schema, indent=args.indent, sort_keys=True, ensure_ascii=False) + "\n")
    return common.EXIT_CLEAN
