"""No test can pass by asserting nothing: every test checks something that runs whatever its
data holds, not only inside a loop that an empty list would skip."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

TESTS = Path(__file__).parent
LOOPS = (ast.For, ast.AsyncFor, ast.While)


def outside_loops(node: ast.AST) -> list[ast.AST]:
    """The nodes under `node` that run however many times any loop in it runs (the loops'
    `else` blocks and comprehensions count as inside)."""
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, LOOPS) and not runs_at_least_once(child):
            found.append(child.iter if isinstance(child, ast.For | ast.AsyncFor) else child.test)
            continue
        if isinstance(child, ast.comprehension | ast.FunctionDef | ast.Lambda):
            continue
        found.append(child)
        found += outside_loops(child)
    return found


def runs_at_least_once(loop: ast.AST) -> bool:
    """A loop over a literal that is not empty (`for face in ("front", "back")`)."""
    items = getattr(loop, "iter", None)
    return isinstance(items, ast.Tuple | ast.List) and bool(items.elts)


def called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Name):
            return function.id
        if isinstance(function, ast.Attribute):
            return function.attr
    return None


def checks(node: ast.AST, helpers: set[str]) -> bool:
    """An assert, pytest.raises or pytest.fail, a raised AssertionError, a Playwright wait, or
    a call to a helper that checks."""
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Raise) and node.exc is not None:
        return "AssertionError" in ast.unparse(node.exc)
    name = called_name(node)
    return name in WAITS or name in {"raises", "fail"} or name in helpers


WAITS = {"wait_for_function", "wait_for_selector", "wait_for_url"}
"""Playwright's waits fail the test when what they wait for never happens."""


@functools.cache
def functions() -> list[tuple[Path, ast.FunctionDef]]:
    found = []
    for path in sorted(TESTS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(path, n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    return found


def checking_helpers() -> set[str]:
    """Functions of the suite (not tests) that check outside loops, found to a fixed point
    (a helper that calls a checking helper checks too)."""
    helpers: set[str] = set()
    while True:
        more = {
            f.name
            for _, f in functions()
            if not f.name.startswith("test_") and any(checks(n, helpers) for n in outside_loops(f))
        }
        if more <= helpers:
            return helpers
        helpers |= more


def test_every_test_checks_something_outside_its_loops() -> None:
    helpers = checking_helpers()
    tests = [(path, f) for path, f in functions() if f.name.startswith("test_")]
    silent = [
        f"{path.name}:{f.lineno} {f.name}"
        for path, f in tests
        if not any(checks(n, helpers) for n in outside_loops(f))
    ]
    assert len(tests) > 200
    assert silent == [], "assert the list a loop checks is not empty (or its length) first"


def test_the_check_itself_catches_a_test_that_asserts_only_in_a_loop() -> None:
    tree = ast.parse("def test_x(items):\n    for item in items:\n        assert item\n")
    assert not any(checks(n, set()) for n in outside_loops(tree.body[0]))
    tree = ast.parse(
        "def test_y(items):\n    assert items\n    for i in items:\n        assert i\n"
    )
    assert any(checks(n, set()) for n in outside_loops(tree.body[0]))
