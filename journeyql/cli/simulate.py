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
    parser.add_argument("--waves", type=int, default=1, metavar="N",
                        help="simulate N waves, one file each: {wave} in -o is the wave's number (default: 1)")
    parser.add_argument("--drift", action="append", default=[], metavar="NAME=SHIFT",
                        help="per wave, shift a touchpoint's (or step's) true valence further, e.g. "
                             "eindnota=+0.8 (repeatable)")
    parser.add_argument("--measurement", action="append", default=[], metavar="ID",
                        help="simulate only this measurement plan (repeatable; default: all)")


def run(args) -> int:
    from pathlib import Path

    from ..diagnostics import WAVE_DATA_MISSING, Severity
    from ..measure.simulate import SimulationError, simulate, write
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover([args.paths] if args.paths else []) if w.sources or w.diagnostics]
    except UsageError as error:
        return common.usage_error(str(error))
    if len(workspaces) != 1:
        return common.usage_error(f"simulate-responses takes one workspace; {args.paths or '.'} holds {len(workspaces)}")
    effects, drift = {}, {}
    for option, texts, found in (("--effect", args.effect, effects), ("--drift", args.drift, drift)):
        for text in texts:
            name, _, shift = text.partition("=")
            try:
                found[name.strip()] = float(shift)
            except ValueError:
                return common.usage_error(f"{option} {text}: write NAME=SHIFT, e.g. eindnota=+1.5")
    if args.waves < 1:
        return common.usage_error("--waves must be at least 1")
    if args.waves == 1 and drift:
        return common.usage_error("--drift needs --waves 2 or more: it is a change from one wave to the next")
    ws = workspaces[0]
    analysis = analyse(ws, (), validate=None)
    # a wave's missing response file is what this command is about to write, not a reason to refuse
    if analysis.workspace is None or any(d.severity is Severity.ERROR and d.code != WAVE_DATA_MISSING.code
                                         for d in analysis.diagnostics):
        common.say(f"not simulated: {ws.root.name} has errors (run `journeyql check`)")
        return common.EXIT_FINDINGS
    fmt = args.format or ("parquet" if args.output.lower().endswith(".parquet") else "csv")
    for wave in range(1, args.waves + 1):
        output = wave_output(args.output, wave, args.waves)
        try:
            rows = list(simulate(analysis.workspace, respondents=args.respondents, seed=args.seed, effects=effects,
                                 measurements=tuple(args.measurement), wave=wave, drift=drift))
            count = write(rows, Path(output), fmt)
        except SimulationError as error:
            return common.usage_error(str(error))
        except OSError as error:
            return common.usage_error(f"cannot write {output}: {error.strerror or error}")
        common.say(f"wrote {count} responses to {output}")
    return common.EXIT_CLEAN


def wave_output(output: str, wave: int, waves: int) -> str:
    """The file of one wave: `{wave}` in the name is its number; without it, `-2` before the suffix
    (only when there are several waves: one wave writes exactly the name given)."""
    if "{wave}" in output:
        return output.replace("{wave}", str(wave))
    if waves == 1:
        return output
    from pathlib import Path

    path = Path(output)
    return str(path.with_name(f"{path.stem}-{wave}{path.suffix}"))
