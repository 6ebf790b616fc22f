"""The report's summary: three to six plain-English findings, worked out from the figures.

Each possible finding has a weight (how much it matters to the council: a
rating the LGA sees differently, funds that will expire, a gap to target).
The weightiest finding of each area of the report (maturity, progress, levy
and schools, starts, the apprentices) goes in first when it is notable, so
the summary covers the whole report; then the rest by weight, up to six, all
shown in the report's order.  Three always exist, whatever is missing: the
overall score, the gap to target and the strongest and weakest strands.

Pure: standard library and lga_xl's pure modules only.

Example:
    >>> import datetime as dt
    >>> from lga_xl.mot.model import Assessment, Council, StrandRating
    >>> own = Assessment("Self", dt.date(2026, 3, 1), None, (StrandRating("Engagement", "Developing +", "Maturing"),))
    >>> lga = Assessment("External", dt.date(2026, 3, 9), None, (StrandRating("Engagement", "Developing"),))
    >>> [f.text for f in summary_findings(MotReport(Council("X"), own, external=lga)) if f.topic == "external"]
    ['Engagement is rated Developing + by the council and Developing by the LGA.']
"""

from __future__ import annotations

from dataclasses import dataclass

from . import compare
from .model import Benchmark, MotReport, PeerFigures
from .wording import councils, in_area, listing, long_date, money, percent, plural, score

MIN_FINDINGS, MAX_FINDINGS = 3, 6
AREAS = {"overall": "maturity", "external": "maturity", "target": "maturity", "strands": "maturity",
         "region": "maturity", "progress": "progress", "levy": "levy", "transfers": "levy", "schools": "levy",
         "starts": "starts", "survey": "survey"}
NOTABLE = 6

# Public API.


@dataclass(frozen=True)
class Finding:
    topic: str  # a key of AREAS
    text: str
    weight: int


def summary_findings(report: MotReport, limit: int = MAX_FINDINGS) -> list[Finding]:
    """The weightiest findings, at most ``limit``, in the report's order."""
    candidates = [f for f in (
        _overall(report), _external(report), _target(report), _strands(report), _region(report),
        _progress(report), _levy(report), _transfers(report), _schools(report), _starts(report), _survey(report),
    ) if f is not None]
    by_weight = sorted(range(len(candidates)), key=lambda i: -candidates[i].weight)  # stable: report order on ties
    chosen: list[int] = []
    for area in dict.fromkeys(AREAS.values()):
        best = next((i for i in by_weight if AREAS[candidates[i].topic] == area), None)
        if best is not None and candidates[best].weight >= NOTABLE:
            chosen.append(best)
    chosen += [i for i in by_weight if i not in chosen]
    return [candidates[i] for i in sorted(chosen[:limit])]


# Private API.


def _overall(report: MotReport) -> Finding:
    row = compare.overall(report)
    n = len(report.self_assessment.strands)
    text = f"The council's average maturity score is {score(row.council)} out of 4 across its {n} strands"
    return Finding("overall", text + _against(row.peers, "score", "mean") + ".", 10)


def _external(report: MotReport) -> Finding | None:
    if report.external is None:
        return None
    pairs = [(r.council, r.external) for r in compare.maturity(report) if r.external is not None]
    differ = [(own, lga) for own, lga in pairs if own.rating != lga.rating]
    if not differ:
        return Finding("external", f"The LGA's external assessment agrees with the council's own rating on all "
                                   f"{plural(len(pairs), 'strand')} it rated.", 6)
    own, lga = max(differ, key=lambda pair: abs(pair[0].score - pair[1].score))  # the first of the widest
    text = f"{own.strand} is rated {own.rating} by the council and {lga.rating} by the LGA."
    if len(differ) > 1:
        lower = sum(1 for o, e in differ if e.score < o.score)
        higher = len(differ) - lower
        sides = [f"lower on {lower}"] * bool(lower) + [f"higher on {higher}"] * bool(higher)
        text += f" The ratings differ on {len(differ)} of the {len(pairs)} strands: the LGA's is {' and '.join(sides)}."
    return Finding("external", text, 9)


