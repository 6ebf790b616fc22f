"""Job roles in local government matched to apprenticeship standards.

Pure (standard library only), so it loads under xlwings Lite.  The rule, with
worked examples, is in docs/role-matching.md:

* a job title is reduced to the words that matter (:func:`normalise_title`):
  lower case, punctuation and plurals gone, common abbreviations written out
  (``Snr`` -> senior, ``Asst`` -> assistant, ``ICT`` -> it, ``TA`` -> teaching
  assistant), filler words and levels dropped; word order does not count;
* each standard is compared through its typical job titles, its keywords and
  its own title.  How well two sets of words agree is the share of each
  side's weight they have in common, multiplied together, where rarer words
  weigh more (a word's weight is log(1 + phrases / phrases containing it));
* a standard scores 3 x its best typical job title + 2 x its best keyword +
  1 x its title, shown as a percentage of the most it could score;
* retired and withdrawn standards are never suggested, nor, given a date,
  standards no start can be made on that day; the best three are returned,
  equal scores in reference order.

Example:
    >>> from decimal import Decimal
    >>> from lga_xl.standards import Standard
    >>> standards = [
    ...     Standard("ST0005", "Adult care worker", 2, Decimal("4500"), typical_job_titles=("Care worker",)),
    ...     Standard("ST0006", "Lead adult care worker", 3, Decimal("4000"),
    ...              typical_job_titles=("Senior care worker",)),
    ... ]
    >>> best = RoleMatcher(standards).suggest("Snr Care Worker (nights)")[0]
    >>> best.reference, best.reason
    ('ST0006', 'typical job title "Senior care worker" (senior, care, worker)')
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .standards import Standard

__all__ = ["KIND_WEIGHTS", "RoleMatcher", "Suggestion", "normalise_title", "suggest_standards"]

TYPICAL_JOB_TITLE = "typical job title"
KEYWORD = "keyword"
TITLE = "title"
KIND_WEIGHTS = {TYPICAL_JOB_TITLE: 3, KEYWORD: 2, TITLE: 1}
_KINDS = tuple(KIND_WEIGHTS)
_KIND_WEIGHT_LIST = tuple(KIND_WEIGHTS.values())
_JOB_TITLE_KIND, _KEYWORD_KIND, _TITLE_KIND = (_KINDS.index(kind) for kind in (TYPICAL_JOB_TITLE, KEYWORD, TITLE))
_SLOTS = len(_KINDS)  # a standard's phrases of one kind share a slot: standard index x 3 + kind index
MAX_SUGGESTIONS = 3

# Abbreviations and spellings as council job titles write them -> the words used here (singular).
_WORDS = {
    "asst": "assistant", "assist": "assistant", "ast": "assistant", "assis": "assistant",
    "mgr": "manager", "mngr": "manager", "manger": "manager", "mgmt": "management", "mgt": "management",
    "administrator": "admin", "administration": "admin", "administrative": "admin",
    "adminstrator": "admin", "personnel": "hr", "ict": "it", "snr": "senior", "sr": "senior", "jnr": "junior",
    "jr": "junior", "dept": "department", "svc": "service", "serv": "service", "tech": "technician",
    "techn": "technician", "eng": "engineer", "engr": "engineer", "dev": "developer", "coord": "coordinator",
    "ofr": "officer", "offr": "officer", "ops": "operation", "op": "operative", "maint": "maintenance",
    "prac": "practitioner", "practnr": "practitioner", "spec": "specialist", "adv": "adviser", "advisor": "adviser",
    "supvr": "supervisor", "supv": "supervisor", "dir": "director", "exec": "executive", "acct": "account",
    "fin": "finance", "cust": "customer", "comms": "communication", "mktg": "marketing", "env": "environmental",
    "enviro": "environmental", "hwy": "highway", "sch": "school", "yth": "youth", "rev": "revenue",
    "ben": "benefit", "lib": "library", "info": "information", "sys": "system", "prog": "programme",
    "program": "programme", "proj": "project", "organization": "organisation", "center": "centre",
    "behavior": "behaviour", "labor": "labour", "wkr": "worker",
}
_EXPANSIONS = {  # one word standing for several (singular, as every word is made singular first)
    "lsa": ("learning", "support", "assistant"), "ta": ("teaching", "assistant"), "tas": ("teaching", "assistant"),
    "hlta": ("higher", "teaching", "assistant"), "pa": ("personal", "assistant"), "ot": ("occupational", "therapist"),
    "eho": ("environmental", "health", "officer"), "asb": ("antisocial", "behaviour"), "tl": ("team", "leader"),
    "fm": ("facility", "management"), "dpo": ("data", "protection", "officer"), "ey": ("early", "year"),
    "ctax": ("council", "tax"), "nndr": ("business", "rate"),
}
_PHRASES = {  # several words standing for one, after splitting at hyphens and spaces
    ("human", "resource"): ("hr",), ("information", "technology"): ("it",),
    ("information", "and", "communication", "technology"): ("it",), ("co", "ordinator"): ("coordinator",),
    ("co", "ord"): ("coordinator",), ("re", "ablement"): ("reablement",), ("anti", "social"): ("antisocial",),
    ("on", "line"): ("online",), ("multi", "skilled"): ("multiskilled",),
}
_STOPWORDS = frozenset({
    "a", "an", "and", "the", "of", "for", "in", "to", "with", "at", "on", "or", "by", "level", "lvl", "grade",
    "band", "apprentice", "apprenticeship", "trainee", "degree", "integrated", "ft", "pt", "fte", "temp",
    "temporary", "permanent", "fixed", "term",
})
_NOISE = re.compile(r"^(\d+|l\d)$")  # numbers and levels written L3
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_title(text: str) -> tuple[str, ...]:
    """The words of a job title that matter for matching, in the spelling used here, first appearance first.

    Example:
        >>> normalise_title("Snr. HR Asst (Level 3) - Schools")
        ('senior', 'hr', 'assistant', 'school')
        >>> normalise_title("ICT Support Technicians") == normalise_title("IT support technician")
        True
    """
    raw = _NON_WORD.split(text.lower().replace("&", " and ").replace("'", "").replace("\u2019", ""))
    words = [_singular(word) for word in raw if word]
    words = _join_phrases(words)
    result: list[str] = []
    for word in words:
        for part in _EXPANSIONS.get(word, (_WORDS.get(word, word),)):
            if part not in _STOPWORDS and not _NOISE.match(part) and part not in result:
                result.append(part)
    return tuple(result)


@dataclass(frozen=True)
class Suggestion:
    """A standard suggested for a job title, and why.

    Attributes:
        reference: the standard's reference (``ST0005``).
        title: the standard's title.
        level: its level.
        status: its status (a standard still in development can be suggested
            when no date is given).
        score: 0 to 100, the share of the most a standard can score.
        matched_on: what matched best: ``typical job title``, ``keyword`` or
            ``title``.
        matched_text: that typical job title, keyword or title, as the standard
            spells it.
        matched_words: the words it has in common with the job title, normalised.
    """

    reference: str
    title: str
    level: int
    status: str
    score: float
    matched_on: str
    matched_text: str
    matched_words: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why the standard was suggested, in words."""
        return f'{self.matched_on} "{self.matched_text}" ({", ".join(self.matched_words)})'


