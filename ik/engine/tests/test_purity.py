"""The engine must stay free of Django so it can be run and audited on its own."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]


def test_nothing_under_engine_imports_django():
    offenders = []
    files = list(ENGINE.rglob("*.py"))
    assert len(files) > 3
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []
