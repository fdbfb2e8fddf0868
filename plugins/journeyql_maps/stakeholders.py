"""The `stakeholder-map` renderer: every party and what flows between them, customers at the centre.

Drawn with graphviz's layered ``dot`` layout from left to right, in three columns:
internal departments (grouped per organisation, with the organisation itself),
then the customers (customer stakeholders and personas), then external parties.
Invisible edges fix that order, and a relation that runs against it (a customer
towards a department) is laid out in column order and drawn with its arrowhead
reversed, so a map reads the same however the relations run. ``dot``
was chosen over ``circo`` because it gives the same readable picture with both the
system and the WebAssembly graphviz, and keeps long edge labels apart.
"""

from __future__ import annotations

import heapq

import graphviz

from journeyql.graphviz import node_id, text_label

from .graphs import locale_variants, write_graph
from .texts import label, translated
from .words import words_for
from .wrapping import wrap_lines

WRAP = 30
CUSTOMER_FILL = "#d1e5f0"
INTERNAL_FILL = "#f7f7f7"
EXTERNAL_FILL = "#fddbc7"


def render(workspace, context) -> None:
    options = context.options
    for locale, suffix in locale_variants(context):
        words = words_for(locale)
        # the whole map and every organisation's map share their parties' nodes and relations' edges
        parts = Parts(workspace, locale, words)
        write_graph(context, f"stakeholder-map/stakeholders{suffix}", stakeholder_graph(workspace, locale, words,
                                                                                      parts=parts),
                    svg=options.svg)
        if len(workspace.organisations) > 1:
            for organisation in workspace.organisations:
                write_graph(context, f"stakeholder-map/{organisation.id}{suffix}",
                            stakeholder_graph(workspace, locale, words, organisation=organisation.id, parts=parts),
                            svg=options.svg)


def _lines(*texts) -> list[str]:
    out: list[str] = []
    for text in texts:
        if text:
            out.extend(wrap_lines(text, WRAP))
    return out or [""]


class Parts:
    """What every map of one workspace in one locale shares, made once.

    One map per organisation, each filtering every stakeholder and relation and drawing each
    party again, made the renderer quadratic in the workspace's size: here the stakeholders,
    journeys and relations are sorted out by organisation in one pass each, and each node and
    edge is written as its DOT line once (the same line in every map that shows it).
    """

    def __init__(self, workspace, locale: str, words: dict):
        self.workspace, self.locale, self.words = workspace, locale, words
        self._scratch = graphviz.Digraph()
        self._lines: dict[tuple, str] = {}
        self.organisations = {o.id: o for o in workspace.organisations}
        organisations = set(self.organisations)
        self.stakeholders: dict[str | None, list[tuple[int, object]]] = {}
        for position, stakeholder in enumerate(workspace.stakeholders):
            self.stakeholders.setdefault(stakeholder.organisation, []).append((position, stakeholder))
        self.personas_of: dict[str, set[str]] = {}
        for journey in workspace.journeys:
            self.personas_of.setdefault(journey.organisation, set()).update(journey.personas)
        self.persona_position = {p.id: n for n, p in enumerate(workspace.personas)}
        # a relation belongs on an organisation's map unless one of its ends is another organisation or
        # belongs to one: grouped by the organisations its ends belong to
        self.relations: dict[tuple[str, ...], list[tuple[int, object]]] = {}
        for position, relation in enumerate(workspace.relations):
            owners = {_owner(workspace, key, organisations) for key in (relation.source, relation.target)}
            owners.discard(None)
            self.relations.setdefault(tuple(sorted(owners)), []).append((position, relation))

    def stakeholders_of(self, organisation: str | None) -> list:
        """Every stakeholder, or those of ``organisation`` and of nobody, in spec order."""
        if organisation is None:
            return list(self.workspace.stakeholders)
        return _in_order(self.stakeholders.get(None, ()), self.stakeholders.get(organisation, ()))

    def relations_of(self, organisation: str | None) -> list:
        if organisation is None:
            return list(self.workspace.relations)
        return _in_order(self.relations.get((), ()), self.relations.get((organisation,), ()))

    def personas(self, organisation: str | None) -> list:
        """All personas, or those of the organisation's journeys (all of them when it has no journeys)."""
        wanted = self.personas_of.get(organisation) if organisation is not None else None
        if not wanted:
            return list(self.workspace.personas)
        positions = sorted(self.persona_position[p] for p in wanted if p in self.persona_position)
        return [self.workspace.personas[n] for n in positions]

    def node(self, key: str, role: str, lines, **look) -> str:
        """The DOT line of the node ``key`` drawn as ``role``; ``lines`` makes its label's lines."""
        memo = ("node", key, role)
        if memo not in self._lines:
            self._scratch.node(node_id(key), label=text_label(lines()), **look)
            self._lines[memo] = self._scratch.body.pop()
        return self._lines[memo]

    def edge(self, memo, tail: str, head: str, label=None, **attrs) -> str:
        """The DOT line of an edge; ``label`` (a function, called once) makes its label's lines."""
        if memo not in self._lines:
            if label is not None:
                attrs["label"] = text_label(label())
            self._scratch.edge(tail, head, **attrs)
            self._lines[memo] = self._scratch.body.pop()
        return self._lines[memo]


