"""The Markdown report: what a minister reads, rendered from the scorecard.

All user and checklist text is escaped so it stays text: it cannot close a
table cell, start a heading, a list or a quote, or make a link or raw HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.plural import counted
from decalogue.reports.plan import card_entries, plan_date
from decalogue.reports.plan import render_markdown as plan_markdown
from decalogue.reports.scorecard import Scorecard, build_scorecard
from decalogue.reports.scorecard_parts import Figures, ItemInfo
from decalogue.reports.text import block, cell, inline, starts_line
from decalogue.reports.wording import (
    answer_text,
    assessor_text,
    carried_count,
    carried_share,
    gap_points,
    no_gap_text,
    percent,
    readiness_text,
    status_text,
    status_word,
    target_coverage,
    target_percent,
    target_text,
    timestamp,
    unscored_pillars,
)

BAR_WIDTH = 20
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(score: float | None) -> str:
    """A unicode bar of BAR_WIDTH cells and the number beside it."""
    if score is None:
        return "`" + "·" * BAR_WIDTH + "` no score"
    eighths = round(max(0.0, min(100.0, score)) / 100 * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return f"`{text.ljust(BAR_WIDTH, '░')}` {percent(score)}"


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _figure_row(name: str, figures: Figures) -> list[str]:
    return [
        name,
        bar(figures.score),
        f"{figures.coverage:.0f}%",
        target_percent(figures),
        gap_points(figures),
        carried_count(figures),
        str(figures.flagged),
    ]


_FIGURE_HEADER = ("{}", "Score", "Coverage", "Target", "Gap (points)", "Carried", "Flagged")


def render_markdown(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> str:
    return markdown_report(build_scorecard(checklist, assessment, board, generated_at))


def markdown_report(card: Scorecard) -> str:
    out: list[str] = []
    add = out.append
    items = {item.id: item for item in card.items}
    overall = card.overall

    add(f"# {inline(card.title)}")
    add("")
    add(f"> **{status_word(card)}.** Status: {inline(status_text(card))}.")
    if card.carried.count:
        add(">")
        add(
            f"> **{inline(card.carried.statement)}.** The scores below rest on them "
            "as far as each table's Carried column says."
        )
    add("")
    assessors = "; ".join(assessor_text(a) for a in card.assessors) or "not recorded"
    for key, value in [
        ("Country", f"{card.country.name} ({card.country.code})"),
        ("Period", card.period),
        ("Assessors", assessors),
        ("Checklist", f"{card.checklist.title}, version {card.checklist.version}"),
        ("Date", f"{timestamp(card.generated_at)}, by decalogue {card.generator.version}"),
        ("Readiness", readiness_text(card)),
    ]:
        add(f"- **{key}:** {inline(value)}")
    add("")
    _caveats(card, add)

    add("## Summary")
    add("")
    notes = "; ".join(
        note for note in (unscored_pillars(card), carried_share(overall, card)) if note
    )
    summary = [
        ("Overall score", bar(overall.score) + (f" ({inline(notes)})" if notes else "")),
        ("Target score", _target_summary(overall)),
        ("Coverage", f"{overall.coverage:.1f}% of {counted(overall.total, 'item')}"),
        ("Answered with a level", str(overall.answered)),
        ("Not applicable", str(overall.not_applicable)),
        ("Unanswered", str(overall.unanswered)),
        ("Carried forward, not yet reviewed", str(overall.carried)),
        ("Flagged for review", str(overall.flagged)),
        ("Below target", str(overall.below_target)),
    ]
    out.extend(_table(("Figure", "Value"), ((f"**{k}**", v) for k, v in summary)))
    add("")

    add("## Scores by pillar")
    add("")
    out.extend(
        _table(
            (_FIGURE_HEADER[0].format("Pillar"), *_FIGURE_HEADER[1:]),
            (_figure_row(f"**{inline(p.id)}** {inline(p.title)}", p) for p in card.pillars),
        )
    )
    add("")
    for pillar in card.pillars:
        if pillar.summary.strip():
            add(f"- **{inline(pillar.id)}:** {inline(pillar.summary)}")
    add("")

    add("## Scores by section")
    sections = {s.id: s for s in card.sections}
    for pillar in card.pillars:
        add("")
        add(f"### {inline(pillar.id)} {inline(pillar.title)}")
        add("")
        out.extend(
            _table(
                (_FIGURE_HEADER[0].format("Section"), *_FIGURE_HEADER[1:]),
                (
                    _figure_row(f"**{inline(s)}** {inline(sections[s].title)}", sections[s])
                    for s in pillar.sections
                ),
            )
        )
        summaries = [s for s in pillar.sections if sections[s].summary.strip()]
        if summaries:
            add("")
            for s in summaries:
                add(f"- **{inline(s)}:** {inline(sections[s].summary)}")
    add("")

    add("## Top gaps to target")
    add("")
    if card.top_gaps:
        out.extend(
            _table(
                ("Item", "Title", "Level", "Target", "Gap (levels)", "Weight"),
                (
                    (
                        f"**{inline(g.item)}**",
                        inline(g.title),
                        inline(answer_text(items[g.item])),
                        inline(target_text(items[g.item])),
                        str(g.gap),
                        f"{g.weight:g}",
                    )
                    for g in card.top_gaps
                ),
            )
        )
    else:
        add(inline(no_gap_text(card)))
    add("")

    add("## Flagged for review")
    add("")
    if card.flagged:
        out.extend(
            _table(
                ("Item", "Title", "Answer", "Notes"),
                (
                    (
                        f"**{inline(f.item)}**",
                        inline(f.title),
                        inline(answer_text(items[f.item])),
                        cell(items[f.item].notes),
                    )
                    for f in card.flagged
                ),
            )
        )
    else:
        add("No item is flagged for review.")
    add("")

    add("## Findings and recommendations")
    with_findings = [item for item in card.items if item.finding.strip()]
    if not with_findings:
        add("")
        add("No findings recorded.")
    for item in with_findings:
        add("")
        add(f"### {inline(item.id)} {inline(item.title)}")
        add("")
        add(f"*Answer:* {inline(answer_text(item))} · *Target:* {inline(target_text(item))}")
        add("")
        add(block(item.finding))
    add("")

    add(plan_markdown(card_entries(card), plan_date(card), heading="##"))

    add("## Not applicable")
    add("")
    not_applicable = [item for item in card.items if item.not_applicable]
    if not_applicable:
        out.extend(
            _table(
                ("Item", "Title", "Reason"),
                (
                    (f"**{inline(i.id)}**", inline(i.title), cell(i.na_reason))
                    for i in not_applicable
                ),
            )
        )
    else:
        add("No item is marked not applicable.")
    add("")

    add("## All items")
    add("")
    add("Each item's question as the assessor answered it; guidance is in the appendix.")
    add("")
    out.extend(
        _table(
            ("Item", "Title and question", "Answer", "Target", "Flagged", "Score"),
            (
                (
                    f"**{inline(i.id)}**",
                    f"**{inline(i.title)}**<br>{cell(i.question)}",
                    inline(answer_text(i)),
                    inline(target_text(i)),
                    "yes" if i.flagged else "",
                    percent(i.score) if i.score is not None else "–",
                )
                for i in card.items
            ),
        )
    )
    add("")

    documented = [item for item in card.items if item.notes.strip() or item.evidence]
    if documented:
        add("## Notes and evidence")
        for item in documented:
            add("")
            add(f"### {inline(item.id)} {inline(item.title)}")
            _notes_and_evidence(item, add)
        add("")

    add("## Sources cited")
    add("")
    if card.sources:
        for source in card.sources:
            date = source.date or "date not printed"
            count = len(source.cited_by)
            add(
                f"- {starts_line(source.title)} ({inline(date)}); cited by {counted(count, 'item')}"
            )
    else:
        add("The checklist cites no sources.")
    add("")

    if card.orphaned:
        add("## Answers to items no longer in the checklist")
        add("")
        add("Kept in the assessment file, not scored.")
        add("")
        out.extend(
            _table(
                ("Item", "Answer", "Notes"),
                (
                    (
                        f"**{inline(o.item)}**",
                        "N/A" if o.not_applicable else ("–" if o.level is None else str(o.level)),
                        cell(o.notes),
                    )
                    for o in card.orphaned
                ),
            )
        )
        add("")

    add("## How the scores are computed")
    add("")
    add(block(card.scoring_rules))
    add("")
    scale = card.checklist.scale
    for level in scale.levels:
        description = f": {inline(level.description)}" if level.description else ""
        add(f"- **{level.value}** {inline(level.label)}{description}")
    add(f"- **{inline(scale.not_applicable_label)}**: does not apply; leaves the score unchanged")
    add("")
    add(
        f"Checklist `{card.checklist.id}` version {inline(card.checklist.version)}, "
        f"content hash `{card.checklist.hash}`."
    )
    add("")
    guided = [item for item in card.items if item.guidance.strip()]
    if guided:
        add("## Appendix: guidance per item")
        for item in guided:
            add("")
            add(f"### {inline(item.id)} {inline(item.title)}")
            add("")
            add(block(item.guidance))
        add("")
    return "\n".join(out)


def _target_summary(overall: Figures) -> str:
    if overall.target_score is None:
        return target_percent(overall)
    return (
        f"{percent(overall.target_score)} (gap {gap_points(overall)} points; "
        f"{target_coverage(overall)})"
    )


def _caveats(card: Scorecard, add: Callable[[str], None]) -> None:
    """The checklist's own account of what it is and what it cannot claim, before any score."""
    checklist = card.checklist
    if not (checklist.description.strip() or checklist.limits.strip()):
        return
    add("## Read this first: what the scores measure")
    add("")
    if checklist.description.strip():
        add(block(checklist.description))
        add("")
    if checklist.limits.strip():
        add(f"**Limits of this checklist.** {block(checklist.limits)}")
        add("")


def _notes_and_evidence(item: ItemInfo, add: Callable[[str], None]) -> None:
    if item.notes.strip():
        add("")
        add(block(item.notes))
    if item.evidence:
        add("")
        add("Evidence:")
        add("")
        for entry in item.evidence:
            parts = [starts_line(entry.description)]
            parts.extend(inline(extra) for extra in (entry.link, entry.document) if extra)
            add("- " + " · ".join(parts))
