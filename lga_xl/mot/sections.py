"""The MOT report's content, section by section, for both writers.

:func:`build_sections` turns a :class:`~lga_xl.mot.model.MotReport` into
sections of plain blocks (paragraphs, bullet lists, tables, charts); the
Word writer and the workbook writer only lay these out, so both always show
the same figures and say the same thing when something is missing.  Table
cells hold values (a share as 0.38, money as a number) with the column's
kind; each writer formats them (:mod:`lga_xl.mot.wording` for Word, number
formats in the workbook).

Pure: standard library and lga_xl's pure modules only.

Example:
    >>> from lga_xl.mot.sample import sample_report
    >>> [s.title for s in build_sections(sample_report())][:4]
    ['Apprenticeship MOT', 'Summary', 'Maturity Model ratings', 'Progress since the last self-assessment']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import compare
from .findings import summary_findings
from .model import Benchmark, MotReport
from .peers import score_key
from .priorities import improvement_priorities
from .support import LEVY_TOPIC, support_for
from .wording import councils, in_area, listing, long_date, money, percent, plural, score

# GOV.UK colours (GOV.UK Design System, "Colour"), shared by the Word charts and the workbook charts.
COLOURS = {"council": "#1d70b8", "lga": "#f47738", "region": "#28a197", "england": "#505a5f",
           "target": "#0b0c0c", "text": "#0b0c0c", "secondary": "#505a5f", "border": "#b1b4b6",
           "header": "#f3f2f1", "group": "#e8f1f8"}
FORMER_TARGET = 0.023  # public sector apprenticeship target, 2017 to March 2022 (GOV.UK)

# Public API.


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # "body", "note" (smaller, grey) or "strong"


@dataclass
class Bullets:
    items: list[str]
    columns: int = 1  # short items (apprentices' comments) read as well in two columns, in half the length


@dataclass
class Subheading:
    text: str


@dataclass
class Column:
    title: str
    kind: str = "text"  # text, or a unit of lga_xl.mot.wording.figure: score, mean, percent, money, count
    width: float = 2.5  # centimetres in the Word report; the workbook scales it


@dataclass
class Cell:
    """A value whose kind differs from its column's (rows of mixed units in one table)."""

    value: float | int
    kind: str


@dataclass
class Group:
    """A row that heads the rows after it (a strand), spanning the table."""

    text: str


@dataclass
class Table:
    columns: list[Column]
    rows: list[list | Group]


@dataclass
class Series:
    name: str
    values: list[float | None]  # None: no bar (a figure not shown)
    colour: str
    marker: bool = False  # drawn as a marker (the target), not a bar


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[Series]
    unit: str  # "score" (0 to 4, the rating levels) or "percent" (0 to 1)
    horizontal: bool  # bars across (long category names) rather than columns
    caption: str = ""


Block = Paragraph | Bullets | Subheading | Table | Chart


@dataclass
class Section:
    key: str
    title: str
    sheet: str  # the workbook's sheet name (31 characters at most)
    blocks: list[Block] = field(default_factory=list)


def build_sections(report: MotReport, today: dt.date | None = None) -> list[Section]:
    """Every section of the report, in order: cover, summary, maturity, progress, levy and
    schools, starts, apprentice experience, improvement priorities, LGA support."""
    today = report.prepared_on or today or dt.date.today()
    priorities = improvement_priorities(report)
    return [
        _cover(report, today), _summary(report), _maturity(report), _progress(report), _levy(report),
        _starts(report), _survey(report), _priorities(report, priorities), _support(report, priorities),
    ]


# Private API: one function a section.


