"""The business case of an improvement, from the customer experience model.

A chain starts at a service element acting at one of the improvement's
touchpoints and follows the model's links: element -> emotion -> behaviour
-> business impact. A link is one segment with one rate (the share of
customers in whom its first node leads to its last); a chain continues with a
link that starts where the previous one ends. When a chain stops at a
behaviour, the behaviour's unit value is taken from any link of the model that
leads that behaviour to an impact (a model often says once what a call costs).

    per customer = product of the rates x amount per unit
    per year     = journey volume x reach of the chain x per customer

A chain is counted once per journey, however many of the journey's touchpoints
its element acts at: the same customers, the same behaviour. Its reach is that
of the union of those touchpoints; without data on who meets several of them,
the union's lower bound, its most-met touchpoint (nobody is counted twice).
Totals over several improvements (``combined_per_year``) count a chain they
share once, at its largest figure (its widest reach when the rates agree).

A rate is *measured* when the results give the share of respondents at the
touchpoint stating the behaviour as an intention (that share then stands for
the whole path up to the behaviour), *declared* when the link states one, and
*assumed* 100% otherwise (an upper bound). A figure is an estimate unless all
of its rates are measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.language.model import Behaviour, CausalLink, CxModel, Impact, ServiceElement, Workspace

from .priority import Reach
from .scope import touchpoint_reach

#: Guards against a pathological model (the core rule JQL307 reports cycles; we never loop).
MAX_CHAINS_PER_ELEMENT = 50


@dataclass(frozen=True)
class Rate:
    segment: tuple[str, ...]
    value: float        #: 0..1
    origin: str         #: measured | declared | assumed


@dataclass(frozen=True)
class Chain:
    element: str
    touchpoint: str                     #: the most-met of ``touchpoints``: its reach stands for the chain
    path: tuple[str, ...]
    rates: tuple[Rate, ...]
    impact: str | None
    amount: float | None
    currency: str | None
    per: str | None
    unit_link: tuple[str, ...] | None   #: the link the unit value was borrowed from, when it was
    reach: Reach
    rate: float                         #: the product of the rates (0..1)
    touchpoints: tuple[str, ...] = ()   #: every touchpoint of the journey where the element acts (sorted)

    @property
    def identity(self) -> tuple:
        """The same customers and behaviour: one element, one path, one journey."""
        return (self.element, self.path, self.touchpoint.split(".", 1)[0])

    @property
    def per_customer(self) -> float | None:
        return self.rate * self.amount if self.amount is not None else None

    @property
    def per_year(self) -> float | None:
        value = self.per_customer
        return value * self.reach.customers if value is not None and self.reach.customers is not None else None

    @property
    def estimate(self) -> bool:
        """Not from data: a measured rate covers the path up to it, so only the rates after the last one count."""
        measured = [i for i, r in enumerate(self.rates) if r.origin == "measured"]
        if not measured:
            return True
        return any(r.origin != "measured" for r in self.rates[measured[-1] + 1:])


@dataclass(frozen=True)
class BusinessCase:
    chains: tuple[Chain, ...]

    def _sum(self, attribute: str) -> dict[str, float]:
        totals: dict[str, float] = {}
        for chain in self.chains:
            value = getattr(chain, attribute)
            if value is not None:
                totals[chain.currency] = totals.get(chain.currency, 0.0) + value
        return dict(sorted(totals.items()))

    @property
    def per_year(self) -> dict[str, float]:
        """Totals per currency of the chains whose journey states a volume."""
        return self._sum("per_year")

    @property
    def per_customer(self) -> dict[str, float]:
        """Totals per currency for chains without a volume: per customer who meets the touchpoint."""
        totals: dict[str, float] = {}
        for chain in self.chains:
            if chain.per_year is None and chain.per_customer is not None:
                totals[chain.currency] = totals.get(chain.currency, 0.0) + chain.per_customer
        return dict(sorted(totals.items()))

    @property
    def estimate(self) -> bool:
        return any(c.estimate for c in self.chains if c.amount is not None)

    @property
    def has_money(self) -> bool:
        return any(c.amount is not None for c in self.chains)


def business_case(workspace: Workspace, touchpoints, changed, results=None) -> BusinessCase:
    """The chains of the service elements an improvement changes.

    An improvement that names service elements turns those knobs, wherever they act; one that names
    only touchpoints (or steps, channels) changes every element acting at them.
    """
    wanted, changed = set(touchpoints), set(changed)
    by_id, by_place = _elements(workspace)
    named = {e for e in changed if e in by_id}
    # only the elements named, or acting where the improvement changes something: looked up, not
    # searched for in every model (a plan has an item per improvement and one model per organisation)
    if named:
        candidates = [pair for e in named for pair in by_id[e]]
    else:
        candidates = [pair for t in wanted for pair in by_place.get(t, ())]
    chains: list[Chain] = []
    unique = {(model.id, element.id): (model, element) for model, element in candidates}
    for _key, (model, element) in sorted(unique.items(), key=lambda kv: kv[0]):
        if named:
            places = sorted(element.at) if element.id in named else []
        else:
            places = sorted(set(element.at) & wanted)
        if not places:
            continue
        by_journey: dict[str, list[str]] = {}
        for touchpoint in places:
            journey = workspace.journey_of(touchpoint)
            by_journey.setdefault(journey.id if journey else touchpoint, []).append(touchpoint)
        for sequence in _link_sequences(model, element):
            for journey in sorted(by_journey):
                chains.append(_chain(workspace, model, element, sequence, by_journey[journey], results))
    return BusinessCase(tuple(chains))


_INDEX: list = []  # [(workspace, index)]: the last workspace's, built once per plan


def _elements(workspace: Workspace):
    """({element id: [(model, element)]}, {touchpoint: [(model, element)]}) of every CX model."""
    if _INDEX and _INDEX[0][0] is workspace:
        return _INDEX[0][1]
    by_id: dict[str, list] = {}
    by_place: dict[str, list] = {}
    for model in workspace.models:
        for element in model.elements:
            by_id.setdefault(element.id, []).append((model, element))
            for place in set(element.at):
                by_place.setdefault(place, []).append((model, element))
    _INDEX[:] = [(workspace, (by_id, by_place))]
    return by_id, by_place


def combined_per_year(cases) -> dict[str, float]:
    """Totals per currency over several business cases; a chain they share counts once (its largest figure).

    Improvements on the same element count the same customers and the same behaviour: adding their
    figures would count them twice.
    """
    widest: dict[tuple, Chain] = {}
    for case in cases:
        for chain in case.chains:
            if chain.per_year is None:
                continue
            found = widest.get(chain.identity)
            if found is None or chain.per_year > found.per_year:
                widest[chain.identity] = chain
    totals: dict[str, float] = {}
    for identity in sorted(widest):
        chain = widest[identity]
        totals[chain.currency] = totals.get(chain.currency, 0.0) + chain.per_year
    return dict(sorted(totals.items()))


def _union_reach(workspace, touchpoints) -> tuple[str, Reach]:
    """The most-met touchpoint and its reach: the lower bound of the union's (everyone counted once)."""
    key = max(sorted(touchpoints), key=lambda k: touchpoint_reach(workspace, k).share)  # ties: first A-Z
    return key, touchpoint_reach(workspace, key)