class RoleMatcher:
    """An index of standards for suggesting standards for many job titles quickly.

    Build it once per standards list (retired and withdrawn standards are
    left out), then call :meth:`suggest` for each job title.

    Example:
        >>> from decimal import Decimal
        >>> from lga_xl.standards import Standard
        >>> matcher = RoleMatcher([
        ...     Standard("ST0454", "Teaching assistant", 3, Decimal("7000"), keywords=("schools",)),
        ...     Standard("ST0072", "Customer service practitioner", 2, Decimal("4000"), status="Retired"),
        ... ])
        >>> [s.reference for s in matcher.suggest("Teaching Assistants (Level 3)")]
        ['ST0454']
        >>> matcher.suggest("Customer service practitioner")
        []
    """

    def __init__(self, standards: Iterable[Standard]) -> None:
        self._standards: list[Standard] = []
        self._phrase_slot: list[int] = []  # standard index x 3 + kind index
        self._phrase_text: list[str] = []  # as the standard writes it
        self._phrase_words: list[frozenset[str]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for standard in sorted(standards, key=lambda s: s.reference):
            if standard.retired_or_withdrawn:
                continue
            index = len(self._standards)
            self._standards.append(standard)
            phrases = [(_JOB_TITLE_KIND, text) for text in standard.typical_job_titles]
            phrases += [(_KEYWORD_KIND, text) for text in standard.keywords] + [(_TITLE_KIND, standard.title)]
            for kind, text in phrases:
                words = frozenset(normalise_title(text))
                if not words:
                    continue
                for word in words:
                    postings[word].append(len(self._phrase_words))
                self._phrase_slot.append(index * _SLOTS + kind)
                self._phrase_text.append(text)
                self._phrase_words.append(words)
        count = len(self._phrase_words)
        # Rarer words say more about which standard is meant.
        self._weight = {word: math.log(1 + count / len(ids)) for word, ids in postings.items()}
        self._postings = dict(postings)
        self._inverse_phrase_weight = [1 / sum(self._weight[word] for word in words) for words in self._phrase_words]

    def suggest(self, job_title: str, *, on: date | None = None, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        """Up to ``limit`` standards for a job title, best first.

        Args:
            job_title: the title as written (``"Snr Social Worker"``).
            on: if given, only standards a start can be made on that day
                (:meth:`lga_xl.standards.Standard.available_on`).
            limit: how many suggestions at most.

        Returns:
            Suggestions with a score above 0, highest first; equal scores in
            reference order.  Empty when no word of the title is known.
        """
        query = normalise_title(job_title)
        known = [word for word in query if word in self._weight]
        if not known:
            return []
        shared: dict[int, float] = {}
        for word in known:
            weight = self._weight[word]
            for phrase in self._postings[word]:
                shared[phrase] = shared.get(phrase, 0.0) + weight
        # For each standard and kind (a slot), the phrase agreeing best with the title; the first of equals.
        inverse_query_weight = 1 / sum(self._weight[word] for word in known)
        inverse_phrase_weight, phrase_slot = self._inverse_phrase_weight, self._phrase_slot
        best: dict[int, tuple[float, int]] = {}
        for phrase, weight in shared.items():
            agreement = weight * weight * inverse_phrase_weight[phrase] * inverse_query_weight
            slot = phrase_slot[phrase]
            kept = best.get(slot)
            if kept is None or agreement > kept[0] or (agreement == kept[0] and phrase < kept[1]):
                best[slot] = (agreement, phrase)
        totals: dict[int, float] = defaultdict(float)
        for slot, (agreement, _) in best.items():
            index, kind = divmod(slot, _SLOTS)
            totals[index] += _KIND_WEIGHT_LIST[kind] * agreement
        # Scores equal to 9 decimal places are equal, whatever order the sums were added in.
        ranked = heapq.nsmallest(limit, (
            (-int(total * 1e9 + 0.5), self._standards[index].reference, index) for index, total in totals.items()
            if total > 0 and (on is None or self._standards[index].available_on(on))
        ))
        most = sum(KIND_WEIGHTS.values())
        return [self._suggestion(index, round(-quantised / 1e9 * 100 / most, 1), best, query)
                for quantised, _, index in ranked]

    def suggest_many(
        self, job_titles: Iterable[str], *, on: date | None = None, limit: int = MAX_SUGGESTIONS
    ) -> list[list[Suggestion]]:
        """:meth:`suggest` for each job title, in order."""
        return [self.suggest(title, on=on, limit=limit) for title in job_titles]

    def _suggestion(
        self, index: int, score: float, best: dict[int, tuple[float, int]], query: Sequence[str]
    ) -> Suggestion:
        standard = self._standards[index]
        # The reason is the kind that added most to the score; job titles before keywords before the title.
        contributions = [(_KIND_WEIGHT_LIST[kind] * best[index * _SLOTS + kind][0], -kind, kind)
                         for kind in range(_SLOTS) if index * _SLOTS + kind in best]
        _, _, kind = max(contributions)
        phrase = best[index * _SLOTS + kind][1]
        words = self._phrase_words[phrase]
        return Suggestion(
            reference=standard.reference, title=standard.title, level=standard.level, status=standard.status,
            score=score, matched_on=_KINDS[kind], matched_text=self._phrase_text[phrase],
            matched_words=tuple(word for word in query if word in words),
        )


def suggest_standards(
    job_title: str, standards: Iterable[Standard], *, on: date | None = None, limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Standards for one job title; for many titles build a :class:`RoleMatcher` once instead.

    Example:
        >>> from decimal import Decimal
        >>> from lga_xl.standards import Standard
        >>> hr = Standard("ST0238", "People professional", 5, Decimal("11000"), keywords=("human resources",))
        >>> suggest_standards("HR Business Partner", [hr])[0].matched_on
        'keyword'
    """
    return RoleMatcher(standards).suggest(job_title, on=on, limit=limit)


# Private API.


def _singular(word: str) -> str:
    """A plural written as its singular, so that 'assistants' and 'assistant' are one word."""
    if len(word) <= 3 or word in _WORDS or word in _EXPANSIONS:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _join_phrases(words: list[str]) -> list[str]:
    joined: list[str] = []
    position = 0
    while position < len(words):
        for length in (4, 2):
            replacement = _PHRASES.get(tuple(words[position:position + length]))
            if replacement is not None:
                joined.extend(replacement)
                position += length
                break
        else:
            joined.append(words[position])
            position += 1
    return joined
