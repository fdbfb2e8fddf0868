"""Teasers of a journey several organisations share: whose material is whose.

A shared journey (``organisations a, b``) is lived through differently at each organisation: another
label, channel and owner at a touchpoint, a step one of them skips. Employees should feel *their own*
organisation's customer experience, so the material is made per organisation, from its view of the
journey (``journey.for_organisation``), in a folder of its own (``teasers/<journey>--<organisation>/``):

* a declared teaser is made for the organisations of its ``audience`` (the departments it is for); a
  teaser whose audience names no organisation's department is made for every organisation whose
  customers meet what it imitates (each organisation owns its own version of a shared touchpoint);
* proposals, the day in the life and the workshop kit are made from each organisation's view, with
  its measured results (its own respondents), its departments and the improvements its departments
  own; another organisation's departments, actions, teasers and improvements never appear.
"""

from __future__ import annotations


def stakeholder_organisations(workspace) -> dict[str, str | None]:
    """Stakeholder id -> the organisation it belongs to (None: no organisation's, e.g. a customer)."""
    return {s.id: s.organisation for s in workspace.stakeholders}


def view(workspace, journey, organisation: str):
    """``journey`` as ``organisation``'s customers and staff go through it (another's actions left out)."""
    return journey.for_organisation(organisation, stakeholder_organisations(workspace))


def teaser_organisations(workspace, journey, teaser) -> tuple[str, ...]:
    """The organisations of shared ``journey`` the declared ``teaser`` is made for (before checking that
    their customers meet what it imitates)."""
    owners = stakeholder_organisations(workspace)
    named = {owners.get(d) for d in teaser.audience} & set(journey.organisations)
    return tuple(o for o in journey.organisations if o in named) if named else tuple(journey.organisations)


def ours(workspace, organisation: str | None, stakeholder: str | None) -> bool:
    """Whether ``stakeholder`` may appear in ``organisation``'s material: its own, or nobody's."""
    if organisation is None or not stakeholder:
        return True
    return stakeholder_organisations(workspace).get(stakeholder) in (None, organisation)


class OrganisationResults:
    """The measured results as one organisation's respondents gave them (``Results.for_organisation``,
    the journeys' benchmark), asked the way :mod:`.feelings` asks: a persona's figure is not split per
    organisation, so a persona's step is the organisation's step."""

    def __init__(self, results, organisation: str):
        self._own = results.for_organisation(organisation)

    def step(self, key: str, persona: str | None = None):
        return self._own.step(key)

    def touchpoint(self, key: str):
        return self._own.touchpoint(key)
