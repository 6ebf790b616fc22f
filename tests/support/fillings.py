"""Random and edge-case fillings of the self-assessment, for parity tests."""

from __future__ import annotations

import random

from lga_xl.maturity import Edition
from lga_xl.rating import STATUSES, LevelCount, Status, count_levels, rate


def random_answers(rng: random.Random, model: Edition) -> dict[str, str]:
    """Statuses for every scored element, with a per-level bias so that
    complete levels, half-achieved levels and blanks all turn up often."""
    answers = {}
    for strand in model.strand_names:
        for level in ("Developing", "Maturing", "Mature"):
            mode = rng.choice(["complete", "mostly", "half", "few", "blank", "mixed", "na-heavy"])
            for element in (e for e in model.scored_elements if e.strand == strand and e.level == level):
                answers[element.id] = _pick(rng, mode)
    return {k: v for k, v in answers.items() if v is not None}


def _pick(rng: random.Random, mode: str) -> str | None:
    if mode == "complete":
        return rng.choice(["Achieved"] * 6 + ["Not applicable"])
    if mode == "mostly":
        return rng.choice(["Achieved"] * 3 + ["In progress"])
    if mode == "half":
        return rng.choice(["Achieved", "Not started"])
    if mode == "few":
        return rng.choice(["Achieved", None, "Not started", "In progress", "In progress"])
    if mode == "blank":
        return None
    if mode == "na-heavy":
        return rng.choice(["Not applicable"] * 3 + ["Achieved"])
    return rng.choice([*STATUSES, None])


def edge_case_answers(model: Edition) -> dict[str, dict[str, str]]:
    """Named fillings covering the rule's corners, for every strand at once."""
    scored = model.scored_elements

    def by_level(**statuses: list[str | None] | str | None) -> dict[str, str]:
        # statuses: level -> one status for all, or a list (cycled) per element
        out = {}
        for strand in model.strand_names:
            for level, value in statuses.items():
                level_name = level.capitalize()
                elements = [e for e in scored if e.strand == strand and e.level == level_name]
                for i, element in enumerate(elements):
                    status = value[i % len(value)] if isinstance(value, list) else value
                    if status is not None:
                        out[element.id] = status
        return out

    all_na_but_one = {e.id: "Not applicable" for e in scored}
    for strand in model.strand_names:
        first = next(e for e in scored if e.strand == strand)
        all_na_but_one[first.id] = "Achieved"
    return {
        "all-blank": {},
        "all-achieved": {e.id: "Achieved" for e in scored},
        "all-not-applicable": {e.id: "Not applicable" for e in scored},
        "all-na-but-one": all_na_but_one,
        "early-plus-half": by_level(developing=["Achieved", "Achieved", "Achieved", "Not started"]),
        "early-plus-spread": by_level(developing=["Achieved", None, None, None, None], maturing=["Achieved", None, None, None, None, None, None]),
        "developing-plus-half": by_level(developing="Achieved", maturing=["Achieved", "Not started"]),
        "developing-plus-spread": by_level(developing="Achieved", maturing=["Achieved"] + [None] * 6, mature=["Achieved"] + [None] * 8),
        "developing-exactly": by_level(developing="Achieved", maturing=["Achieved", None, None, None, None, None, None]),
        "maturing-plus": by_level(developing="Achieved", maturing="Achieved", mature=["Achieved", "Achieved", "In progress"]),
        "maturing-over-open-developing": by_level(developing=["Achieved", "In progress"], maturing="Achieved"),
        "mature-over-nothing": by_level(mature="Achieved"),
        "mature-with-na": by_level(developing="Achieved", maturing="Not applicable", mature=["Achieved", "Not applicable"]),
    }


def python_ratings(model: Edition, answers: dict[str, str]) -> dict[str, tuple[str, float, list[LevelCount]]]:
    """Strand -> (label, score, counts) straight from the pure rule."""
    out = {}
    for strand in model.strand_names:
        pairs = [(e.level, Status(answers[e.id]) if e.id in answers else None)
                 for e in model.scored_elements if e.strand == strand]
        counts = count_levels(pairs)
        rating = rate(counts)
        out[strand] = (rating.label, rating.score, counts)
    return out