def _cover(report: MotReport, today: dt.date) -> Section:
    own, lga, before = report.self_assessment, report.external, report.previous

    def assessed(assessment) -> str:
        who = f", by {assessment.assessor}" if assessment.assessor else ""
        return f"{long_date(assessment.date)}{who}"

    levy = report.levy
    survey = report.survey
    rows = [
        ["Council", report.council.name],
        ["Region", report.council.region or "Not recorded"],
        ["Type", report.council.org_type or "Not recorded"],
        ["Self-assessment", assessed(own)],
        ["External assessment (LGA)", assessed(lga) if lga else "None yet"],
        ["Previous self-assessment", assessed(before) if before else "None in the returns"],
        ["Schools levy plan", (f"{levy.tax_year}" + (f", returned {long_date(levy.returned_on)}"
                                                     if levy.returned_on else "")) if levy else "None returned"],
        ["Starts and headcount", f"{report.starts.period}, {report.starts.source}" if report.starts else "None"],
        ["Apprentice survey", _survey_period(survey) if survey else "None"],
        ["Regional and national figures", _peer_basis(report)],
        ["Report prepared", f"{long_date(today)}" + (f" by {report.prepared_by}" if report.prepared_by else "")],
    ]
    return Section("cover", "Apprenticeship MOT", "Cover", [
        Paragraph(report.council.name, "strong"),
        Table([Column("", width=5.5), Column("", width=11.5)], rows),
        Paragraph("The Apprenticeship MOT is the LGA's mini-review of a council's apprenticeship programme: how it "
                  "compares with the national and regional figures on the Maturity Model, levy spend, schools and "
                  "starts; how the LGA's external assessment compares with the council's own; what apprentices say; "
                  "and where to improve next, with the LGA support that can help."),
        Paragraph("Each council counts once in the regional and national figures, by its latest return of each "
                  "kind, and every comparison says how many councils it rests on. A figure from fewer than "
                  "3 councils is not shown.", "note"),
    ])


def _summary(report: MotReport) -> Section:
    return Section("summary", "Summary", "Summary", [Bullets([f.text for f in summary_findings(report)])])


def _maturity(report: MotReport) -> Section:
    rows = compare.maturity(report)
    blocks: list[Block] = [Paragraph(
        "Ratings run from Early (score 1) through Early +, Developing, Developing +, Maturing and Maturing + to "
        "Mature (4). The regional and national figures are the mean scores of councils' latest self-assessments.")]
    regional = [r.regional for r in rows if r.regional is not None]
    national = [r.national for r in rows if r.national is not None]
    lga = report.external is not None
    columns = [Column("Strand", width=4.6), Column("Council", width=2.2),
               *([Column("LGA", width=2.2)] if lga else []), Column("Target", width=2.2)]
    if regional:
        columns.append(Column(f"{_region_label(report)} mean ({_counted(regional)})", "mean", 2.9))
    if national:
        columns.append(Column(f"England mean ({_counted(national)})", "mean", 2.9))
    table_rows = []
    for row in rows:
        cells = [row.strand, row.council.rating]
        cells += [row.external.rating if row.external else "Not rated"] if lga else []
        cells += [row.council.target or "Not set"]
        cells += [_value(row.regional)] if regional else []
        cells += [_value(row.national)] if national else []
        table_rows.append(cells)
    blocks.append(Table(columns, table_rows))
    blocks += _peer_notes([*regional, *national], "mean")
    if not lga:
        blocks.append(Paragraph("There is no external assessment by the LGA yet: the ratings are the council's own.",
                                "note"))
    blocks.append(_maturity_chart(report, rows))

    blocks.append(Subheading("Where the council and the LGA see elements differently"))
    missing = compare.disagreements_missing(report)
    found = compare.disagreements(report)
    if missing:
        blocks.append(Paragraph(missing))
    elif not found:
        blocks.append(Paragraph("The council and the LGA count every element the same way (achieved, open or not "
                                "applicable)."))
    else:
        total = sum(len(v) for v in found.values())
        blocks.append(Paragraph(
            f"{plural(total, 'element')} {'is' if total == 1 else 'are'} counted differently: one side has "
            f"{'it' if total == 1 else 'them'} as achieved, open or not applicable and the other does not. These "
            "are the differences that move a rating."))
        table: list[list | Group] = []
        for strand, items in found.items():
            table.append(Group(strand))
            table += [[d.element.id, d.element.text, d.council or "Not answered", d.lga or "Not answered"]
                      for d in items]
        blocks.append(Table([Column("Element", width=1.8), Column("Element text", width=9.6),
                             Column("Council", width=2.8), Column("LGA", width=2.8)], table))
    return Section("maturity", "Maturity Model ratings", "Maturity", blocks)


