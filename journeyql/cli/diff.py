"""`journeyql diff`: what changed between two versions of a workspace (the comparison is
journeyql.tools.diff; this module holds the command's arguments and output)."""

from __future__ import annotations

import sys

from . import common

HELP = "what changed between two versions of a workspace"
DESCRIPTION = ("Compare two versions of a workspace: OLD NEW (two paths), REV [PATH] (PATH, default ., at a git "
               "revision against the working tree) or REV1 REV2 [PATH]. An argument that names an existing file "
               "or directory is a path, anything else a git revision; in the three-argument form the first two "
               "are always revisions. Exit 0 when both versions load, with or without changes; 1 when a version "
               "has spec errors; 2 for usage problems.")


def add_arguments(parser) -> None:
    """Set up ``parser`` (an argparse parser) for ``journeyql diff``."""
    if not parser.description:
        parser.description = DESCRIPTION
    parser.add_argument("versions", nargs="+", metavar="VERSION",
                        help="OLD NEW (paths), or REV [PATH], or REV1 REV2 [PATH] (git revisions)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (for a pull-request comment, the default) or json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the diff to FILE instead of standard output")
    parser.add_argument("--max-length", type=int, metavar="CHARS",
                        help="cut the Markdown to at most CHARS characters (GitHub comments take 65536)")


def run(args) -> int:
    """Print the diff; 0 when both versions load, 1 on spec errors, 2 on usage errors."""
    from ..tools.diff import DiffError, VersionErrors, as_json, as_markdown, compare, plan

    try:
        old, new, shown = plan(list(args.versions))
        diff = compare(old, new, shown)
    except DiffError as error:
        return common.usage_error(str(error))
    except VersionErrors as failure:
        from ..diagnostics.views import as_concise

        for label, version, error in failure.problems:
            for diagnostic in error.diagnostics:
                print(as_concise(diagnostic), file=sys.stderr)
            print(f"journeyql: error: the {label} version ({version.name}) has errors; fix them to compare",
                  file=sys.stderr)
        return common.EXIT_FINDINGS
    if getattr(args, "format", "markdown") == "json":
        text = as_json(diff)
    else:
        text = as_markdown(diff, max_length=getattr(args, "max_length", None))
    output = getattr(args, "output", None)
    if output:
        from ..host.output import write_atomic

        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as error:
            return common.usage_error(f"cannot write {output}: {error.strerror or error}")
    else:
        sys.stdout.write(text)
    return common.EXIT_CLEAN