def _target(report: MotReport) -> Finding:
    strands = report.self_assessment.strands
    with_target = [s for s in strands if s.gap is not None]
    if not with_target:
        return Finding("target", "No target ratings were set, so the gap to target cannot be shown.", 3)
    below = [s for s in with_target if s.gap > 0]
    if not below:
        return Finding("target", f"Every strand with a target ({len(with_target)} of {len(strands)}) "
                                 "is at or above it.", 5)
    widest = max(below, key=lambda s: s.gap)  # the first of the widest, in the model's order
    text = f"The widest gap to target is on {widest.strand}: rated {widest.rating}, with a target of {widest.target}."
    if len(below) == len(strands) > 1:
        text += f" All {len(strands)} strands are below their target."
    elif len(below) > 1:
        text += f" {len(below)} of the {len(strands)} strands are below their target."
    return Finding("target", text, 8)


def _strands(report: MotReport) -> Finding:
    strands = report.self_assessment.strands
    best = max(strands, key=lambda s: s.score)
    worst = min(strands, key=lambda s: s.score)
    if best.score == worst.score:
        return Finding("strands", f"All {plural(len(strands), 'strand')} are rated {best.rating}.", 4)
    return Finding("strands", f"The council's strongest strand is {best.strand} ({best.rating}) and its weakest "
                              f"{worst.strand} ({worst.rating}).", 4)


def _region(report: MotReport) -> Finding | None:
    """The strands furthest behind and ahead of the peer mean (the region's, else England's)."""
    rows = []
    for row in compare.maturity(report):
        if row.peer is not None:
            rows.append((row.council.score - row.peer.value, row.strand, row.council.score, row.peer))
    if not rows:
        return None
    parts = []
    difference, strand, own, peer = min(rows, key=lambda r: r[0])  # the first of the furthest behind
    if difference < 0:
        where = "the national mean" if peer.area == "England" else "its region"
        parts.append(f"furthest behind {where} on {strand} ({score(own)} against a mean of {score(peer.value)} "
                     f"across {councils(peer.councils)} {in_area(peer.area)})")
    difference, strand, own, peer = max(rows, key=lambda r: r[0])
    if difference > 0:
        parts.append(f"furthest ahead on {strand} ({score(own)} against {score(peer.value)})")
    if not parts:
        return Finding("region", "The council's strand scores are level with the peer means.", 3)
    return Finding("region", f"The council is {' and '.join(parts)}.", 7 if "behind" in parts[0] else 5)


def _progress(report: MotReport) -> Finding | None:
    rows = compare.progress(report)
    if not rows:
        return None
    since = f"Since the previous self-assessment on {long_date(report.previous.date)}"
    up = [r.strand for r in rows if r.change == "up"]
    down = [r.strand for r in rows if r.change == "down"]
    if not up and not down:
        return Finding("progress", f"No strand's rating has changed since the previous self-assessment on "
                                   f"{long_date(report.previous.date)}.", 6)
    moves = " and ".join(p for p in (f"up on {listing(up)}" if up else "",
                                     f"down on {listing(down)}" if down else "") if p)
    same = len(rows) - len(up) - len(down)
    rest = f"; {plural(same, 'other strand')} {'is' if same == 1 else 'are'} unchanged" if same else ""
    return Finding("progress", f"{since}, the council's rating has gone {moves}{rest}.", 8 if down else 7)


def _levy(report: MotReport) -> Finding | None:
    """What the levy plan leaves unspent against its peers, and what it lets expire."""
    levy = report.levy
    if levy is None:
        return None
    peers = report.benchmarks.get("spend_share") if report.benchmarks else None
    expiring = levy.expiring_funds > 0
    lost = (f"{money(levy.expiring_funds)} of levy funds is forecast to expire unspent over the plan's 36 months"
            if expiring else "")
    if levy.spend_share is None:
        return Finding("levy", f"{lost[0].upper()}{lost[1:]}.", 9) if expiring else None
    if levy.spend_share >= 1:
        text = (f"The council's levy plan for {levy.tax_year} plans to spend {percent(levy.spend_share)} of the "
                f"year's funds entering its account{_against(peers, 'percent', 'median')}")
        worse = False
    else:
        text = (f"The council's levy plan for {levy.tax_year} leaves {percent(levy.unspent_share)} of its funds "
                f"unspent{_against(peers, 'percent', 'median', unspent=True)}")
        worse = any(b.shown and levy.unspent_share > max(0.0, 1 - b.value) for b in _both(peers))
    if expiring:
        text += f"; {lost}"
    return Finding("levy", text + ".", 9 if expiring else 8 if worse else 5)