def _maturity_chart(report: MotReport, rows: list[compare.StrandComparison]) -> Chart:
    series = [Series("Council", [r.council.score for r in rows], COLOURS["council"])]
    if report.external is not None:
        series.append(Series("LGA", [r.external.score if r.external else None for r in rows], COLOURS["lga"]))
    for name, key, pick in ((f"{_region_label(report)} mean", "region", lambda r: r.regional),
                            ("England mean", "england", lambda r: r.national)):
        values = [pick(r).value if pick(r) is not None else None for r in rows]
        if any(v is not None for v in values):
            series.append(Series(name, values, COLOURS[key]))
    if any(r.council.target for r in rows):
        series.append(Series("Target", [r.council.target_score for r in rows], COLOURS["target"], marker=True))
    return Chart("Maturity by strand", [r.strand for r in rows], series, "score", horizontal=False,
                 caption="Scores: 1 Early, 2 Developing, 3 Maturing, 4 Mature; a half point is a +.")


def _progress(report: MotReport) -> Section:
    rows = compare.progress(report)
    title = "Progress since the last self-assessment"
    if report.previous is None:
        return Section("progress", title, "Progress", [Paragraph(
            "There is no earlier self-assessment from the council in the returns, so progress cannot be shown "
            "yet. It will be, from the council's next self-assessment.")])
    before, now = long_date(report.previous.date), long_date(report.self_assessment.date)
    words = {"up": "Up", "down": "Down", "same": "Same"}
    return Section("progress", title, "Progress", [
        Paragraph(f"Each strand's rating in the previous self-assessment ({before}) and in the latest ({now})."),
        Table([Column("Strand", width=6.5), Column(f"Previous ({before})", width=3.6),
               Column(f"Latest ({now})", width=3.6), Column("Change", width=2.5)],
              [[r.strand, r.previous, r.current, words[r.change]] for r in rows]),
    ])


def _levy(report: MotReport) -> Section:
    title = "Levy and schools"
    levy = report.levy
    if levy is None:
        return Section("levy", title, "Levy and schools", [Paragraph(
            "The council has not returned a schools levy plan, so levy spend, transfers, expiring funds and "
            "schools cannot be compared.")])
    comparisons = compare.levy(report)
    blocks: list[Block] = [Paragraph(
        f"From the council's schools levy plan for {levy.tax_year}: {money(levy.planned_spend)} planned spend of "
        f"{money(levy.funds_in)} entering the account; {money(levy.transfers_used)} of transfers against an "
        f"allowance of {money(levy.transfer_allowance)}; {levy.schools_engaged} of "
        f"{plural(levy.schools, 'maintained school')} in its levy with planned starts. The regional and national "
        "figures are medians: half of councils are above, half below.")]
    blocks += _comparison_table(comparisons, report)
    blocks.append(_comparison_chart("Levy and schools: council against the medians",
                                    [c for c in comparisons if c.measure.unit == "percent"], report))
    return Section("levy", title, "Levy and schools", blocks)


def _starts(report: MotReport) -> Section:
    title = "Apprenticeship starts"
    starts = report.starts
    if starts is None:
        return Section("starts", title, "Starts", [Paragraph(
            "No starts or headcount figures are available for the council, so starts cannot be compared.")])
    blocks: list[Block] = [Paragraph(f"Starts in {starts.period} ({starts.source}) set against headcount.")]
    blocks += _comparison_table(compare.starts(report), report)
    blocks.append(Paragraph(
        f"For reference: the public sector apprenticeship target asked bodies with 250 or more staff for starts of "
        f"{percent(FORMER_TARGET)} of headcount a year; it ended on 31 March 2022.", "note"))
    return Section("starts", title, "Starts", blocks)


