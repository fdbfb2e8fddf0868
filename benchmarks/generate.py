"""Generate large, valid, realistic JourneyQL workspaces (and the same model as YAML).

    python benchmarks/generate.py --size 1MB -o /tmp/big.jql

The shape follows the example specs: organisations with stakeholders and channels, personas,
journeys of 4 stages x 3 steps with touchpoints, backstage actions, waits, fail points, moments
of truth and per-persona views, a measurement plan per journey sampling every moment of truth, a
customer experience model and improvements. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sys

NEEDS = [
    "Ik wil in één keer alles doorgeven zonder te hoeven bellen",
    "I want to know where my application stands without calling",
    "I need a confirmation I can keep",
    "I want a time window of two hours, not a whole day",
    "Ik wil begrijpen waarom ik moet bijbetalen",
    "I want someone who knows my file",
]
ACTIONS = [
    "Fills in the online form with the old and new address",
    "Calls customer service to check the status",
    "Reads the letter and tries to understand the amounts",
    "Uploads payslips and the employer statement",
    "Waits at home for the technician",
]
TEXT = ("The customer wants a clear answer quickly, expects the organisation to remember what was said "
        "before, and gets irritated when asked for the same information twice.")


def _label(rng: random.Random, base: str) -> str:
    return f"{base} {rng.randint(1, 999)}"


def workspace(target_bytes: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    org = 0
    while size < target_bytes:
        o = f"org{org}"
        chunk = [f'organisation {o} "Organisation {org}" {{\n  sector energy\n  locale en\n}}\n',
                 f'stakeholder {o}_customer "Customer" {{\n  kind customer\n}}\n']
        depts = [f"{o}_{d}" for d in ("service", "billing", "online", "field")]
        for d in depts:
            chunk.append(f'stakeholder {d} "{d.split("_")[-1].title()} department" {{\n  kind internal\n'
                         f'  organisation {o}\n  role "{TEXT[:60]}"\n}}\n')
            chunk.append(f'relation {o}_customer -> {d} "asks for help" {{\n  flows information, trust\n}}\n')
        channels = [f"{o}_{c}" for c in ("web", "phone", "mail", "app")]
        kinds = {"web": "web", "phone": "phone", "mail": "email", "app": "app"}
        for c in channels:
            chunk.append(f'channel {c} "{c.split("_")[-1].title()}" {{\n  kind {kinds[c.split("_")[-1]]}\n}}\n')
        personas = [f"{o}_p{i}" for i in range(2)]
        for p in personas:
            chunk.append(f'persona {p} "{_label(rng, "Persona")}" {{\n  segment "Households moving house"\n'
                         f'  context """\n    {TEXT}\n    {TEXT}\n  """\n  goal "{rng.choice(NEEDS)}"\n'
                         f'  need "{rng.choice(NEEDS)}"\n  prefers {channels[0]}, {channels[1]}\n  share 40%\n}}\n')
        moments = []
        for j in range(3):
            jid = f"{o}_j{j}"
            lines = [f'journey {jid} "{_label(rng, "Journey")}" {{', f"  organisation {o}",
                     f"  personas {', '.join(personas)}", f'  goal "{rng.choice(NEEDS)}"', "  volume 50000"]
            for s in range(4):
                lines.append(f'  stage s{s} "{_label(rng, "Stage")}" {{')
                for k in range(3):
                    tp = f"tp{s}_{k}"
                    moment = rng.random() < 0.3
                    if moment:
                        moments.append((jid, tp))
                    lines += [
                        f'    step st{s}_{k} "{_label(rng, "Step")}" {{',
                        f'      action "{rng.choice(ACTIONS)}"',
                        f'      need "{rng.choice(NEEDS)}"',
                        f'      expectation "{TEXT[:70]}"',
                        f'      touchpoint {tp} "{_label(rng, "Touchpoint")}" {{',
                        f"        channel {rng.choice(channels)}",
                        f"        owner {rng.choice(depts)}",
                        *([f'        moment negative, "{TEXT[:50]}"'] if moment else []),
                        "        reach 60%",
                        "      }",
                        f'      backstage "{rng.choice(ACTIONS)}" {{',
                        f"        owner {rng.choice(depts)}",
                        '        system "CRM"',
                        "      }",
                        f'      wait {rng.randint(1, 9)}d, "for a confirmation"',
                        f'      fail "{TEXT[:40]}"',
                        f"      expected {rng.randint(-3, 1)}, dissatisfaction",
                        f"      target {rng.randint(1, 3)}, satisfaction",
                        f"      for {personas[1]} {{",
                        f"        expected {rng.randint(-3, 0)}, fear",
                        f'        note "{TEXT[:60]}"',
                        "      }",
                        "    }",
                    ]
                lines.append("  }")
            lines.append("}")
            chunk.append("\n".join(lines) + "\n")
            sampled = [tp for jj, tp in moments if jj == jid] or ["tp0_0"]
            chunk.append(f'measurement {jid}_m "Measurement" {{\n  journey {jid}\n  valence -3..3\n  emotions premo\n'
                         f'  nps "How likely are you to recommend us?"\n  sample {", ".join(sampled)}\n  sample end\n'
                         f"  kpi nps >= 20\n}}\n")
        chunk.append(f'model {o}_cx "CX model" {{\n  element {o}_wait "Waiting time" {{\n    at {o}_j0.tp0_0\n  }}\n'
                     f'  emotion {o}_irritation "Irritation" {{\n    valence negative\n  }}\n'
                     f'  behaviour {o}_call "Calls again" {{}}\n'
                     f'  impact {o}_cost "Cost of a call" {{\n    amount 6.50 EUR\n    per call\n  }}\n'
                     f"  link {o}_wait -> {o}_irritation -> {o}_call -> {o}_cost {{\n    rate 30%\n  }}\n}}\n")
        chunk.append(f'improvement {o}_fix "Fix the form" {{\n  changes {o}_j0.tp0_0\n  effort 2\n  impact 4\n'
                     f"  confidence 70%\n  owner {depts[2]}\n  horizon quick_win\n}}\n")
        text = "".join(chunk)
        parts.append(text)
        size += len(text.encode("utf-8"))
        org += 1
    return "".join(parts)


def as_yaml(text: str) -> str:
    """The same model as a YAML document (what a YAML-based tool would load)."""
    import yaml

    import journeyql

    data = journeyql.parse(text, "bench.jql").model_dump(mode="json")
    return yaml.dump(data, Dumper=getattr(yaml, "CDumper", yaml.Dumper), allow_unicode=True, sort_keys=False)


def _size(text: str) -> int:
    text = text.upper()
    for unit, factor in (("MB", 1_000_000), ("KB", 1_000)):
        if text.endswith(unit):
            return int(float(text[:-2]) * factor)
    return int(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="1MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    text = workspace(_size(args.size), args.seed)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
