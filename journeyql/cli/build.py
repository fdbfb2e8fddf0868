"""`journeyql build`: run every renderer the configuration enables (the code is `render`'s)."""

from __future__ import annotations

from .render import render_workspaces, responses_argument

HELP = "render everything the configuration enables"
DESCRIPTION = "Run every renderer the configuration enables (default: all standard ones)."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    parser.add_argument("-o", "--output", metavar="DIR", help="output directory (default: [build] output, else ./site)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME.KEY=VALUE", help="a renderer option")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    responses_argument(parser)


def run(args) -> int:
    return render_workspaces(args, None, output=args.output)
