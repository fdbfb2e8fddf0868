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
        write_graph(context, f"stakeholder-map/stakeholders{suffix}", stakeholder_graph(workspace, locale, words),
                    svg=options.svg)
        if len(workspace.organisations) > 1:
            for organisation in workspace.organisations:
                write_graph(context, f"stakeholder-map/{organisation.id}{suffix}",
                            stakeholder_graph(workspace, locale, words, organisation=organisation.id),
                            svg=options.svg)


def _lines(*texts) -> list[str]:
    out: list[str] = []
    for text in texts:
        if text:
            out.extend(wrap_lines(text, WRAP))
    return out or [""]


def stakeholder_graph(workspace, locale, words, *, organisation: str | None = None) -> graphviz.Digraph:
    """The graph of the stakeholder map (of one organisation's side when ``organisation`` is given)."""

    def included(item) -> bool:
        owner = getattr(item, "organisation", None)
        return organisation is None or owner is None or owner == organisation

    customers = [s for s in workspace.stakeholders if s.kind == "customer" and included(s)]
    internal = [s for s in workspace.stakeholders if s.kind == "internal" and included(s)]
    external = [s for s in workspace.stakeholders if s.kind == "external" and included(s)]
    organisations = [o for o in workspace.organisations if organisation is None or o.id == organisation]
    personas = _personas(workspace, organisation)

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

    def node(into, key: str, lines: list[str], **look) -> None:
        placed.add(key)
        into.node(node_id(key), label=text_label(lines), **look)

    # internal departments, one cluster per organisation
    with graph.subgraph(name="cluster_internal") as column:
        column.attr("graph", label=text_label(words["internal"]), style="rounded", color="#888888")
        for org in organisations:
            with column.subgraph(name=node_id("cluster_org_" + org.id)) as cluster:
                cluster.attr("graph", label=text_label(label(org, locale)), style="rounded,filled",
                             fillcolor="#fafafa", color="#aaaaaa")
                node(cluster, org.id, _lines(label(org, locale), f"({words['organisation']})"), shape="box3d",
                     style="filled", fillcolor=INTERNAL_FILL)
                for stakeholder in internal:
                    if stakeholder.organisation == org.id:
                        node(cluster, stakeholder.id, _lines(label(stakeholder, locale),
                                                             translated(stakeholder, "role", locale)),
                             fillcolor=INTERNAL_FILL)
        for stakeholder in internal:
            if stakeholder.id not in placed:
                node(column, stakeholder.id, _lines(label(stakeholder, locale),
                                                    translated(stakeholder, "role", locale)),
                     fillcolor=INTERNAL_FILL)

    # the customers at the centre
    with graph.subgraph(name="cluster_customers") as column:
        column.attr("graph", label=text_label(words["customers"]), style="rounded,filled", fillcolor="#f0f6fa",
                    color="#2166ac")
        for stakeholder in customers:
            node(column, stakeholder.id, _lines(label(stakeholder, locale), translated(stakeholder, "role", locale)),
                 shape="ellipse", style="filled", fillcolor=CUSTOMER_FILL, penwidth="2")
        for persona in personas:
            node(column, persona.id, _lines(label(persona, locale), f"({words['persona']})"), shape="ellipse",
                 style="filled,dashed", fillcolor=CUSTOMER_FILL)
        if not customers and not personas:
            node(column, "_customers", [words["customers"]], shape="ellipse", style="dashed")

    # external parties outside
    with graph.subgraph(name="cluster_external") as column:
        column.attr("graph", label=text_label(words["external"]), style="rounded", color="#b2182b")
        for stakeholder in external:
            node(column, stakeholder.id, _lines(label(stakeholder, locale), translated(stakeholder, "role", locale)),
                 fillcolor=EXTERNAL_FILL)

    relations = [r for r in workspace.relations if _known(r.source, placed, workspace, organisation)
                 and _known(r.target, placed, workspace, organisation)]
    # ends of relations that are none of the above (a channel, a persona of another organisation)
    for relation in relations:
        for key in (relation.source, relation.target):
            if key not in placed:
                found = workspace.get(key)
                node(graph, key, _lines(label(found, locale) if found is not None else key))

    _column_order(graph, internal, organisations, customers, personas, external)
    column_of = {**{i.id: 0 for i in (*organisations, *internal)}, **{e.id: 2 for e in external}}
    for relation in relations:
        text = text_label(_relation_lines(relation, locale, words))
        source, target = relation.source, relation.target
        if column_of.get(source, 1) > column_of.get(target, 1):
            # drawn against the column order, so graphviz keeps internal | customers | external and
            # gives the label its own room; dir=back puts the arrowhead where the relation points
            graph.edge(node_id(target), node_id(source), label=text, dir="back")
        else:
            graph.edge(node_id(source), node_id(target), label=text)
    return graph


def _personas(workspace, organisation: str | None):
    """All personas, or those of the organisation's journeys (all of them when it has no journeys)."""
    if organisation is None:
        return list(workspace.personas)
    wanted = {p for j in workspace.journeys if j.organisation == organisation for p in j.personas}
    if not wanted:
        return list(workspace.personas)
    return [p for p in workspace.personas if p.id in wanted]


def _known(key: str, placed: set[str], workspace, organisation: str | None) -> bool:
    """Whether a relation's end belongs on this map (on a per-organisation map: not another organisation's)."""
    if key in placed:
        return True
    found = workspace.get(key)
    owner = getattr(found, "organisation", None) if found is not None else None
    is_other_organisation = found is not None and found in workspace.organisations
    return organisation is None or not (is_other_organisation or (owner is not None and owner != organisation))


def _column_order(graph, internal, organisations, customers, personas, external) -> None:
    """Invisible edges that put internal | customers | external in that order, left to right."""
    centre = node_id(customers[0].id if customers else personas[0].id if personas else "_customers")
    for item in (*organisations, *internal):
        graph.edge(node_id(item.id), centre, style="invis", weight="2")
    # every customer and persona in the centre column, also those without relations
    left = (*organisations, *internal)
    for item in (*customers, *personas):
        if left and node_id(item.id) != centre:
            graph.edge(node_id(left[0].id), node_id(item.id), style="invis")
    for item in external:
        graph.edge(centre, node_id(item.id), style="invis", weight="2")


def _relation_lines(relation, locale, words) -> list[str]:
    """The relation's label, then what flows: ``geld, informatie: twijfel over overstappen``."""
    lines = wrap_lines(translated(relation, "label", locale), WRAP) if relation.label else []
    kinds = [words.get(flow.kind, flow.kind) for flow in relation.flows]
    texts = [flow.text for flow in relation.flows if flow.text]
    if kinds:
        flows = "[" + ", ".join(dict.fromkeys(kinds)) + "]"
        lines.extend(wrap_lines(flows + (": " + "; ".join(texts) if texts else ""), WRAP))
    return lines or [""]
