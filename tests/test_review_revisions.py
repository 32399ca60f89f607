"""Decisions follow a revised paper: matched by aligned sentence, kind and reading, not by id."""
from __future__ import annotations

from briefex.output.review import Review
from briefex.output.revisions import align, word_diff
from briefex.output.store import Store

from .conftest import store_paper

PAPER = ("Russia and India signed a defence pact in 2016. In March 2019 the Indian Navy held drills "
         "with over 4.000 sailors. Arms sales reached 2.1 billion USD in 2018. China and Pakistan "
         "held talks in May 2020.")
REVISED = PAPER.replace("held drills with over 4.000 sailors", "held large drills with over 4.000 sailors")


def _key(item) -> tuple:
    """What a decision says, whatever version it sits on: kind, reading, status."""
    return item.kind, item.record.evidence.text.replace("large ", "") if item.kind != "actor" else item.record.name, \
        item.status


def _process(store: Store, path):
    registration, document, result = store_paper(store, path)
    return registration


def test_sentence_alignment():
    old = ["A b c.", "Drills were held with 4,000 sailors.", "Gone sentence here.", "Last one."]
    new = ["A  b c.", "Large drills were held with 4,000 sailors.", "Brand new words entirely.", "Last one."]
    alignment = align(old, new)
    assert alignment.mapping[0] == (0, "unchanged") and alignment.mapping[3] == (3, "unchanged")
    assert alignment.mapping[1] == (1, "edited")
    assert alignment.removed == [2] and alignment.new == [2]
    assert word_diff(old[1], new[1]) == [("del", "Drills "), ("ins", "Large drills "),
                                         ("same", "were held with 4,000 sailors.")]


