"""The clean text of one source file, with the page map that keeps records traceable."""
from __future__ import annotations

import bisect
from typing import Literal

from pydantic import BaseModel, Field, model_validator

MediaType = Literal["application/pdf", "text/plain"]


class Block(BaseModel):
    """A part of a page read as a unit of its own: a text box or sidebar, or a table, as
    character offsets [start, end) into the clean text."""

    kind: Literal["text box", "table"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Page(BaseModel):
    """Where one source page lies in the clean text, as character offsets [start, end)."""

    number: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    blocks: list[Block] = Field(default_factory=list, description="text boxes and tables that start on this page")


class Note(BaseModel):
    """A footnote or endnote, kept out of the body text so it does not break sentences."""

    page: int = Field(ge=1)
    marker: str | None = None
    text: str


class IngestedDocument(BaseModel):
    """What every source reader returns, whatever the file type (the unstructured habit)."""

    path: str
    name: str = Field(description="base name of the source file, as the export contract wants it")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: MediaType
    text: str
    pages: list[Page]
    notes: list[Note] = []
    title: str | None = None
    publication_date: str | None = Field(
        default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="ISO date as precise as the document states it (2018, 2018-01, 2018-01-15)")
    encoding: str | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @model_validator(mode="after")
    def _pages_cover_text(self) -> "IngestedDocument":
        previous_end = 0
        for page in self.pages:
            if not (previous_end <= page.start <= page.end <= len(self.text)):
                raise ValueError(f"page {page.number} range {page.start}..{page.end} is out of order "
                                 f"or outside the text ({len(self.text)} characters)")
            previous_end = page.end
        return self

    def page_at(self, offset: int) -> int | None:
        """The page number holding a character offset, for provenance."""
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[i].number if i >= 0 else None
