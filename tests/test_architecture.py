"""Imports run one way (STYLE.md): models import nothing of briefex; sources and output import
models; only the orchestration modules of pipeline (and the CLI) put everything together;
pdfplumber stays in sources/pdf.py, spaCy and dateparser in pipeline/, FastAPI in output/web."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

ORCHESTRATION = {"flows.py", "batch.py", "watch.py", "summary.py"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the package
                package = ".".join(["briefex", *path.relative_to(ROOT).parent.parts][: None if node.level == 1 else -(node.level - 1)])
                base = f"{package}.{base}".rstrip(".")
            found.add(base)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package, allowed", [
    ("models", set()),
    ("sources", {"briefex.models"}),
    ("output", {"briefex.models", "briefex.output"}),
])
def test_packages_import_only_what_they_may(package, allowed):
    for path in modules(package):
        if "migrations" in path.parts:
            allowed_here = allowed | {"briefex.output"}
        else:
            allowed_here = allowed | {f"briefex.{package}"}
        ours = {m for m in imports(path) if m.startswith("briefex")}
        bad = {m for m in ours if not any(m == a or m.startswith(a + ".") for a in allowed_here)}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_only_orchestration_joins_pipeline_and_store():
    for path in modules("pipeline"):
        if path.name in ORCHESTRATION:
            continue
        ours = {m for m in imports(path) if m.startswith("briefex.output")}
        assert not ours, f"{path.relative_to(ROOT)} imports {ours}"


@pytest.mark.parametrize("library, home", [
    ("pdfplumber", {"sources/pdf.py"}),
    ("dateparser", {"pipeline/nlp/dates.py"}),
    ("fastapi", {"output/web/app.py", "output/web/workbench.py", "output/web/security.py",
                 "output/web/quarantine.py"}),
])
def test_heavy_libraries_stay_in_their_module(library, home):
    users = {str(p.relative_to(ROOT)) for package in ("models", "sources", "pipeline", "output")
             for p in modules(package) if any(m.split(".")[0] == library for m in imports(p))}
    assert users <= home, f"{library} is imported in {users - home}"


def test_spacy_stays_in_pipeline():
    for package in ("models", "sources", "output"):
        for path in modules(package):
            assert "spacy" not in {m.split(".")[0] for m in imports(path)}, path
