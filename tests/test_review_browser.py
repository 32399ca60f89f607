"""The review page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""
from __future__ import annotations

from briefex.output.review import Review
from briefex.pipeline.batch import plan_reprocess, run


def test_review_in_a_real_browser(served, page):
    store, url = served
    review = Review(store)
    page.goto(url + "/")
    assert page.locator("text=000_867b3136689200c6.txt").count() == 1

    page.goto(url + "/records")
    page.select_option("select[name=kind]", "figure")
    page.click("#filter")
    kinds = page.locator("tr[data-id] td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"figure"}

    first_id = page.locator("tr[data-id]").first.get_attribute("data-id")
    page.keyboard.press("j")                                   # select the first row
    with page.expect_navigation():
        page.keyboard.press("e")                               # open it
    assert f"/records/{first_id}" in page.url
    with page.expect_navigation():
        page.keyboard.press("a")                               # accept, and go on to the next
    assert review.item(first_id).status == "accepted" and review.item(first_id).reviewer == "ana"

    target = next(i for i in review.items(kind="figure") if i.status == "pending")
    page.goto(f"{url}/records/{target.id}")
    page.fill("#f-value", "-5")
    with page.expect_navigation():
        page.click("#save")
    assert "not a finite non-negative number" in page.locator("#error").inner_text()
    assert review.item(target.id).status == "pending"
    page.fill("#f-value", "42")
    with page.expect_navigation():
        page.click("#save")
    assert page.locator("#status").inner_text() == "edited"

    summary = run(store, plan_reprocess(store, "all", force=True), "reprocess --force")
    assert summary.documents == 2
    assert review.item(first_id).status == "accepted"
    kept = review.item(target.id)
    assert kept.status == "edited" and kept.record.value == 42
    page.goto(f"{url}/records?status=edited")
    assert page.locator(f"tr[data-id='{target.id}']").count() == 1


def test_document_text_with_script_tags_renders_inert(served, page):
    store, url = served
    review = Review(store)
    document_id = next(d for d, name, _ in review.document_counts() if name == "hostile.txt")
    page.goto(f"{url}/documents/{document_id}")
    assert "<script>window.pwned = 1</script>" in page.locator("#doctext").inner_text()
    record = next(i for i in review.items(document=document_id, kind="event"))
    page.goto(f"{url}/records/{record.id}")
    assert "<img src=x onerror" in page.locator("#sentence").inner_text()
    page.goto(f"{url}/records?document={document_id}")
    page.goto(f"{url}/misses")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#doctext img, #sentence img, #sentence script").count() == 0
