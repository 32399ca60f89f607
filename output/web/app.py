"""The review web app: FastAPI and Jinja2 (autoescaped), served on 127.0.0.1 by `briefex review`.

Pages read only the store. State changes are POSTs whose Origin (or Referer) must be this
app's own address, so another site cannot make a reviewer's browser decide anything. Every
decision form carries the version the reviewer saw; a save made stale by someone else is
refused with a message, never applied over their decision.
"""
from __future__ import annotations

import html
import urllib.parse
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from briefex.models.records import EventType
from briefex.output.quality import miss_states
from briefex.output.review import (
    EDITABLE,
    REJECT_REASONS,
    STATUSES,
    Review,
    ReviewError,
    field_value,
    readable,
)
from briefex.output.revisions import word_diff
from briefex.output.store import Store
from briefex.output.web import security
from briefex.output.web.quarantine import add_quarantine_routes
from briefex.output.web.workbench import add_routes, fetched, segments, state

PAGE_SIZE = 50
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                        autoescape=select_autoescape(["html"], default=True))
EVENT_TYPES = list(EventType.__args__)
FILTERS = ("document", "kind", "status", "event_type", "actor", "date_from", "date_to", "q")


def highlight(text: str, offset: int, spans: list[tuple[int, int, str]]) -> str:
    """The sentence as HTML with spans marked; every piece of document text is escaped."""
    out, cursor = [], 0
    for start, end, css in sorted((s - offset, e - offset, c) for s, e, c in spans if s is not None):
        if start < cursor or start < 0 or end > len(text):
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f'<mark class="{html.escape(css)}">{html.escape(text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def create_app(db_url: str | None = None, reviewer: str | None = None, hosts: list[str] | None = None,
               token: str | None = None) -> FastAPI:
    """`hosts`: the host:port addresses the server is bound to; other Host headers get 400.
    `token`: when set, every request must carry it (security.check_token); None on loopback."""
    store = Store(db_url)
    review = Review(store)
    app = FastAPI(title="briefex review", docs_url=None, redoc_url=None, openapi_url=None)

    def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
        context.update(request=request, reviewer=request.cookies.get("reviewer") or reviewer or "",
                       statuses=STATUSES, event_types=EVENT_TYPES, describe=readable,
                       reject_reasons=REJECT_REASONS)
        return HTMLResponse(TEMPLATES.get_template(template).render(**context), status_code=status_code)

    @app.middleware("http")
    async def same_origin_posts(request: Request, call_next):
        if request.method not in ("GET", "HEAD"):
            source = request.headers.get("origin") or request.headers.get("referer") or ""
            own = f"{request.url.scheme}://{request.headers.get('host', '')}"
            if not source or not (source == own or source.startswith(own + "/")):
                return Response("cross-origin request refused", status_code=403)
        return await call_next(request)

    def who(request: Request, form_value: str | None) -> str:
        return (form_value or request.cookies.get("reviewer") or reviewer or "").strip()

    @app.get("/", response_class=HTMLResponse)
    def documents(request: Request):
        papers, names = review.papers(), review.document_names()
        sources = {d: [o for o, paper in papers.items() if paper == papers[d] and o != d] for d in papers}
        return render(request, "documents.html", documents=review.document_counts(), sources=sources, names=names)

    @app.get("/records", response_class=HTMLResponse)
    def record_list(request: Request, page: int = 1):
        filters = {k: request.query_params.get(k) or None for k in FILTERS}
        items = review.items(**_item_filters(filters))
        pages = max(1, -(-len(items) // PAGE_SIZE))
        page = min(max(1, page), pages)
        query = urllib.parse.urlencode({k: v for k, v in filters.items() if v})
        shown, texts = items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], {}
        return render(request, "records.html", items=shown, total=len(items), page=page, pages=pages,
                      filters=filters, query=query, documents=review.document_names(),
                      mentions={i.id: _marked(review.mentions(i, texts)) for i in shown if i.kind == "actor"})

    @app.get("/records/{record_id}/mentions")
    def record_mentions(record_id: str):
        """An actor record's mentions as JSON: one row per actor and document, every mention in it."""
        item = review.item(record_id)
        if item.kind != "actor":
            return JSONResponse({"error": f"{record_id} is a {item.kind}, not an actor"}, status_code=404)
        found = review.mentions(item)
        return JSONResponse({"id": item.id, "name": item.record.name, "type": item.record.type,
                             "status": item.status, "document": item.document, "count": len(found),
                             "first_evidence": item.record.evidence.text, "mentions": found})

    def detail(request: Request, record_id: str, error: str | None = None, status_code: int = 200,
               form: dict | None = None):
        item = review.item(record_id)
        text, pages, sentences, _ = review.document_text(item.document_id)
        ev = item.record.evidence
        index = next((i for i, (a, b) in enumerate(sentences) if a == ev.start), None)
        before = text[sentences[index - 1][0]:sentences[index - 1][1]] if index else ""
        after = text[sentences[index + 1][0]:sentences[index + 1][1]] if index is not None and index + 1 < len(sentences) else ""
        spans = [(ev.span_start, ev.span_end, "trigger")]
        query = request.query_params.get("from") or ""
        ids = [i.id for i in review.items(**_item_filters(dict(urllib.parse.parse_qsl(query))))]
        position = ids.index(record_id) if record_id in ids else None
        neighbours = (ids[position - 1] if position else None,
                      ids[position + 1] if position is not None and position + 1 < len(ids) else None)
        return render(request, "record.html", status_code=status_code, item=item,
                      mentions=_marked(review.mentions(item)) if item.kind == "actor" else [],
                      sentence=highlight(ev.text, ev.start, spans), before=before, after=after,
                      fields=item.record.model_dump(mode="json"), editable=EDITABLE[item.kind],
                      form=form or {}, error=error, history=review.changes(record_id),
                      neighbours=neighbours, back=query,
                      diff=word_diff(item.previous_text, ev.text) if item.previous_text else None)

    @app.get("/records/{record_id}", response_class=HTMLResponse)
    def record_page(request: Request, record_id: str):
        try:
            return detail(request, record_id)
        except ReviewError as exc:
            return render(request, "message.html", status_code=404, message=exc.cause)

    @app.post("/records/{record_id}/decision")
    def decide(request: Request, record_id: str, action: str = Form(...), version: int = Form(...),
               reviewer_name: str = Form(""), back: str = Form(""), next_id: str = Form(""),
               reason: str = Form(""), reason_text: str = Form("")):
        try:
            item = review.decide(record_id, action, who(request, reviewer_name), version,
                                 "; ".join(r for r in (reason.strip(), reason_text.strip()) if r))
        except ReviewError as exc:
            if fetched(request):
                return JSONResponse({"error": exc.cause}, status_code=409 if exc.code == "E301" else 422)
            return detail(request, record_id, error=exc.cause, status_code=409 if exc.code == "E301" else 422)
        if fetched(request):
            return JSONResponse(state(item))
        target = next_id or record_id
        return RedirectResponse(f"/records/{target}?from={urllib.parse.quote(back)}", status_code=303)

    @app.post("/records/{record_id}/edit")
    async def edit(request: Request, record_id: str):
        form = dict(await request.form())
        item = review.item(record_id)
        changes = {}
        for name in EDITABLE[item.kind]:
            if name in form:
                changes[name] = field_value(name, form[name])
        try:
            security.check_changes(item.kind, changes, EDITABLE)
            review.edit(record_id, changes, who(request, form.get("reviewer_name")),
                        security.form_int(form, "version", "the version the page was opened at"))
        except ReviewError as exc:
            return detail(request, record_id, error=exc.cause, form=form,
                          status_code=409 if exc.code == "E301" else 422)
        return RedirectResponse(f"/records/{record_id}?from={urllib.parse.quote(form.get('back', ''))}",
                                status_code=303)

    def document_view(request: Request, document_id: str, status_code: int = 200, **context):
        text, pages, _, misses = review.document_text(document_id)
        return render(request, "document.html", status_code=status_code, document_id=document_id,
                      name=review.document_names().get(document_id, document_id), text=text, pages=pages,
                      pieces=segments(review, document_id, text, pages, misses), editable=EDITABLE,
                      **context)

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    def document_page(request: Request, document_id: str):
        try:
            return document_view(request, document_id)
        except ReviewError as exc:
            return render(request, "message.html", status_code=404, message=exc.cause)

    @app.post("/documents/{document_id}/records")
    async def add_record(request: Request, document_id: str):
        form = dict(await request.form())
        kind = form.get("kind", "")
        fields = {k: field_value(k, v) for k, v in form.items() if k in EDITABLE.get(kind, []) and v != ""}
        try:
            security.check_changes(kind, fields, EDITABLE)
            span = "select the words of the record in the text first"
            item = review.add(document_id, kind, security.form_int(form, "start", span),
                              security.form_int(form, "end", span), fields, who(request, form.get("reviewer_name")))
        except (ReviewError, ValueError, KeyError) as exc:
            message = exc.cause if isinstance(exc, ReviewError) else f"cannot add the record: {exc}"
            return document_view(request, document_id, status_code=422, error=message, form=form)
        return RedirectResponse(f"/records/{item.id}", status_code=303)

    @app.get("/misses", response_class=HTMLResponse)
    def misses(request: Request):
        document = request.query_params.get("document") or None
        shown = request.query_params.get("state") or "open"
        found = miss_states(review, document)
        counts = {s: sum(1 for m in found if m["state"] == s) for s in ("open", "dismissed", "converted")}
        return render(request, "misses.html", misses=[m for m in found if shown == "all" or m["state"] == shown],
                      document=document, counts=counts, shown=shown,
                      back=urllib.parse.urlencode({k: v for k, v in (("document", document), ("state", shown)) if v}))

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline(request: Request):
        actor = request.query_params.get("actor") or ""
        event_type = request.query_params.get("event_type") or None
        lanes = [a.strip() for a in actor.split(";") if a.strip()]
        events, figures = review.timeline(None, event_type)
        if lanes:
            events = [e for e in events if any(_names(lane, e.record.actors) for lane in lanes)]
        points = [{"id": e.id, "date": e.record.date, "date_end": e.record.date_end, "type": e.record.event_type,
                   "actors": e.record.actors, "text": e.record.evidence.text[:160],
                   "lanes": [lane for lane in lanes if _names(lane, e.record.actors)]} for e in events]
        return render(request, "timeline.html", events=events, figures=figures, actor=actor,
                      event_type=event_type or "", points=points, lanes=lanes)

    add_routes(app, review, render, who)

    @app.post("/reviewer")
    def set_reviewer(request: Request, name: str = Form(...), back: str = Form("/")):
        response = RedirectResponse(security.local_path(back), status_code=303)
        response.set_cookie("reviewer", name.strip(), samesite="strict", httponly=True)
        return response

    security.install(app, render, hosts, token)
    add_quarantine_routes(app, store, render)
    return app


def _marked(mentions: list[dict]) -> list[dict]:
    """Each mention with its sentence as HTML, the words marked (document text escaped)."""
    return [{**m, "html": highlight(m["sentence"], m["sentence_start"], [(m["start"], m["end"], "trigger")])}
            for m in mentions]


def _names(lane: str, actors: list[str]) -> bool:
    """An actor filter names the event's actor (case-insensitive part of the name)."""
    return any(lane.casefold() in a.casefold() for a in actors)


def _item_filters(values) -> dict:
    """Query parameters -> Review.items() keywords (the text search travels as `q`)."""
    return {("text" if k == "q" else k): values[k] for k in FILTERS if values.get(k)}
