"""The store, on a real SQLite file and on a real PostgreSQL server."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from briefex.models import IngestedDocument, Page
from briefex.output.store import Store, StoreError, resolve_url
from briefex.output.tables import records
from briefex.pipeline.extract import extract

TEXT = "China and Russia held joint naval drills in July 2017. Russia sold 24 Su-35 fighters in 2015."


def _document(text: str = TEXT, name: str = "brief.txt", sha: str = "a" * 64) -> IngestedDocument:
    return IngestedDocument(path=name, name=name, sha256=sha, media_type="text/plain", text=text,
                            pages=[Page(number=1, start=0, end=len(text))])


def _round_trip(store: Store, tmp_path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(TEXT)
    first = store.register(path.read_bytes(), path)
    assert first.status == "new"
    assert store.register(path.read_bytes(), tmp_path / "copy.txt").status == "known"
    document = _document(sha=first.sha256)
    result = extract(document)
    diff = store.write_results(first, document, result.records, [], "v1", None)
    assert diff.counts()["event"][0] == len([r for r in result.records if r.kind == "event"]) > 0
    assert store.is_current(first.sha256, "v1") and not store.is_current(first.sha256, "v2")
    again = store.write_results(first, document, result.records, [], "v1", None)
    assert all(added == removed == 0 for added, removed, _ in again.counts().values())
    stored = list(store.records())
    assert sorted(r.id for r in stored) == sorted(r.id for r in result.records)
    assert store.content(first.sha256) == TEXT.encode()

    path.write_text(TEXT.replace("2017", "2018"))
    second = store.register(path.read_bytes(), path)
    assert (second.status, second.document_id) == ("version", first.document_id)


def test_sqlite_round_trip(tmp_path):
    _round_trip(Store(str(tmp_path / "store.db")), tmp_path)
    assert (tmp_path / "store.db").exists()


def test_postgresql_round_trip(tmp_path, postgres_url):
    store = Store(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    _round_trip(store, tmp_path)


def test_resolve_url(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFEX_DB", raising=False)
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("BRIEFEX_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")


def _registered(tmp_path):
    """A store holding brief.txt's version, with that document's extracted records."""
    store = Store(str(tmp_path / "store.db"))
    path = tmp_path / "brief.txt"
    path.write_text(TEXT)
    registration = store.register(path.read_bytes(), path)
    document = _document(sha=registration.sha256)
    return store, registration, document, extract(document).records


def test_a_hand_corrupted_row_is_refused_naming_the_record(tmp_path):
    store, registration, document, found = _registered(tmp_path)
    store.write_results(registration, document, found, [], "v1", None)
    victim = next(r for r in found if r.kind == "event")
    data = json.loads(victim.model_dump_json())
    data["date_end"] = "1900"            # before its date: the models refuse it
    with store.engine.begin() as conn:
        conn.execute(update(records).where(records.c.id == victim.id).values(data=json.dumps(data)))
    with pytest.raises(StoreError, match=f"record {victim.id} failed validation: .*date_end 1900"):
        list(store.records())


def test_results_outside_the_text_are_quarantined_not_dropped(tmp_path):
    store, registration, _, found = _registered(tmp_path)
    short = _document(text=TEXT[:20], sha=registration.sha256)
    store.write_results(registration, short, found, [], "v1", None)
    assert store.counts()["quarantined"] >= 1


def test_the_fast_schema_check_knows_alembics_head(tmp_path):
    """Store() skips importing Alembic when the schema is at head_revision(): that must be the
    head Alembic itself would migrate to, or a new migration would never run."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from briefex.output.store import MIGRATIONS, Store, _current_revision, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
    store = Store(str(tmp_path / "fresh.db"))
    assert _current_revision(store.engine) == head_revision()
