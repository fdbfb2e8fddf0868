"""Suggestions merged into one plan row per touchpoint and cause.

The spec and the data often point at the same place several times: a critical moment of truth
at a touchpoint that is also a strong NPS driver, two fail points of one step, a fail point and
a long wait at the same form. A board wants one row for each thing to do, not one per finding, so
findings are grouped by

- the touchpoints they are about (a step-level finding is about all of its step's touchpoints), and
- the cause, which says what to do there: the experience goes wrong (moments of truth, fail points,
  waits, measured gaps, NPS drivers: *improve* it) or nobody owns it (*name an owner*, a cheap and
  different job, kept apart so its small effort does not hide the work of improving).

A merged row is scored from its strongest finding (impact), the surest evidence (confidence: data
beats the spec's defaults) and the largest effort; docs/plan.md works an example through.
"""

from __future__ import annotations

from dataclasses import dataclass

from .suggest import Suggestion

#: the cause of each source: what the organisation has to do about it
CAUSES = {"no_owner": "owner", "benchmark": "learn"}
IMPROVE = "improve"


def cause_of(source: str) -> str:
    return CAUSES.get(source, IMPROVE)


@dataclass(frozen=True)
class Proposal:
    """One suggested row of the plan: the findings about the same touchpoints with the same cause."""

    journey: str
    cause: str                                #: improve | owner | learn-<organisation>
    subject: str                              #: the step or touchpoint the title names
    where: tuple[str, ...]                    #: the touchpoints (or the step without any): the group's key
    touchpoints: tuple[str, ...]
    owner: str | None
    findings: tuple[Suggestion, ...]          #: in the order found (the spec's order, then the data)

    @property
    def id(self) -> str:
        return f"suggest-{self.cause}-{'+'.join(self.where)}"

    @property
    def sources(self) -> tuple[str, ...]:
        """Each source once, in the order found."""
        return tuple(dict.fromkeys(f.source for f in self.findings))


def merge(found: list[Suggestion]) -> list[Proposal]:
    groups: dict[tuple, list[Suggestion]] = {}
    for suggestion in found:
        # a step without touchpoints has nothing to group by but itself
        where = suggestion.touchpoints or (suggestion.subject,)
        cause = cause_of(suggestion.source)
        if suggestion.source == "benchmark":  # one organisation's lesson: never merged with another's
            cause = f"{cause}-{suggestion.figures['organisation']}"
        groups.setdefault((suggestion.journey, cause, where), []).append(suggestion)
    proposals = []
    for (journey, cause, where), findings in groups.items():
        subjects = {f.subject for f in findings}
        # the findings' own subject when they share it (the step of two fail points), else the touchpoint
        subject = subjects.pop() if len(subjects) == 1 else where[0] if len(where) == 1 else findings[0].subject
        owners = {f.owner for f in findings if f.owner}
        proposals.append(Proposal(journey, cause, subject, where, findings[0].touchpoints,
                                  owners.pop() if len(owners) == 1 else None, tuple(findings)))
    return proposals
