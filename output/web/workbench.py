"""The review workbench routes: the list's quick decisions (JSON for the page's own fetch
calls), bulk decisions, undo, notes, misses answered, the document with its records marked,
the quality page and the corpus-wide actors page.

Every fetch call of the page sends `X-Briefex: fetch` and gets JSON back; a plain form post
gets a redirect, so each action also works without JavaScript. State changes stay POSTs under
app.py's same-origin check.
"""
from __future__ import annotations

import urllib.parse

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from briefex.output import quality as q
from briefex.output.review import Item, Review, ReviewError


def fetched(request: Request) -> bool:
    """A call from the page's own script, which wants JSON rather than a new page."""
    return request.headers.get("x-briefex") == "fetch"


def state(item: Item) -> dict:
    return {"id": item.id, "status": item.status, "version": item.version, "reason": item.reason or "",
            "flagged": item.flagged}


def _back(target: str) -> RedirectResponse:
    return RedirectResponse(target if target.startswith("/") and not target.startswith("//") else "/",
                            status_code=303)


def _failure(request: Request, exc: ReviewError, render, back: str):
    status = 409 if exc.code == "E301" else 422
    if fetched(request):
        return JSONResponse({"error": exc.cause}, status_code=status)
    return render(request, "message.html", status_code=status, message=exc.cause, back=back)


def segments(review: Review, document_id: str, text: str, pages: list, misses: list) -> list[dict]:
    """The document text cut where a page, a record's words or a miss begins or ends: each
    piece with its offset (for selections), the records covering it and the page starting there."""
    marks = []
    for item in review.items(document=document_id):
        ev = item.record.evidence
        start, end = (ev.span_start, ev.span_end) if ev.span_start is not None else (ev.start, ev.end)
        if item.status != "orphaned" and 0 <= start < end <= len(text):
            marks.append((start, end, item))
    page_at = {p["start"]: p["number"] for p in pages}
    miss_at = {m["start"] for m in misses}
    cuts = sorted({0, len(text), *page_at, *miss_at, *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [item for s, e, item in marks if s <= a and e >= b]
        pieces.append({"start": a, "text": text[a:b], "page": page_at.get(a), "miss": a in miss_at,
                       "records": covering})
    return pieces


def add_routes(app: FastAPI, review: Review, render, who) -> None:
    """Register the workbench routes on the review app (called once from create_app)."""

    @app.post("/records/bulk")
    async def bulk(request: Request):
        form = await request.form()
        pairs = []
        for value in form.getlist("ids"):
            record_id, _, version = str(value).partition(":")
            pairs.append((record_id, int(version or 0)))
        reason = "; ".join(r for r in (str(form.get("reason", "")).strip(),
                                       str(form.get("reason_text", "")).strip()) if r)
        try:
            done, refused = review.decide_many(pairs, str(form.get("action", "")),
                                               who(request, form.get("reviewer_name")), reason)
        except ReviewError as exc:
            return _failure(request, exc, render, "/records")
        if fetched(request):
            return JSONResponse({"decided": [state(i) for i in done], "refused": refused},
                                status_code=200 if not refused else 409)
        return _back("/records?" + str(form.get("back", "")))

    @app.post("/undo")
    async def undo(request: Request):
        form = await request.form()
        try:
            record_id = review.undo(who(request, form.get("reviewer_name")))
        except ReviewError as exc:
            return _failure(request, exc, render, "/records")
        if fetched(request):
            try:
                return JSONResponse(state(review.item(record_id)))
            except ReviewError:   # an added record taken back is gone
                return JSONResponse({"id": record_id, "status": "gone", "version": 0, "reason": ""})
        return _back(f"/records/{record_id}")

    @app.post("/records/{record_id}/note")
    async def note(request: Request, record_id: str):
        form = await request.form()
        try:
            review.set_note(record_id, str(form.get("note", "")), who(request, form.get("reviewer_name")))
        except ReviewError as exc:
            return _failure(request, exc, render, f"/records/{record_id}")
        back = urllib.parse.quote(str(form.get("back", "")))
        return _back(f"/records/{record_id}?from={back}")

    @app.post("/misses/decision")
    async def miss_decision(request: Request):
        form = await request.form()
        try:
            q.dismiss(review, str(form.get("document_id", "")), int(form.get("start", -1)),
                      int(form.get("end", -1)), who(request, form.get("reviewer_name")),
                      undo=form.get("action") == "reopen")
        except (ReviewError, ValueError) as exc:
            message = exc if isinstance(exc, ReviewError) else ReviewError("E303", reason=str(exc))
            return _failure(request, message, render, "/misses")
        return _back("/misses?" + str(form.get("back", "")))

    @app.get("/quality")
    def quality_page(request: Request):
        return render(request, "quality.html", quality=q.quality(review))

    @app.get("/actors")
    def actors_page(request: Request):
        return render(request, "actors.html", actors=review.actors())

    @app.post("/actors/rename")
    async def rename_actor(request: Request):
        form = await request.form()
        try:
            count = review.rename_actor(str(form.get("name", "")), str(form.get("new_name", "")),
                                        str(form.get("type", "")) or None,
                                        who(request, form.get("reviewer_name")))
        except ReviewError as exc:
            return _failure(request, exc, render, "/actors")
        if fetched(request):
            return JSONResponse({"changed": count})
        return _back("/actors")
