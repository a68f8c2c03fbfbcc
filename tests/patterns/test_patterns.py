"""nirc's pattern language (``nirc/patterns``, ``docs/patterns.md``).

* the parser and the checks made when a file loads: every error names the file, the
  line and the column, and the rule ``pattern-syntax``;
* the matcher: chains, quantifiers with backtracking, ``?``, ``_``, ``@chain``, and the
  failure it reports (kind, fan-in, where) at the deepest point;
* rewrites through the driver: results (``replace``, ``erase``, ``..x``, dead matched
  nodes erased), equivalence with the interpreter on random graphs (hypothesis), frozen
  nodes, a pattern that matches its own result (``[pattern-convergence]``), an
  expression that fails at run time (``[pattern]`` with node and line:col);
* legality rules: violations per node with the rule's name;
* the command line: ``nir-opt --patterns FILE`` and ``-p 'apply-patterns{file=...}'``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import run_tool
from hypothesis import HealthCheck, event, given, settings
from pass_strategies import PassCase, describe_graph, pass_cases

import nirc
import nirc.examples
from nirc.core.errors import NircError
from nirc.core.rewriting import apply_patterns
from nirc.dialects import nir
from nirc.dialects.nir import top_graph
from nirc.io.text import module_to_text
from nirc.patterns import Failure, Match, load, loads

HERE = Path(__file__).resolve().parent

MERGE = """
// Linear after Linear is one Linear
pattern merge-linear {
    match a: nir.linear -> b: nir.linear
    where uses(a) == 1
    replace b with nir.linear(inputs(a)) { weight = b.weight @ a.weight }
}
"""

UNIT_SCALE = """
pattern drop-unit-scale {
    match s: nir.scale
    where all(s.scale == 1), fan_in(s) == 1
    erase s
}
"""


def chain_text(*nodes: str, shape: int = 2) -> str:
    """A text graph: an Input, then one node per entry ("linear W", "scale S"), an Output."""
    lines = [f'  %n0 = nir.input "in" {{shape = #nir.dense<1xi64: [{shape}]>}} : tensor<{shape}xf32>']
    for i, node in enumerate(nodes, 1):
        kind, value = node.split(" ", 1)
        t = f"tensor<{shape}xf32>"
        if kind == "linear":
            lines.append(
                f'  %n{i} = nir.linear "n{i}"(%n{i - 1}) {{weight = #nir.dense<{shape}x{shape}xf32: {value}>}} : {t} -> {t}'
            )
        else:
            lines.append(
                f'  %n{i} = nir.scale "n{i}"(%n{i - 1}) {{scale = #nir.dense<{shape}xf32: {value}>}} : {t} -> {t}'
            )
    lines.append(f'  nir.output "out"(%n{len(nodes)}) {{shape = #nir.dense<1xi64: [{shape}]>}} : tensor<{shape}xf32>')
    return "nir.graph {\n" + "\n".join(lines) + "\n}\n"


def kinds(module) -> list[str]:
    return [op.name for op in top_graph(module).body.block.ops]


# --------------------------------------------------------------------------------------
# 1. Parsing and loading: errors at line and column
# --------------------------------------------------------------------------------------

BAD = [
    ("pattern x { match a: nir.linear }", "line 1:33", "unexpected '}'"),
    ("pattern x {\n  match a: nir.linear ->", "line 2:", "ends in the middle"),
    ("pattern 1x {}", "line 1:9", "unexpected '1'"),
    ("legal y { match a: nir.linear where a.weight $ 2 }", "line 1:46", "unexpected character '$'"),
    ("legal y {\n  match a: nir.linar\n}", "line 2:12", "unknown op kind 'nir.linar'"),
    ("legal y { match a: nir.linear where b.weight == 1 }", "line 1:37", "'b' is not a binding"),
    ("legal y { match a: nir.linear where frobnicate(a) }", "line 1:37", "unknown function 'frobnicate'"),
    ("legal y { match a: nir.linear* }", "line 1:17", "cannot be quantified"),
    ("pattern y { match a: nir.scale* -> b: nir.linear erase a }", "line 1:50", "quantified binding"),
    ("legal y { match a: nir.linear -> a: nir.linear }", "line 1:34", "bound twice"),
    ("legal y { match @nothing -> a: nir.linear }", "line 1:17", "no chain 'nothing'"),
    ("legal y { match a: nir.linear }\nlegal y { match b: nir.linear }", "line 2:1", "two declarations are named 'y'"),
    ("pattern y { match a: nir.linear replace a with nir.frob(inputs(a)) }", "line 1:33", "unknown op kind 'nir.frob'"),
    ("pattern y { match a: nir.linear erase c }", "line 1:33", "'c' is not a binding"),
]


@pytest.mark.parametrize(("text", "where", "what"), BAD, ids=[b[2] for b in BAD])
def test_every_mistake_is_reported_where_it_was_made(text: str, where: str, what: str) -> None:
    with pytest.raises(NircError) as err:
        loads(text, "my.pat")
    message = str(err.value)
    assert message.startswith(f"my.pat: {where}"), message
    assert what in message and message.endswith("[pattern-syntax]"), message


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(NircError, match=r"cannot read the pattern file.*\[file\]"):
        load(tmp_path / "missing.pat")


def test_comments_strings_and_numbers() -> None:
    ps = loads(
        '# a comment\nlegal r { match a: nir.scale  // another\n where all(a.scale > -1.5e-3) or kind(a) == "x\\"y" message "m" }',
        "t.pat",
    )
    assert list(ps.legality) == ["r"] and ps.legality["r"].decl.message == "m"


# --------------------------------------------------------------------------------------
# 2. Matching
# --------------------------------------------------------------------------------------


def match(text: str, graph: str, root: str) -> Match | Failure:
    rule = next(iter(loads(text, "t.pat").legality.values()))
    module = nirc.parse(graph)
    op = next(op for op in top_graph(module).body.block.ops if op.properties["name"].data == root)
    return rule.check(op)


def test_a_star_gives_back_what_the_rest_of_the_chain_needs() -> None:
    graph = chain_text("scale 2.0", "scale 3.0", "scale 4.0", "linear 1.0")
    found = match("legal r { match s: nir.scale* -> last: nir.scale -> w: nir.linear }", graph, "n4")
    assert isinstance(found, Match)
    assert [n.op.properties["name"].data for n in found.bindings["s"]] == ["n1", "n2"]
    assert found.node("last").properties["name"].data == "n3"  # type: ignore[union-attr]
    assert [op.properties["name"].data for op in found.nodes] == ["n1", "n2", "n3", "n4"]


def test_optional_and_any() -> None:
    graph = chain_text("linear 1.0", "scale 2.0")
    assert isinstance(match("legal r { match x: _ -> nir.linear? -> s: nir.scale }", graph, "n2"), Match)
    found = match(
        "legal r { match x: _ -> l: nir.linear? -> s: nir.scale }", chain_text("scale 1.0", "scale 2.0"), "n2"
    )
    assert isinstance(found, Match) and found.bindings["l"] is None and found.node("x").name == "nir.scale"  # type: ignore[union-attr]


def test_plus_needs_one() -> None:
    found = match("legal r { match s: nir.scale+ -> w: nir.linear }", chain_text("linear 1.0", "linear 1.0"), "n2")
    assert isinstance(found, Failure) and found.reason == "kind" and found.found.name == "nir.linear"  # type: ignore[union-attr]


def test_failures_say_why_at_the_deepest_point() -> None:
    rule = 'legal r { match i: nir.input -> s: nir.scale -> w: nir.linear where all(w.weight > 0) message "m" }'
    kind = match(rule, chain_text("linear 1.0", "linear 1.0"), "n2")
    assert isinstance(kind, Failure) and kind.reason == "kind" and kind.step.binding == "s" and kind.depth == 1
    assert "expects nir.scale here, found nir.linear 'n1'" in kind.describe()
    where = match(rule, chain_text("scale 1.0", "linear -1.0"), "n2")
    assert isinstance(where, Failure) and where.reason == "where" and "all(w.weight > 0)" in where.describe()
    fan_in = nirc.parse(
        'nir.graph {\n  %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  %b = nir.input "b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n'
        '  %w = nir.linear "w"(%a, %b) {weight = #nir.dense<2x2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>\n'
        '  nir.output "o"(%w) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n}\n'
    )
    rule_set = loads("legal r { match nir.input -> w: nir.linear }", "t.pat")
    found = rule_set.legality["r"].check(
        next(op for op in top_graph(fan_in).body.block.ops if isinstance(op, nir.LinearOp))
    )
    assert isinstance(found, Failure) and found.reason == "fan-in" and found.inputs == 2


def test_named_chains_are_reused() -> None:
    ps = loads("chain front { i: nir.input -> s: nir.scale? }\nlegal r { match @front -> w: nir.linear }", "t.pat")
    module = nirc.parse(chain_text("scale 2.0", "linear 1.0"))
    w = next(op for op in top_graph(module).body.block.ops if isinstance(op, nir.LinearOp))
    found = ps.legality["r"].check(w)
    assert isinstance(found, Match) and set(found.bindings) == {"i", "s", "w"}


# --------------------------------------------------------------------------------------
# 3. Rewrites
# --------------------------------------------------------------------------------------


def test_replace_merges_a_chain_and_erases_what_it_leaves_unread() -> None:
    module = nirc.parse(
        chain_text("linear [1.0, 2.0, 3.0, 4.0]", "linear [0.0, 1.0, 1.0, 0.0]", "linear [2.0, 0.0, 0.0, 2.0]")
    )
    apply_patterns(module, loads(MERGE, "m.pat").rewrites)
    assert kinds(module) == ["nir.input", "nir.linear", "nir.output"]
    (op,) = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.LinearOp)]
    assert op.nir_name == "n3"  # the replaced node's name
    assert np.array_equal(
        op.param("weight"), 2 * np.array([[0.0, 1.0], [1.0, 0.0]]) @ np.array([[1.0, 2.0], [3.0, 4.0]])
    )


def test_a_node_read_twice_is_not_merged() -> None:
    text = chain_text("linear 1.0", "linear 2.0").replace(
        '  nir.output "out"(%n2)',
        '  nir.output "out2"(%n1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>\n  nir.output "out"(%n2)',
    )
    module = nirc.parse(text)
    assert not apply_patterns(module, loads(MERGE, "m.pat").rewrites)


def test_erase_and_copy_fields() -> None:
    module = nirc.parse(chain_text("scale 1.0", "linear 3.0", "scale 1.0"))
    apply_patterns(module, loads(UNIT_SCALE, "u.pat").rewrites)
    assert kinds(module) == ["nir.input", "nir.linear", "nir.output"]
    to_affine = (
        "pattern to-affine { match l: nir.linear replace l with nir.affine(inputs(l)) { ..l, bias = l.weight[0] * 0 } }"
    )
    apply_patterns(module, loads(to_affine, "c.pat").rewrites)  # the Affine it makes is no Linear: it stops
    (op,) = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.AffineOp)]
    assert (
        op.nir_name == "n2"
        and np.array_equal(op.param("weight"), np.full((2, 2), 3.0, np.float32))
        and not op.param("bias").any()
    )


def test_frozen_nodes_are_never_rewritten() -> None:
    module = nirc.parse(chain_text("linear 1.0", "linear 2.0"))
    frozen = [op for op in top_graph(module).body.block.ops if isinstance(op, nir.LinearOp)][:1]
    assert not apply_patterns(module, loads(MERGE, "m.pat").rewrites, frozen=frozen)


def test_a_pattern_that_matches_its_own_result_is_stopped() -> None:
    loop = "pattern loop { match a: nir.linear replace a with nir.linear(inputs(a)) { ..a } }"
    module = nirc.parse(chain_text("linear 1.0"))
    with pytest.raises(NircError, match=r"do not converge.*'loop' applied \d+ times.*\[pattern-convergence\]"):
        apply_patterns(module, loads(loop, "l.pat").rewrites)


def test_an_expression_that_fails_names_the_pattern_the_node_and_the_place() -> None:
    bad = "pattern oops {\n  match a: nir.linear\n  replace a with nir.linear(inputs(a)) { weight = a.weight @ a.bias }\n}"
    module = nirc.parse(chain_text("linear 1.0"))
    with pytest.raises(NircError) as err:
        apply_patterns(module, loads(bad, "o.pat").rewrites)
    assert err.value.rule == "pattern" and err.value.node == "n1"
    assert "o.pat: line 3:51: in pattern 'oops'" in str(err.value)


EXAMPLES = int(os.environ.get("NIRC_PATTERN_EXAMPLES", "60"))


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(case=pass_cases(archs=("chain", "fan-in", "conv", "nested"), spiking=False))
def test_rewrites_keep_what_the_interpreter_computes(case: PassCase) -> None:
    """Merging Linears reassociates a product (agreement to rounding); dropping unit
    Scales changes nothing (bit for bit)."""
    module = nirc.module_from_dict(case.graph)
    x = case.x
    want = nirc.run(module, x, dt=case.dt).outputs
    exact = module.clone()
    changed = apply_patterns(exact, loads(UNIT_SCALE, "u.pat").rewrites)
    event(f"unit scales dropped: {changed}")
    got = nirc.run(exact, x, dt=case.dt).outputs
    for key in want:
        assert np.array_equal(want[key], got[key]), (key, describe_graph(case.graph))
    merged = module.clone()
    changed = apply_patterns(merged, loads(MERGE, "m.pat").rewrites)
    event(f"linears merged: {changed}")
    got = nirc.run(merged, x, dt=case.dt).outputs
    for key in want:
        scale = max(1.0, float(np.max(np.abs(want[key]), initial=0.0)))
        assert np.allclose(got[key], want[key], rtol=1e-4, atol=1e-4 * scale), (key, describe_graph(case.graph))
    assert module_to_text(module) == module_to_text(
        nirc.module_from_dict(case.graph)
    )  # the clones were changed, not it


# --------------------------------------------------------------------------------------
# 4. Legality rules
# --------------------------------------------------------------------------------------


def test_a_legality_rule_reports_every_node_that_breaks_it() -> None:
    rule = loads(
        'legal only-after-scale { match s: nir.scale -> w: nir.linear message "a Linear reads a Scale" }', "r.pat"
    ).legality["only-after-scale"]
    module = nirc.parse(chain_text("linear 1.0", "scale 2.0", "linear 1.0"))
    matches, violations = rule.violations(list(top_graph(module).body.block.ops))
    assert [m.node("w").properties["name"].data for m in matches] == ["n3"]  # type: ignore[union-attr]
    assert [(v.rule, v.node) for v in violations] == [("only-after-scale", "n1")]
    assert violations[0].message == "a Linear reads a Scale: expects nir.scale here, found nir.input 'in'"


# --------------------------------------------------------------------------------------
# 5. The command line
# --------------------------------------------------------------------------------------


def test_nir_opt_applies_a_pattern_file(tmp_path: Path) -> None:
    model = tmp_path / "m.mlir"
    model.write_text(chain_text("linear 1.0", "scale 1.0", "linear 2.0"))
    patterns = tmp_path / "p.pat"
    patterns.write_text(MERGE + UNIT_SCALE)
    res = run_tool("nir-opt", model, "--patterns", patterns)
    assert res.code == 0, res.stderr
    assert res.stdout.count("nir.linear") == 1 and "nir.scale" not in res.stdout
    same = run_tool("nir-opt", model, "-p", f'apply-patterns{{file="{patterns}"}}')
    assert same.code == 0 and same.stdout == res.stdout, same.stderr


def test_nir_opt_reports_a_bad_pattern_file_and_broken_rules(tmp_path: Path) -> None:
    model = tmp_path / "m.mlir"
    model.write_text(chain_text("linear 1.0"))
    bad = tmp_path / "bad.pat"
    bad.write_text("pattern x {\n  match a: nir.linar\n  erase a\n}\n")
    res = run_tool("nir-opt", model, "--patterns", bad)
    assert (
        res.code == 1
        and res.stderr.strip()
        == f"nir-opt: error: {bad}: line 2:12: unknown op kind 'nir.linar' (no registered dialect has it) [pattern-syntax]"
    )
    rules = tmp_path / "rules.pat"
    rules.write_text('legal needs-scale { match nir.scale -> w: nir.linear message "a Linear reads a Scale" }\n')
    res = run_tool("nir-opt", model, "--patterns", rules, "-o", tmp_path / "out.mlir")
    assert (
        res.code == 1
        and "node 'n1': a Linear reads a Scale: expects nir.scale here, found nir.input 'in' [needs-scale]"
        in res.stderr
    )
    assert "Traceback" not in res.stderr and not (tmp_path / "out.mlir").exists()
    help_text = run_tool("nir-opt", "--help").stdout
    assert "--patterns FILE" in help_text and "--apply-patterns" in help_text


def test_the_shipped_speck_rules_load() -> None:
    from nirc.targets.speck.rules import LEGALITY

    assert set(load(LEGALITY).legality) == {"speck-layer", "speck-core-input"}
    assert set(load("speck:legality").legality) == {"speck-layer", "speck-core-input"}


def test_a_shipped_pattern_file_by_name(tmp_path: Path) -> None:
    """``EXTENSION:NAME`` names a file an extension ships; a name none ships is refused
    with the list of those that exist."""
    model = tmp_path / "m.snn.mlir"
    res = run_tool("nir-opt", nirc.examples.path("srnn.nir"), "-p", "nir-to-snn{dt=1e-4}", "-o", model)
    assert res.code == 0, res.stderr
    res = run_tool("nir-opt", model, "--patterns", "speck:legality")
    assert res.code == 1 and "found snn.rsynaptic 'lif1.lif' [speck-core-input]" in res.stderr, res.stderr
    res = run_tool("nir-opt", model, "--patterns", "speck:nope")
    assert res.code == 1 and res.stderr.strip() == (
        "nir-opt: error: speck:nope: no pattern file 'speck:nope': give a path, or one an extension ships "
        "(speck:legality) [file]"
    )
    assert "speck:legality" in run_tool("nir-opt", "--help").stdout


def test_the_parser_cache(tmp_path: Path) -> None:
    """The analysed grammar is cached in ``$NIRC_CACHE_DIR``; a damaged cache is rebuilt,
    an empty ``NIRC_CACHE_DIR`` turns caching off; the parses are the same every way."""
    code = (
        "from nirc.patterns.syntax import parse; "
        "print([d.name for d in parse('pattern p { match a: nir.linear erase a }')])"
    )

    def run(cache: str | None) -> str:
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
        env.pop("NIRC_CACHE_DIR", None)
        if cache is not None:
            env["NIRC_CACHE_DIR"] = cache
        res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert res.stderr == "", res.stderr
        return res.stdout

    cache = tmp_path / "cache"
    assert run(str(cache)) == "['p']\n"
    (file,) = cache.iterdir()
    assert file.name.startswith("patterns-lark") and file.stat().st_size > 0
    file.write_bytes(b"damaged")
    assert run(str(cache)) == "['p']\n"
    assert file.read_bytes() != b"damaged"  # rebuilt and written again
    assert run("") == "['p']\n" and not (tmp_path / "xdg").exists()  # no cache anywhere
    assert run(None) == "['p']\n" and len(list((tmp_path / "xdg" / "nirc").iterdir())) == 1
