"""The app kit's conventions, checked in the code itself: event types are registered constants."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "scheduler", "inventory"]
# The functions that publish, and the position of the event type among their arguments.
PUBLISHERS = {"publish": 1, "publish_booking": 1, "_publish_device": 1, "_announce": 2}


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts and "tests" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("app", APPS)
def test_every_event_type_is_a_constant_with_a_docstring(app):
    tree = ast.parse((ROOT / app / "events.py").read_text())
    body = tree.body
    undocumented = []
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            following = body[index + 1] if index + 1 < len(body) else None
            if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)):
                undocumented.append(node.targets[0].id)
    constants = [n for n in body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)]
    assert constants and not undocumented


@pytest.mark.parametrize("app", APPS)
def test_no_event_type_is_written_as_a_string_where_it_is_published(app):
    literal = []
    for path, tree in _sources(app):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in PUBLISHERS:
                continue
            position = PUBLISHERS[name]
            kind = node.args[position] if len(node.args) > position else None
            strings = [kind] if isinstance(kind, ast.JoinedStr | ast.Constant) else []
            literal += [f"{path.relative_to(ROOT)}:{node.lineno}" for _ in strings]
    assert literal == []
