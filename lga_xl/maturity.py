"""The Apprenticeships Maturity Model as data: editions, strands, elements.

An edition is a JSON file in ``lga_xl/editions/`` (the LGA's 2017 model is
``lga-2017.json``); another edition, such as the LGA's 2023 revision or the
NHS version, is added as another file, not as code.  Element IDs are
``<strand code>-<level code><n>`` (``LC-D1``, ``EN-MA6``), numbered in the
seed's order within each strand and level.

Example:
    >>> model = load_edition()
    >>> model.edition, len(model.elements), len(model.scored_elements)
    ('LGA 2017', 103, 83)
    >>> model.element("LC-D1").text
    'Secured basic political and senior leadership support'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .rating import LEVELS

DEFAULT_EDITION = "lga-2017"


@dataclass(frozen=True)
class Element:
    id: str
    strand: str
    level: str
    text: str
    scored: bool


@dataclass(frozen=True)
class Strand:
    code: str
    name: str


@dataclass(frozen=True)
class Edition:
    key: str
    edition: str
    title: str
    strands: tuple[Strand, ...]
    elements: tuple[Element, ...]  # strand order, then level order, then seed order
    # Derived once: readers look these up for every row of every return.
    scored_elements: tuple[Element, ...] = field(init=False, compare=False, repr=False)
    strand_names: tuple[str, ...] = field(init=False, compare=False, repr=False)
    _by_id: dict[str, Element] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scored_elements", tuple(e for e in self.elements if e.scored))
        object.__setattr__(self, "strand_names", tuple(s.name for s in self.strands))
        object.__setattr__(self, "_by_id", {e.id: e for e in self.elements})

    def element(self, element_id: str) -> Element:
        return self._by_id[element_id]

    def has_element(self, element_id: str) -> bool:
        return element_id in self._by_id


def available_editions() -> list[str]:
    """Keys of the editions shipped with the package.

    Example:
        >>> "lga-2017" in available_editions()
        True
    """
    folder = resources.files("lga_xl") / "editions"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def load_edition(key: str = DEFAULT_EDITION) -> Edition:
    """Load a model edition by key (``lga-2017``) or by name (``LGA 2017``).

    Example:
        >>> load_edition("LGA 2017").key
        'lga-2017'
    """
    for edition in _all_editions():
        if key in (edition.key, edition.edition):
            return edition
    raise ValueError(f"unknown model edition {key!r}; available: {', '.join(available_editions())}")


@cache
def _all_editions() -> tuple[Edition, ...]:
    folder = resources.files("lga_xl") / "editions"
    return tuple(_build(json.loads((folder / f"{key}.json").read_text("utf-8"))) for key in available_editions())


def _build(data: dict) -> Edition:
    level_names = tuple(level["name"] for level in data["levels"])
    if level_names != LEVELS:
        # The rating rule and the workbook formulas are written for these four levels.
        raise ValueError(f"edition {data['key']} has levels {level_names}; lga_xl rates {LEVELS}")
    elements = []
    for strand in data["strands"]:
        for level in data["levels"]:
            for n, text in enumerate(strand["elements"][level["code"]], start=1):
                elements.append(
                    Element(
                        id=f"{strand['code']}-{level['code']}{n}",
                        strand=strand["name"],
                        level=level["name"],
                        text=text,
                        scored=level["scored"],
                    )
                )
    return Edition(
        key=data["key"],
        edition=data["edition"],
        title=data["title"],
        strands=tuple(Strand(s["code"], s["name"]) for s in data["strands"]),
        elements=tuple(elements),
    )
