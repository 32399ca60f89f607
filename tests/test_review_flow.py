"""The review workbench in headless Chromium: the list's keyboard flow, bulk decisions, undo,
reject reasons, records marked in the text, snapping, misses, timeline zoom, 1024 px layout."""
from __future__ import annotations

from playwright.sync_api import expect

from briefex.output.review import Review


def test_keyboard_flow_bulk_and_undo(served, page):
    store, url = served
    review = Review(store)
    page.goto(url + "/records?kind=figure")
    rows = page.locator("tr[data-id]")
    ids = [rows.nth(i).get_attribute("data-id") for i in range(4)]
    page.keyboard.press("j")
    page.keyboard.press("a")                                   # decides row 1, moves to row 2
    expect(rows.nth(0).locator(".status")).to_have_text("accepted")
    expect(rows.nth(1)).to_have_class("current")
    page.select_option("#reason", "wrong value")
    page.keyboard.press("r")
    expect(rows.nth(1).locator(".status")).to_have_text("rejected")
    expect(rows.nth(1).locator(".reason-shown")).to_have_text("wrong value")
    assert review.item(ids[1]).reason == "wrong value" and page.url.endswith("/records?kind=figure")
    page.keyboard.press("x")                                   # row 3 into the selection
    page.keyboard.press("j")
    page.keyboard.press("x")                                   # row 4 too
    page.keyboard.press("A")
    expect(rows.nth(3).locator(".status")).to_have_text("accepted")
    assert [review.item(i).status for i in ids] == ["accepted", "rejected", "accepted", "accepted"]
    page.keyboard.press("u")                                   # the last decision: row 4
    expect(rows.nth(3).locator(".status")).to_have_text("pending")
    assert review.item(ids[3]).status == "pending" and review.item(ids[2]).status == "accepted"


def test_records_in_the_text_misses_timeline_and_narrow_layout(served, page):
    store, url = served
    review = Review(store)
    document_id = next(d for d, name, _ in review.document_counts() if name.startswith("000_"))
    page.goto(f"{url}/documents/{document_id}")
    assert page.locator("#doctext .rec.k-event").count() > 5 and page.locator(".pagebreak").count() >= 1
    page.select_option("#kind", "figure")
    assert page.locator("input[name=unit]").is_visible() and not page.locator("input[name=date]").is_visible()
    start = page.evaluate("""() => {                         // select from the middle of a word
        const span = [...document.querySelectorAll('#doctext span[data-o]')].find((s) => s.textContent.length > 40);
        const node = span.firstChild, text = node.textContent, i = text.search(/[A-Za-z]{5}/) + 2;
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 3);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        return Number(span.dataset.o) + i; }""")
    page.wait_for_function("document.getElementById('start').value !== ''")
    text, *_ = review.document_text(document_id)
    snapped = int(page.input_value("#start")), int(page.input_value("#end"))
    assert snapped[0] < start and text[snapped[0] - 1].isspace() and text[snapped[1]].isalnum() is False
    page.evaluate("getSelection().removeAllRanges()")
    mark = page.locator("#doctext .rec.k-figure").first
    target = mark.get_attribute("data-ids").split(" ")[0]
    with page.expect_navigation():
        mark.click()
    assert page.url.endswith(f"/records/{target}")

    page.goto(url + "/misses")
    total = page.locator("tr[data-miss]").count()
    assert total > 0 and "#o-" in page.locator("a.open-miss").first.get_attribute("href")
    with page.expect_navigation():
        page.locator("button.dismiss").first.click()
    assert page.locator("tr[data-miss]").count() == total - 1 and "dismissed (1)" in page.inner_text("#miss-counts")

    for item in review.items(document=document_id, kind="event")[:12]:
        review.decide(item.id, "accept", "ana", item.version)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(url + "/timeline?actor=China;Russia")
    assert page.locator("text.lane").all_text_contents() == ["China", "Russia"]
    for zoom in ("decades", "years", "months"):
        page.click(f"#zoom-{zoom}")
        assert page.get_attribute("#timeline-svg", "data-zoom") == zoom
        boxes = page.evaluate("[...document.querySelectorAll('text.tick')].map((t) => t.getBBox()).map((b) => [b.x, b.x + b.width])")
        assert len(boxes) > 2 and all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:]))
    page.goto(url + "/records")
    widths = page.evaluate("[...document.querySelectorAll('button')].map((b) => b.getBoundingClientRect().right)")
    assert max(widths) <= 1024 and page.evaluate("document.documentElement.scrollWidth") <= 1024