def _survey(report: MotReport) -> Section:
    title = "Apprentice experience"
    survey = report.survey
    if survey is None:
        return Section("survey", title, "Apprentice experience", [Paragraph(
            "No apprentice survey was run for this MOT, so the apprentice experience is not reported.")])
    blocks: list[Block] = [Paragraph(
        f"{plural(survey.responses, 'apprentice')} answered the survey{_survey_dates(survey)}. The share agreeing "
        "is Strongly agree and Agree over everyone who answered the statement; a blank or Don't know is not an "
        "answer.")]
    if survey.agreement:
        blocks.append(Table([Column("Statement", width=9.5), Column("Answered", "count", 2.4),
                             Column("Agreeing", "count", 2.4), Column("Share agreeing", "percent", 2.7)],
                            [[a.question.text, a.answered, a.agreeing, a.share] for a in survey.agreement]))
        blocks.append(Chart("Apprentices agreeing",
                            [_capital(a.question.short) for a in survey.agreement],
                            [Series("Share agreeing", [a.share for a in survey.agreement], COLOURS["council"])],
                            "percent", horizontal=True))
    if survey.not_asked:
        blocks.append(Paragraph("Not asked in this survey: " + "; ".join(q.text for q in survey.not_asked), "note"))
    if survey.unmatched_columns:
        blocks.append(Paragraph("Columns of the export that are not MOT questions, left out: "
                                + "; ".join(survey.unmatched_columns), "note"))
    for question, answers in survey.comments:
        blocks.append(Subheading(question.text))
        blocks.append(Bullets(list(answers), columns=2) if answers else Paragraph("No answers.", "note"))
    return Section("survey", title, "Apprentice experience", blocks)


def _priorities(report: MotReport, priorities) -> Section:
    blocks: list[Block] = [Paragraph(
        "For each strand, the elements of the next level up that the council's self-assessment does not yet mark "
        "Achieved, in the Maturity Model's own words: those in progress first, at most five. Strands come in "
        "order of the gap to their target, then of how far the council is below its region.")]
    rows: list[list | Group] = []
    for number, priority in enumerate(priorities, start=1):
        rating = priority.rating
        target = f"target {rating.target}" if rating.target else "no target set"
        below = (f"; {score(priority.below_region)} below the {priority.compared_with} mean"
                 if priority.below_region > 0 else "")
        heading = f"{number}. {priority.strand}: {rating.rating}, {target}{below}"
        if priority.next_level:
            heading += f". Next level: {priority.next_level}"
        rows.append(Group(heading))
        rows += [[p.element.id, p.element.text, p.status or "Not answered"] for p in priority.elements]
        if priority.more:
            rows.append(["", f"and {priority.more} more {priority.next_level} element"
                             f"{'s' if priority.more > 1 else ''} not yet achieved", ""])
        if priority.note:
            rows.append(["", priority.note, ""])
    blocks.append(Table([Column("Element", width=1.8), Column("What the next level needs", width=12.4),
                         Column("Status", width=2.8)], rows))
    return Section("priorities", "Improvement priorities", "Improvement priorities", blocks)


def _support(report: MotReport, priorities) -> Section:
    support = support_for(report, priorities)
    blocks: list[Block] = [Paragraph(
        "The LGA's apprenticeship support programme (Local Government Association, Apprenticeship support, "
        "www.local.gov.uk), matched to the priorities above: the offers that answer a priority element, or for a "
        "strand where none does, those for the strand as a whole.")]
    rows: list[list | Group] = [Group("Every strand")] + [[o.name, "The programme as a whole"]
                                                          for o in support.general]
    topic = None
    for match in support.matches:
        if match.topic != topic:
            topic = match.topic
            rows.append(Group(topic))
        if match.elements:
            why = f"Element{'s' if len(match.elements) > 1 else ''} {listing(list(match.elements))}"
        elif match.conditions:
            why = "The levy plan: " + "; ".join(match.conditions)
        else:
            why = f"{match.topic} as a whole"
        rows.append([match.offer.name, why])
    if not any(m.topic != LEVY_TOPIC for m in support.matches):
        blocks.append(Paragraph("Every strand is rated Mature, so no strand has a higher level to work towards; "
                                "the offers for every strand still apply."))
    blocks.append(Table([Column("LGA support", width=7.5), Column("Why", width=9.5)], rows))
    blocks.append(Subheading("The offers"))
    blocks.append(Table([Column("Offer", width=4.5), Column("What it is", width=7.5),
                         Column("How to get it", width=5.0)],
                        [[o.name, o.description, o.access] for o in support.offers()]))
    return Section("support", "Where LGA support can help", "LGA support", blocks)