def test_decisions_follow_a_revised_paper(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(PAPER)
    store = Store(str(tmp_path / "store.db"))
    registration = _process(store, path)
    review = Review(store)
    items = review.items()
    drills = PAPER.index("In March 2019")
    changed = [i for i in items if i.kind != "actor" and i.record.evidence.start == drills]
    others = [i for i in items if i not in changed]
    assert changed and len(others) >= 4
    for n, item in enumerate(items):
        if item.kind == "figure" and item not in changed:
            review.edit(item.id, {"qualifier": "about"}, "ana", 0)
        else:
            review.decide(item.id, "accept" if n % 2 else "reject", "ana", 0, reason="wrong date")
    decided = {_key(i) for i in review.items()}
    changed_ids = {i.id for i in changed}
    standing = {_key(i) for i in review.items() if i.id not in changed_ids}

    path.write_text(REVISED)
    again = _process(store, path)
    assert again.document_id == registration.document_id and again.sha256 != registration.sha256

    after = review.items()
    assert not [i for i in after if i.status in ("pending", "orphaned")]
    flagged = [i for i in after if i.flagged]
    assert {i.kind for i in flagged} == {i.kind for i in changed}
    assert all(i.flag_reason == "sentence changed: re-check" for i in flagged)
    assert all("large drills" in i.record.evidence.text and "large" not in i.previous_text for i in flagged)
    assert {_key(i) for i in after if not i.flagged} == standing
    assert {_key(i) for i in after} == decided
    assert all(i.record.document_sha256 == again.sha256 for i in after)
    edited = [i for i in after if i.status == "edited"]
    assert edited and all(i.record.qualifier == "about" for i in edited)


def test_a_removed_sentence_orphans_only_its_records(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(PAPER)
    store = Store(str(tmp_path / "store.db"))
    _process(store, path)
    review = Review(store)
    for item in review.items():
        review.decide(item.id, "accept", "ana", 0)
    path.write_text(PAPER.replace(" Arms sales reached 2.1 billion USD in 2018.", ""))
    _process(store, path)
    after = review.items()
    orphaned = [i for i in after if i.status == "orphaned"]
    assert orphaned and all("Arms sales" in i.record.evidence.text for i in orphaned)
    assert all(i.status == "accepted" for i in after if "Arms sales" not in i.record.evidence.text)


def test_a_revision_under_another_name_is_a_new_version(tmp_path):
    """paper-v2.txt, mostly the text of the reviewed paper-v1.txt, replacing it: a new version
    of it, its decisions carried over as for a revision at the same path; paper-v1.txt stays
    the earlier version (its bytes kept) and `reprocess --changed` follows the new file."""
    from briefex.pipeline.batch import plan_reprocess
    from briefex.pipeline.extract import extract
    from briefex.sources import ingest

    first_path, second_path = tmp_path / "paper-v1.txt", tmp_path / "paper-v2.txt"
    first_path.write_text(PAPER)
    store = Store(str(tmp_path / "store.db"))
    registration = _process(store, first_path)
    review = Review(store)
    drills = PAPER.index("In March 2019")
    for n, item in enumerate(review.items()):
        if n % 3:
            review.decide(item.id, "accept", "ana", 0)
    changed_ids = {i.id for i in review.items() if i.kind != "actor" and i.record.evidence.start == drills}
    decided = {_key(i) for i in review.items() if i.status != "pending"}
    standing = {_key(i) for i in review.items() if i.status != "pending" and i.id not in changed_ids}
    assert decided != standing and len(standing) >= 3

    second_path.write_text(REVISED)
    first_path.unlink()   # the revision replaces the earlier file
    second = store.register(second_path.read_bytes(), second_path)
    assert second.status == "new"             # the text is not known yet when the bytes arrive
    document = ingest(second_path)
    result = extract(document)
    diff = store.write_results(second, document, result.records, [], "v1", None,
                               result.sentences, result.misses)
    assert diff.version_of == registration.document_id

    [current] = store.current_versions()
    assert current.document_id == registration.document_id and current.sha256 == second.sha256
    assert current.name == "paper-v2.txt" and store.paths() == {registration.document_id: str(second_path)}
    after = review.items()
    assert {i.document_id for i in after} == {registration.document_id}
    assert all(i.record.document_sha256 == second.sha256 for i in after)
    decided_after = [i for i in after if i.status != "pending"]
    assert not [i for i in after if i.status == "orphaned"]
    assert {_key(i) for i in decided_after} == decided
    assert {_key(i) for i in decided_after if not i.flagged} == standing
    flagged = [i for i in decided_after if i.flagged]
    assert flagged and all(i.flag_reason == "sentence changed: re-check" for i in flagged)
    assert all("large drills" in i.record.evidence.text for i in flagged)

    # the earlier file is the earlier version (its bytes kept): reprocess --changed follows the
    # new file only
    assert [j.sha256 for j in plan_reprocess(store).jobs] == [second.sha256]
    assert len(store.current_versions()) == 1 and store.content(registration.sha256) == PAPER.encode()


def test_near_copies_kept_side_by_side_are_two_documents(tmp_path):
    """A revision kept next to the file it revises is a document of its own (as the varied
    copies of a batch are): both stay, each with its own records and decisions."""
    first_path, second_path = tmp_path / "paper-v1.txt", tmp_path / "paper-v2.txt"
    first_path.write_text(PAPER)
    second_path.write_text(REVISED)
    store = Store(str(tmp_path / "store.db"))
    first, second = _process(store, first_path), _process(store, second_path)
    assert first.document_id != second.document_id and len(store.current_versions()) == 2


def test_a_pdf_of_the_paper_stays_a_second_source(tmp_path):
    """Another media type with mostly the same text: one paper with two sources, two documents,
    each reviewed on its own."""
    from .conftest import make_pdf

    text_path = tmp_path / "paper.txt"
    text_path.write_text(PAPER)
    store = Store(str(tmp_path / "store.db"))
    text_doc = _process(store, text_path).document_id
    pdf_path = make_pdf(tmp_path / "paper.pdf", [[(72, 72 + 14 * n, s if s.endswith(".") else s + ".")
                                                  for n, s in enumerate(PAPER.split(". "))]])
    pdf_doc = _process(store, pdf_path).document_id
    assert pdf_doc != text_doc and len(store.current_versions()) == 2
    review = Review(store)
    assert review.papers()[pdf_doc] == review.papers()[text_doc]
    for item in review.items(document="paper.txt"):
        review.decide(item.id, "accept", "ana", 0)
    assert review.items(document="paper.pdf")
    assert all(i.status == "pending" for i in review.items(document="paper.pdf"))
