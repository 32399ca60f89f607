"""Shared pieces of the hardening tests: a small stored paper and the one-line-error check."""
from __future__ import annotations

from typer.testing import CliRunner

from briefex.cli import app

from .conftest import stored_text

PAPER = ("Russia and India signed a defence pact in 2016. In March 2019 the Indian Navy held drills "
         "with over 4.000 sailors. Arms sales reached 2.1 billion USD in 2018.")
runner = CliRunner()


def stored_paper(tmp_path, name: str = "store.db"):
    """A SQLite store holding one extracted paper; closed, so other processes see it all."""
    stored = stored_text(tmp_path, PAPER, name)
    stored[0].close()
    return stored


def cli(*args, db=None):
    prefix = ["--db", str(db)] if db is not None else []
    return runner.invoke(app, [*prefix, *map(str, args)], catch_exceptions=False)


def assert_one_line_failure(result, *fragments: str) -> str:
    """A failed command: non-zero exit and exactly one stderr line `briefex: what: why`."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefex: ") and "Traceback" not in result.output, lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
