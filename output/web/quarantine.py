"""The quarantine page: records that failed validation, with their reason, kind and evidence,
so what the extractor found but could not store is seen rather than silently kept aside."""
from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request

from briefex.output.store import Store


def add_quarantine_routes(app: FastAPI, store: Store, render: Callable) -> None:
    @app.get("/quarantine")
    def quarantine_page(request: Request):
        document = request.query_params.get("document") or None
        return render(request, "quarantine.html", rows=store.quarantined(document), document=document)