def _link_sequences(model: CxModel, element: ServiceElement) -> list[tuple[CausalLink, ...]]:
    """Every maximal run of links from the element, each link starting where the previous one ends."""
    found: list[tuple[CausalLink, ...]] = []

    def walk(node: str, sequence: tuple[CausalLink, ...], seen: frozenset[str]) -> None:
        following = [link for link in model.links if link.path and link.path[0] == node
                     and not any(n in seen for n in link.path[1:])]
        if not following:
            if sequence:
                found.append(sequence)
            return
        for link in following:
            if len(found) >= MAX_CHAINS_PER_ELEMENT:
                return
            walk(link.path[-1], sequence + (link,), seen | set(link.path))

    walk(element.id, (), frozenset({element.id}))
    return found


def _chain(workspace, model, element, sequence, places, results) -> Chain:
    touchpoint, reach = _union_reach(workspace, places)
    # the measured intents of the touchpoint whose reach stands for the chain, else of the first that has them
    intents: dict = {}
    for key in [touchpoint, *sorted(set(places) - {touchpoint})]:
        measured = results.touchpoint(key) if results is not None else None
        if measured is not None and measured.intents:
            intents = measured.intents
            break
    path = [element.id]
    rates: list[Rate] = []
    product = 1.0
    for link in sequence:
        path.extend(link.path[1:])
        behaviours = [n for n in link.path[1:] if isinstance(workspace.get(n), Behaviour) and n in intents]
        if behaviours:
            # the measured share of respondents intending the behaviour covers the whole path up to it
            product = float(intents[behaviours[-1]])
            rates.append(Rate(tuple(link.path), product, "measured"))
        elif link.rate is not None:
            product *= link.rate / 100.0
            rates.append(Rate(tuple(link.path), link.rate / 100.0, "declared"))
        else:
            rates.append(Rate(tuple(link.path), 1.0, "assumed"))
    unit_link = None
    last = workspace.get(path[-1])
    if isinstance(last, Behaviour):
        for link in model.links:
            pairs = list(zip(link.path, link.path[1:]))
            hit = next((b for a, b in pairs if a == last.id and isinstance(workspace.get(b), Impact)), None)
            if hit is not None:
                path.append(hit)
                unit_link = tuple(link.path)
                last = workspace.get(hit)
                break
    impact = last if isinstance(last, Impact) else None
    amount = impact.amount if impact is not None else None
    return Chain(element.id, touchpoint, tuple(path), tuple(rates), impact.id if impact else None,
                 amount.amount if amount else None, amount.currency if amount else None,
                 impact.per if impact else None, unit_link, reach, product, tuple(sorted(places)))
