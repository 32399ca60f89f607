"""Extracted records (actors, events, figures) and the evidence that makes each traceable.

Field names follow the export contract in ``../shared/eval/README.md``: every record carries
``kind``, ``document`` and ``evidence`` (``text``, ``start``, ``end``); the rest is per kind.
"""
from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

ActorType = Literal["state", "organisation", "person", "military", "other"]
EventType = Literal["agreement", "exercise", "arms_transfer", "meeting", "statement",
                    "organisation", "military", "political", "other"]
DatePrecision = Literal["day", "month", "season", "year", "decade", "range", "unresolved"]

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _iso_date(value: str) -> str:
    if not ISO_DATE.match(value):
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


IsoDate = Annotated[str, AfterValidator(_iso_date)]


class Evidence(BaseModel):
    """The sentence a record was read from, as offsets into the document's clean text."""

    text: str = Field(description="the whole sentence, as the pipeline's clean text has it")
    start: int = Field(ge=0, description="character offset of the sentence in the document text")
    end: int = Field(ge=0)
    page: int | None = Field(default=None, ge=1)
    sentence: int = Field(ge=0, description="index of the sentence in the document")
    span_start: int | None = Field(default=None, ge=0,
                                   description="offset of the words that triggered the record")
    span_end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _offsets_in_order(self) -> Evidence:
        if self.end < self.start or self.end - self.start != len(self.text):
            raise ValueError(f"evidence offsets {self.start}..{self.end} do not fit its text "
                             f"({len(self.text)} characters)")
        if self.span_start is not None and self.span_end is not None:
            if not (self.start <= self.span_start <= self.span_end <= self.end):
                raise ValueError("the triggering span lies outside its sentence")
        return self


class RecordBase(BaseModel):
    """Provenance every record shares: which document, which sentence, which rule or model."""

    id: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$",
                           description="stable id from document content, kind, value or date, span")
    document: str = Field(description="base name of the source file")
    document_id: str | None = Field(default=None, description="the store's document id, set when stored")
    document_sha256: str | None = None
    evidence: Evidence
    extractor: str = Field(description="stable rule name or model name and version")
    confidence: float = Field(ge=0.0, le=1.0)
    pipeline_version: str | None = None


class Mention(BaseModel):
    """One place a document names an actor: the words and the sentence they stand in, as
    character offsets into the document's clean text."""

    text: str = Field(description="the words, e.g. Beijing for China")
    start: int = Field(ge=0, description="offset of the words in the document text (characters)")
    end: int = Field(ge=0)
    sentence_start: int = Field(ge=0, description="offset of the sentence holding them (characters)")
    sentence_end: int = Field(ge=0)
    page: int | None = Field(default=None, ge=1)


class Actor(RecordBase):
    """One record per canonical actor and document: its first mention is the evidence, and
    `mentions` lists every place the document names it, so a reviewer decides the actor once."""

    kind: Literal["actor"] = "actor"
    name: str = Field(min_length=1, description="canonical name, e.g. China, Vladimir Putin")
    type: ActorType
    mention: str = Field(description="the words in the text, e.g. Beijing for China")
    mentions: list[Mention] = Field(default=[], description="every mention in the document, first "
                                                            "included; empty in records made before")


class Event(RecordBase):
    kind: Literal["event"] = "event"
    date: IsoDate | None = Field(description="ISO date as precise as the text; None when unresolved")
    date_end: IsoDate | None = None
    precision: DatePrecision
    date_text: str = Field(description="the temporal expression as written")
    date_reason: str = Field(description="how the date was resolved")
    event_type: EventType
    trigger: str | None = None
    type_pattern: str | None = Field(default=None, description="the verb pattern or noun that gave the type")
    actors: list[str] = []
    actors_inferred: bool = Field(default=False, description="some actors are not named in the sentence")
    actors_reason: str | None = Field(default=None, description="why actors were added that the sentence "
                                                                "does not name")
    location: str | None = None
    cluster: str | None = Field(default=None, description="shared by records of the same happening")

    @model_validator(mode="after")
    def _range_in_order(self) -> Event:
        if self.date_end is not None and (self.date is None or self.date_end < self.date):
            raise ValueError(f"date_end {self.date_end} comes before date {self.date}")
        if (self.date is None) != (self.precision == "unresolved"):
            raise ValueError("a date is unresolved exactly when it has no value")
        return self


class Figure(RecordBase):
    kind: Literal["figure"] = "figure"
    value: float
    value_max: float | None = None
    unit: str = Field(min_length=1, description="USD, percent, troops, tanks, ...")
    qualifier: str | None = Field(default=None, description="over, around, up to, nearly, ...")
    counts: str | None = Field(default=None, description="what the number counts or measures")
    date: IsoDate | None = None
    text: str = Field(description="the figure as written")

    @field_validator("value", "value_max")
    @classmethod
    def _finite_non_negative(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError(f"{value} is not a finite non-negative number")
        return value

    @model_validator(mode="after")
    def _range_in_order(self) -> Figure:
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} is below value {self.value}")
        return self


Record = Annotated[Actor | Event | Figure, Field(discriminator="kind")]
