"""Typed results of reading workbooks (pydantic models at the edges).

``lga-xl read --json`` prints exactly ``model.model_dump(mode="json")``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from .issues import Issue, has_errors


class LevelCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: str
    elements: int
    achieved: int
    in_progress: int
    not_started: int
    not_applicable: int
    unanswered: int

    @property
    def applicable(self) -> int:
        return self.elements - self.not_applicable


class StrandRating(BaseModel):
    model_config = ConfigDict(frozen=True)

    strand: str
    current: str
    score: float
    target: str | None
    target_score: float | None
    gap: float | None  # target score minus current score
    plus_rule: str | None  # "half", "spread" or None
    levels: list[LevelCounts]


class ElementAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    strand: str
    level: str
    status: str | None
    evidence: str | None
    cell: str  # where the status is, e.g. "E7" on the Assessment sheet


class SelfAssessment(BaseModel):
    """A self-assessment read back, every rating recomputed from the statuses."""

    kind: str = "self-assessment"
    file: str
    template_version: str
    edition: str
    organisation: str | None
    org_type: str | None
    region: str | None
    assessment_type: str | None
    assessor: str | None
    assessment_date: dt.date | None
    overall_score: float
    strands: list[StrandRating]
    elements: list[ElementAnswer]
    issues: list[Issue]

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)
