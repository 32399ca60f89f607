"""The CLI as users run it: one clear line per bad file, non-zero exit, batches go on."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from briefex.cli import app

from .conftest import EXAMPLES, ROOT

runner = CliRunner()


def test_ingest_prints_clean_text():
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "000_867b3136689200c6.pdf")])
    assert result.exit_code == 0
    assert "Strategic convergence can be quite easily discovered" in result.stdout


def test_ingest_json_has_pages_and_metadata():
    result = runner.invoke(app, ["ingest", "--json", str(EXAMPLES / "003_1e981d18ea43cc1d.pdf")])
    data = json.loads(result.stdout)
    assert len(data["pages"]) == 5 and data["publication_date"] == "2018" and len(data["sha256"]) == 64


def test_bad_file_in_a_batch_is_one_line_and_exit_is_non_zero(tmp_path):
    bad = tmp_path / "encrypted.pdf"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "briefex", "ingest", str(bad),
                           str(EXAMPLES / "000_867b3136689200c6.txt")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["error encrypted.pdf: empty file (0 bytes)"]
    assert "Strategic convergence" in proc.stdout


def test_schema_is_json_schema():
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert {"actor", "event", "figure"} <= set(schema["discriminator"]["mapping"])


COMMANDS = ["ingest", "dates", "extract", "evaluate", "add", "reprocess", "export", "watch", "review", "records",
            "schema", "version", "backup", "quarantine", "stats"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"briefex {command}\b", readme), f"README does not document `briefex {command}`"


def test_every_registered_command_is_tested_here():
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    names |= {group.name for group in app.registered_groups}
    assert names == set(COMMANDS)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