# Private API: shared pieces.


def _comparison_table(comparisons: list[compare.Comparison], report: MotReport) -> list[Block]:
    region = _region_label(report)
    columns = [Column("Measure", width=6.1), Column("Council", width=2.4), Column(f"{region} median", width=2.5),
               Column("Councils", "count", 1.7), Column("England median", width=2.5), Column("Councils", "count", 1.7)]
    rows = []
    benchmarks = []
    for c in comparisons:
        unit = c.measure.unit
        regional = c.peers.regional if c.peers else None
        national = c.peers.national if c.peers else None
        benchmarks += [b for b in (regional, national) if b is not None]
        rows.append([c.measure.label, _typed(c.council, unit), _typed(_value(regional), unit),
                     regional.councils if regional else None, _typed(_value(national), unit),
                     national.councils if national else None])
    blocks: list[Block] = [Table(columns, rows)]
    blocks += _peer_notes(benchmarks, "median")
    return blocks


def _comparison_chart(title: str, comparisons: list[compare.Comparison], report: MotReport) -> Chart:
    series = [Series("Council", [c.council for c in comparisons], COLOURS["council"])]
    region = _region_label(report)
    for label, key, pick in ((f"{region} median", "region", lambda p: p.regional),
                             ("England median", "england", lambda p: p.national)):
        values = [_value(pick(c.peers)) if c.peers else None for c in comparisons]
        if any(isinstance(v, float) for v in values):
            series.append(Series(label, [v if isinstance(v, float) else None for v in values], COLOURS[key]))
    return Chart(title, [c.measure.label for c in comparisons], series, "percent", horizontal=True)


def _value(benchmark: Benchmark | None) -> float | str | None:
    """A peer figure, or 'not shown' when it rests on too few councils."""
    if benchmark is None:
        return None
    return benchmark.value if benchmark.shown else "not shown"


def _typed(value: float | str | None, unit: str) -> Cell | str | None:
    """Each row of a comparison table has its own unit (money, a share, a count)."""
    return Cell(value, unit) if isinstance(value, float | int) else value


def _peer_notes(benchmarks: list[Benchmark], statistic: str) -> list[Block]:
    """Say why a figure is missing, once per reason; or that there are no peer figures at all."""
    if not benchmarks:
        return [Paragraph("No regional or national figures were supplied for this report.", "note")]
    reasons = list(dict.fromkeys(b.reason for b in benchmarks if b.reason))
    return [Paragraph(f"A {statistic} is not shown where {reason}.", "note") for reason in reasons]


def _counted(benchmarks: list[Benchmark]) -> str:
    low, high = min(b.councils for b in benchmarks), max(b.councils for b in benchmarks)
    return councils(high) if low == high else f"{low} to {high} councils"


def _region_label(report: MotReport) -> str:
    return report.council.region or "Region"


def _peer_basis(report: MotReport) -> str:
    if report.benchmarks is None:
        return "None supplied"
    figures = report.benchmarks.get(score_key(report.self_assessment.strands[0].strand)) \
        or next(iter(report.benchmarks.measures.values()), None)
    if figures is None:
        return "None supplied"
    national, regional = figures.national, figures.regional
    text = f"Self-assessments of {councils(national.councils)} in England"
    if regional.councils:
        text += f", {regional.councils} of them {in_area(regional.area)}"
    return text + "; each council once, by its latest returns"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _survey_period(survey) -> str:
    return f"{plural(survey.responses, 'response')}{_survey_dates(survey)} ({survey.source})"


def _survey_dates(survey) -> str:
    first, last = survey.first_response, survey.last_response
    if first is None:
        return ""
    if first == last:
        return f" on {long_date(first)}"
    return f" between {long_date(first)} and {long_date(last)}"

