"""``nirc.core.rewriting``: the driver and the graph-region helpers.

The driver applies xDSL patterns until none applies, stops a pattern that keeps matching
its own result (naming it), attributes an exception inside a pattern to the pattern and
the node, and never roots a match at a frozen node; the helpers keep names unique and
erase nodes that read each other.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

import nirc
from nirc.core.errors import NircError
from nirc.core.rewriting import Driver, apply_patterns, build, erase_nodes, fresh_name, replace_node, rewrite_session
from nirc.dialects import nir
from nirc.dialects.nir import top_graph

CHAIN = """nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.scale "a"(%in) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.scale "b"(%a) {scale = #nir.dense<2xf32: 3.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
"""


class Renew(RewritePattern):
    """Replaces every Scale by a new one: never converges."""

    name = "renew"
    root_types = (nir.ScaleOp,)

    def match_and_rewrite(self, op, rewriter: PatternRewriter, /) -> None:
        new = build(nir.ScaleOp, op.nir_name, list(op.operands), {"scale": op.properties["scale"]}, (2,))
        replace_node(rewriter, op, [new])


class Crash(RewritePattern):
    name = "crash"

    def match_and_rewrite(self, op, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, nir.ScaleOp):
            raise ZeroDivisionError("oops")


class Fold(RewritePattern):
    """Scale after Scale is one Scale (keeps the second's name)."""

    name = "fold"
    root_types = (nir.ScaleOp,)

    def match_and_rewrite(self, op, rewriter: PatternRewriter, /) -> None:
        first = op.operands[0].owner
        if isinstance(first, nir.ScaleOp):
            new = build(
                nir.ScaleOp,
                op.nir_name,
                list(first.operands),
                {"scale": first.param("scale") * op.param("scale")},
                (2,),
            )
            replace_node(rewriter, op, [new])
            erase_nodes(rewriter, [first])


def test_a_pattern_that_never_stops_is_named() -> None:
    with pytest.raises(NircError, match=r"'renew' applied \d+ times.*\[pattern-convergence\]"):
        apply_patterns(nirc.parse(CHAIN), [Renew()])


def test_an_exception_in_a_pattern_names_it_and_the_node() -> None:
    with pytest.raises(NircError) as err:
        apply_patterns(nirc.parse(CHAIN), [Crash()], origin=lambda p, op: "myplugin")
    assert err.value.rule == "pattern" and err.value.node in ("a", "b")
    assert "pattern 'crash' (extension 'myplugin') failed on nir.scale: ZeroDivisionError: oops" in str(err.value)


def test_the_driver_reaches_a_fixed_point_and_respects_frozen_nodes() -> None:
    module = nirc.parse(CHAIN)
    assert apply_patterns(module, [Fold()])
    ops = list(top_graph(module).body.block.ops)
    assert [op.name for op in ops] == ["nir.input", "nir.scale", "nir.output"] and ops[1].nir_name == "b"
    assert np.array_equal(ops[1].param("scale"), [6.0, 6.0])
    module = nirc.parse(CHAIN)
    b = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.ScaleOp)][1]
    assert not apply_patterns(module, [Fold()], frozen=[b])


def test_fresh_names_and_erasing_a_cycle() -> None:
    text = CHAIN.replace('%a = nir.scale "a"(%in)', '%a = nir.scale "a"(%in, %b)')
    module = nirc.parse(text)
    block = top_graph(module).body.block
    with rewrite_session():
        assert fresh_name(block, "a") == "a.1" and fresh_name(block, "a") == "a.2" and fresh_name(block, "c") == "c"
        a, b = [op for op in block.ops if isinstance(op, nir.ScaleOp)]
        out = next(op for op in block.ops if isinstance(op, nir.OutputOp))
        rewriter = PatternRewriter(out)
        out.operands = [block.first_op.results[0]]  # type: ignore[union-attr]
        erase_nodes(rewriter, [a, b])  # they read each other
        assert [op.name for op in block.ops] == ["nir.input", "nir.output"]
        assert fresh_name(block, "a") == "a"  # released


def test_a_driver_drains_what_its_rewriter_touches() -> None:
    module = nirc.parse(CHAIN)
    driver = Driver([Fold()])
    with rewrite_session():
        assert driver.sweep(top_graph(module).body.block)
        assert not driver.drain()