def _transfers(report: MotReport) -> Finding | None:
    levy = report.levy
    used = None if levy is None else levy.transfer_used_share
    if used is None:
        return None
    if levy.expiring_funds > 0 and used < 1:
        return Finding("transfers", f"The council has used {percent(used)} of its transfer allowance: transferring "
                                    "more to other employers could use funds that would otherwise expire.", 6)
    peers = report.benchmarks.get("transfer_used_share") if report.benchmarks else None
    return Finding("transfers", f"The council has used {percent(used)} of its transfer allowance"
                                f"{_against(peers, 'percent', 'median')}.", 3)


def _schools(report: MotReport) -> Finding | None:
    levy = report.levy
    if levy is None or levy.schools == 0:
        return None
    peers = report.benchmarks.get("schools_engaged_share") if report.benchmarks else None
    share = levy.schools_engaged_share
    text = (f"{levy.schools_engaged} of the {plural(levy.schools, 'maintained school')} in the council's levy "
            f"({percent(share)}) have planned starts{_against(peers, 'percent', 'median')}.")
    below = any(b.shown and share < b.value for b in _both(peers))
    return Finding("schools", text, 7 if below else 4)


def _starts(report: MotReport) -> Finding | None:
    starts = report.starts
    if starts is None or starts.share is None:
        return None
    peers = report.benchmarks.get("starts_share") if report.benchmarks else None
    text = (f"Apprenticeship starts in {starts.period} were {percent(starts.share)} of headcount "
            f"({starts.starts:,} of {starts.headcount:,}){_against(peers, 'percent', 'median')}.")
    below = any(b.shown and starts.share < b.value for b in _both(peers))
    return Finding("starts", text, 5 if below else 3)


def _survey(report: MotReport) -> Finding | None:
    survey = report.survey
    answered = [a for a in survey.agreement if a.share is not None] if survey else []
    if not answered:
        return None
    most = max(answered, key=lambda a: a.share)
    least = min(answered, key=lambda a: a.share)
    text = (f"In the apprentice survey ({plural(survey.responses, 'response')}), agreement is highest on "
            f"{most.question.short} ({percent(most.share)}) and lowest on {least.question.short} "
            f"({percent(least.share)}).")
    return Finding("survey", text, 7)


def _both(peers: PeerFigures | None) -> tuple[Benchmark, ...]:
    return () if peers is None else (peers.regional, peers.national)


def _against(peers: PeerFigures | None, unit: str, statistic: str, *, unspent: bool = False) -> str:
    """', against a regional median of 21% (9 councils) and a national median of 25% (120 councils)',
    saying so when the regional figure rests on too few councils; '' without peer figures."""
    if peers is None:
        return ""

    def written(b: Benchmark) -> str:
        value = max(0.0, 1 - b.value) if unspent else b.value
        text = {"score": score, "percent": percent}[unit](value)
        return f"{text} across {councils(b.councils)} {in_area(b.area)}" if unit == "score" else \
            f"{text} ({councils(b.councils)})"

    shown = []
    if peers.regional.shown:
        shown.append(f"a regional {statistic} of {written(peers.regional)}")
    if peers.national.shown:
        shown.append(f"a national {statistic} of {written(peers.national)}")
    if not shown:
        return ""
    text = ", against " + " and ".join(shown)
    if not peers.regional.shown and peers.regional.councils:
        too_few = f"too few councils {in_area(peers.regional.area)} for a regional figure"
        text = f"{text[:-1]}; {too_few})" if text.endswith(")") else f"{text} ({too_few})"
    return text
