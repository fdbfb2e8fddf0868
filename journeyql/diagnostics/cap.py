"""At most so many findings of one code in one file; the rest counted, not kept.

A 50 MB spec of duplicate definitions made 1.4 million findings (10.7 GB, two minutes). Nobody reads
past the first screens of one kind of finding in one file, so the binder and the resolver keep the
first :data:`EARLY_LIMIT` of each code per file while they work (memory stays bounded), and
``analyse`` lists the first :data:`LIMIT` after sorting, severities and suppressions, then one more
finding per capped group saying how many were left out. That finding has the group's code and
severity, so the verdict (and `--strict`, and `[rules]` settings) treat the left-out findings as
the ones shown: capping never turns a failing check green.
"""

from __future__ import annotations

from .record import Diagnostic

#: Findings of one code in one file that ``check`` lists.
LIMIT = 100
#: Findings of one code in one file the binder and resolver keep while they work (settings and
#: suppressions, applied later, may still remove some of the first ones).
EARLY_LIMIT = 1000


class CappedFindings(list):
    """A list of diagnostics that keeps the first ``limit`` per (code, file) and counts the others."""

    def __init__(self, limit: int = EARLY_LIMIT):
        super().__init__()
        self.limit = limit
        self.kept: dict[tuple[str, str], int] = {}
        #: (code, file) -> [the first finding left out, how many were left out]
        self.left_out: dict[tuple[str, str], list] = {}

    def append(self, diagnostic: Diagnostic) -> None:
        key = (diagnostic.code, diagnostic.span.path)
        shown = self.kept.get(key, 0)
        if shown < self.limit:
            self.kept[key] = shown + 1
            super().append(diagnostic)
            return
        entry = self.left_out.get(key)
        if entry is None:
            self.left_out[key] = [diagnostic, 1]
        else:
            entry[1] += 1

    def extend(self, diagnostics) -> None:
        for diagnostic in diagnostics:
            self.append(diagnostic)


def cap(diagnostics: list[Diagnostic], left_out: dict | None = None, limit: int = LIMIT) -> list[Diagnostic]:
    """The first ``limit`` of each code per file (in the order given) and, per group with more, one
    finding saying how many more there are, counting ``left_out`` ((code, file) -> [first, count])
    that was never kept."""
    out = CappedFindings(limit)
    out.extend(diagnostics)
    for key, (first, count) in (left_out or {}).items():
        entry = out.left_out.get(key)
        if entry is None:
            out.left_out[key] = [first, count]
        else:
            entry[1] += count
    notes = []
    for first, count in (out.left_out[key] for key in sorted(out.left_out)):
        notes.append(Diagnostic(first.code, first.name, first.severity,
                                f"{count:,} more `{first.name}` finding{'s' if count != 1 else ''} in this file "
                                f"{'are' if count != 1 else 'is'} not listed (at most {limit} per code and file)",
                                first.span, hint="fix the ones listed and check again"))
    return list(out) + notes


def merged_left_out(*lists: CappedFindings) -> dict:
    """What several capped lists left out, by (code, file)."""
    merged: dict = {}
    for findings in lists:
        for key, (first, count) in getattr(findings, "left_out", {}).items():
            entry = merged.setdefault(key, [first, 0])
            entry[1] += count
    return merged
