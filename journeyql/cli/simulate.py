"""`journeyql simulate-responses`: synthetic responses that follow the spec's expected emotions."""

from __future__ import annotations

from . import common

HELP = "write synthetic responses for a spec"
DESCRIPTION = ("Simulate a measurement: canonical responses that follow the spec's "
               "expected emotions, seeded and deterministic.")


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="?", metavar="PATH", help="the workspace directory (default: .)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the response file to write")
    parser.add_argument("--respondents", type=int, default=300, metavar="N",
                        help="respondents per measurement plan (default: 300)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    parser.add_argument("--format", choices=("csv", "parquet"),
                        help="file format (default: from the file name, else csv)")
    parser.add_argument("--effect", action="append", default=[], metavar="NAME=SHIFT",
                        help="shift a touchpoint's (or step's) true valence, e.g. eindnota=+1.5 (repeatable)")
    parser.add_argument("--measurement", action="append", default=[], metavar="ID",
                        help="simulate only this measurement plan (repeatable; default: all)")


def run(args) -> int:
    from pathlib import Path

    from ..diagnostics import Severity
    from ..measure.simulate import SimulationError, simulate, write
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover([args.paths] if args.paths else []) if w.sources or w.diagnostics]
    except UsageError as error:
        return common.usage_error(str(error))
    if len(workspaces) != 1:
        return common.usage_error(f"simulate-responses takes one workspace; {args.paths or '.'} holds {len(workspaces)}")
    effects = {}
    for text in args.effect:
        name, _, shift = text.partition("=")
        try:
            effects[name.strip()] = float(shift)
        except ValueError:
            return common.usage_error(f"--effect {text}: write NAME=SHIFT, e.g. eindnota=+1.5")
    ws = workspaces[0]
    analysis = analyse(ws, (), validate=None)
    if analysis.workspace is None or any(d.severity is Severity.ERROR for d in analysis.diagnostics):
        common.say(f"not simulated: {ws.root.name} has errors (run `journeyql check`)")
        return common.EXIT_FINDINGS
    fmt = args.format or ("parquet" if args.output.lower().endswith(".parquet") else "csv")
    try:
        rows = list(simulate(analysis.workspace, respondents=args.respondents, seed=args.seed, effects=effects,
                             measurements=tuple(args.measurement)))
        count = write(rows, Path(args.output), fmt)
    except SimulationError as error:
        return common.usage_error(str(error))
    except OSError as error:
        return common.usage_error(f"cannot write {args.output}: {error.strerror or error}")
    common.say(f"wrote {count} responses to {args.output}")
    return common.EXIT_CLEAN