def _owner(workspace, key: str, organisations: set[str]) -> str | None:
    """The organisation a relation's end is or belongs to (None: no one's)."""
    if key in organisations:
        return key
    found = workspace.get(key)
    return getattr(found, "organisation", None) if found is not None else None


def _in_order(*groups) -> list:
    return [item for _, item in heapq.merge(*groups, key=lambda pair: pair[0])]


def stakeholder_graph(workspace, locale, words, *, organisation: str | None = None,
                      parts: Parts | None = None) -> graphviz.Digraph:
    """The graph of the stakeholder map (of one organisation's side when ``organisation`` is given)."""
    parts = parts or Parts(workspace, locale, words)
    stakeholders = parts.stakeholders_of(organisation)
    customers = [s for s in stakeholders if s.kind == "customer"]
    internal = [s for s in stakeholders if s.kind == "internal"]
    external = [s for s in stakeholders if s.kind == "external"]
    organisations = list(workspace.organisations) if organisation is None else \
        [parts.organisations[organisation]] if organisation in parts.organisations else []
    personas = parts.personas(organisation)

    title = words["stakeholders"]
    if organisation is not None:
        title += f": {label(workspace.get(organisation), locale)}"
    graph = graphviz.Digraph(
        "stakeholders",
        graph_attr={"charset": "UTF-8", "label": text_label(title), "labelloc": "t", "fontname": "Helvetica-Bold",
                    "fontsize": "16", "rankdir": "LR", "nodesep": "0.3", "ranksep": "1.6", "newrank": "true"},
        node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica", "fontsize": "10",
                   "fillcolor": "#ffffff"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#555555"})
    placed: set[str] = set()

    def node(into, key: str, role: str, lines, **look) -> None:
        placed.add(key)
        into.body.append(parts.node(key, role, lines, **look))

    def party(stakeholder):
        return lambda: _lines(label(stakeholder, locale), translated(stakeholder, "role", locale))

    # internal departments, one cluster per organisation
    with graph.subgraph(name="cluster_internal") as column:
        column.attr("graph", label=text_label(words["internal"]), style="rounded", color="#888888")
        departments: dict[str, list] = {}
        for stakeholder in internal:
            departments.setdefault(stakeholder.organisation, []).append(stakeholder)
        for org in organisations:
            with column.subgraph(name=node_id("cluster_org_" + org.id)) as cluster:
                cluster.attr("graph", label=text_label(label(org, locale)), style="rounded,filled",
                             fillcolor="#fafafa", color="#aaaaaa")
                node(cluster, org.id, "organisation",
                     lambda org=org: _lines(label(org, locale), f"({words['organisation']})"), shape="box3d",
                     style="filled", fillcolor=INTERNAL_FILL)
                for stakeholder in departments.get(org.id, ()):
                    node(cluster, stakeholder.id, "internal", party(stakeholder), fillcolor=INTERNAL_FILL)
        for stakeholder in internal:
            if stakeholder.id not in placed:
                node(column, stakeholder.id, "internal", party(stakeholder), fillcolor=INTERNAL_FILL)

    # the customers at the centre
    with graph.subgraph(name="cluster_customers") as column:
        column.attr("graph", label=text_label(words["customers"]), style="rounded,filled", fillcolor="#f0f6fa",
                    color="#2166ac")
        for stakeholder in customers:
            node(column, stakeholder.id, "customer", party(stakeholder),
                 shape="ellipse", style="filled", fillcolor=CUSTOMER_FILL, penwidth="2")
        for persona in personas:
            node(column, persona.id, "persona",
                 lambda persona=persona: _lines(label(persona, locale), f"({words['persona']})"), shape="ellipse",
                 style="filled,dashed", fillcolor=CUSTOMER_FILL)
        if not customers and not personas:
            node(column, "_customers", "none", lambda: [words["customers"]], shape="ellipse", style="dashed")

    # external parties outside
    with graph.subgraph(name="cluster_external") as column:
        column.attr("graph", label=text_label(words["external"]), style="rounded", color="#b2182b")
        for stakeholder in external:
            node(column, stakeholder.id, "external", party(stakeholder), fillcolor=EXTERNAL_FILL)

    relations = parts.relations_of(organisation)
    # ends of relations that are none of the above (a channel, a persona of another organisation)
    for relation in relations:
        for key in (relation.source, relation.target):
            if key not in placed:
                found = workspace.get(key)
                node(graph, key, "other", lambda found=found, key=key: _lines(label(found, locale)
                                                                              if found is not None else key))

    _column_order(graph, parts, internal, organisations, customers, personas, external)
    column_of = {**{i.id: 0 for i in (*organisations, *internal)}, **{e.id: 2 for e in external}}
    for relation in relations:
        source, target = relation.source, relation.target
        text = (lambda relation=relation: _relation_lines(relation, locale, words))
        if column_of.get(source, 1) > column_of.get(target, 1):
            # drawn against the column order, so graphviz keeps internal | customers | external and
            # gives the label its own room; dir=back puts the arrowhead where the relation points
            graph.body.append(parts.edge(("back", id(relation)), node_id(target), node_id(source), text, dir="back"))
        else:
            graph.body.append(parts.edge(("on", id(relation)), node_id(source), node_id(target), text))
    return graph


def _column_order(graph, parts: Parts, internal, organisations, customers, personas, external) -> None:
    """Invisible edges that put internal | customers | external in that order, left to right."""
    centre = node_id(customers[0].id if customers else personas[0].id if personas else "_customers")
    for item in (*organisations, *internal):
        tail = node_id(item.id)
        graph.body.append(parts.edge(("to", tail, centre), tail, centre, style="invis", weight="2"))
    # every customer and persona in the centre column, also those without relations
    left = (*organisations, *internal)
    for item in (*customers, *personas):
        if left and node_id(item.id) != centre:
            tail, head = node_id(left[0].id), node_id(item.id)
            graph.body.append(parts.edge(("in", tail, head), tail, head, style="invis"))
    for item in external:
        head = node_id(item.id)
        graph.body.append(parts.edge(("from", centre, head), centre, head, style="invis", weight="2"))


def _relation_lines(relation, locale, words) -> list[str]:
    """The relation's label, then what flows: ``geld, informatie: twijfel over overstappen``."""
    lines = wrap_lines(translated(relation, "label", locale), WRAP) if relation.label else []
    kinds = [words.get(flow.kind, flow.kind) for flow in relation.flows]
    texts = [flow.text for flow in relation.flows if flow.text]
    if kinds:
        flows = "[" + ", ".join(dict.fromkeys(kinds)) + "]"
        lines.extend(wrap_lines(flows + (": " + "; ".join(texts) if texts else ""), WRAP))
    return lines or [""]
