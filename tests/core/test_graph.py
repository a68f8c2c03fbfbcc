"""``nirc.core.graph``: the one schedule and cycle analysis.

* :func:`components` against networkx's strongly connected components and condensation
  order, on random directed graphs (hypothesis), with multi-edges and self-loops;
* :func:`schedule_order` starts at the inputs and leaves edges into cycle breakers out;
  :func:`back_edges` gives exactly the edges that close cycles.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

import nirc
from nirc.core.graph import back_edges, components, reached_from_inputs, schedule_order
from nirc.dialects.nir import top_graph


class Node:
    """A stand-in for an op: components() only needs hashable nodes and successors."""

    def __init__(self, i: int):
        self.i = i

    def __repr__(self) -> str:
        return f"n{self.i}"


edges_strategy = st.integers(1, 12).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
)


@settings(max_examples=300, deadline=None)
@given(graph=edges_strategy)
def test_components_agree_with_networkx(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    nodes = [Node(i) for i in range(n)]
    succ: dict[Node, list[Node]] = {v: [] for v in nodes}
    for a, b in edges:
        succ[nodes[a]].append(nodes[b])
    found = components(nodes, lambda v: succ[v])
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    assert sorted(sorted(v.i for v in c.members) for c in found) == sorted(
        sorted(c) for c in nx.strongly_connected_components(g)
    )
    where = {v: k for k, c in enumerate(found) for v in c.members}
    for a, b in edges:  # dependency order: an edge never points to an earlier component
        assert where[nodes[a]] <= where[nodes[b]]
    for c in found:
        assert [v.i for v in c.members] == sorted(v.i for v in c.members)  # the order given
        members = set(c.members)
        inner = sum(1 for a, b in edges if nodes[a] in members and nodes[b] in members)
        assert c.inner_edges == inner  # multi-edges counted
        assert c.cyclic == (len(c.members) > 1 or inner > 0)
        assert c.entries == {nodes[b] for a, b in edges if nodes[b] in members and nodes[a] not in members}


def test_deep_chains_do_not_recurse() -> None:
    nodes = [Node(i) for i in range(20000)]
    succ = {v: [nodes[v.i + 1]] if v.i + 1 < len(nodes) else [] for v in nodes}
    assert len(components(nodes, lambda v: succ[v])) == len(nodes)


RECURRENT = """nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = nir.lif "lif"(%in, %w) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %w = nir.linear "w"(%lif) {weight = #nir.dense<2x2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
"""


def names(ops) -> list[str]:
    return [op.properties["name"].data for op in ops]


def test_the_schedule_starts_at_the_inputs_and_a_delay_closes_cycles() -> None:
    module = nirc.parse(RECURRENT)
    graph = top_graph(module)
    order = schedule_order(graph)
    assert names(order) == ["in", "lif", "out", "w"]
    assert [(op.properties["name"].data, i) for op, i in back_edges(order)] == [("lif", 1)]
    assert set(names(reached_from_inputs(graph))) == {"in", "lif", "w", "out"}
    from xdsl.context import Context

    from nirc.passes.convert_nir_to_snn import ConvertNirToSnnPass

    ConvertNirToSnnPass(dt=1e-4).apply(Context(), module)
    order = schedule_order(top_graph(module))
    assert back_edges(order) == []  # the explicit delay on the edge: nothing left to close
    assert "w.previous" in names(order)
