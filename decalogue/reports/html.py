"""The HTML report: one self-contained, printable file rendered from the scorecard.

No scripts and no external resources (a Content-Security-Policy says so to the
browser as well); the charts are inline SVG; every user and checklist string
is HTML-escaped, so a note cannot become markup.
"""

from __future__ import annotations

from datetime import datetime

from decalogue.analysis.plan import tallies
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.plural import counted
from decalogue.reports.html_parts import (
    e,
    figures_table,
    link,
    paragraph,
    summaries,
    svg_chart,
    table,
)
from decalogue.reports.html_style import CSP, STAMP_STYLE, STYLE
from decalogue.reports.plan import card_entries, deadline_text, gap_text, plan_date
from decalogue.reports.plan import status_text as action_status
from decalogue.reports.scorecard import Scorecard, build_scorecard
from decalogue.reports.scorecard_parts import ItemInfo
from decalogue.reports.wording import (
    answer_text,
    assessor_text,
    carried_share,
    no_gap_text,
    percent,
    points,
    readiness_text,
    status_text,
    status_word,
    target_coverage,
    target_percent,
    target_text,
    timestamp,
    unscored_pillars,
)


def render_html(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> str:
    return html_report(build_scorecard(checklist, assessment, board, generated_at))


def html_report(card: Scorecard) -> str:
    items = {item.id: item for item in card.items}
    overall = card.overall
    out: list[str] = []
    add = out.append
    add("<!DOCTYPE html>")
    add(f'<html lang="{e(card.checklist.language)}">')
    add("<head>")
    add('<meta charset="utf-8">')
    add(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f'<meta name="generator" content="decalogue {e(card.generator.version)}">')
    add(f"<title>{e(card.title)}</title>")
    add(f"<style>{STYLE}</style>")
    stamped = card.status.state != "final"
    if stamped:
        add(f"<style>{STAMP_STYLE.replace('STAMP', status_word(card))}</style>")
    add("</head>")
    add("<body>")
    if stamped:
        add(f'<div class="watermark" aria-hidden="true">{e(status_word(card))}</div>')
    add("<header>")
    add(f"<h1>{e(card.title)}</h1>")
    add(
        f'<p class="status status-{card.status.state}"><b>{e(status_word(card))}</b> · '
        f"Status: {e(status_text(card))}.</p>"
    )
    if card.carried.count:
        add(
            f'<p class="carried"><b>{e(card.carried.statement)}.</b> The scores below rest on '
            "them as far as each table's Carried column says.</p>"
        )
    assessors = "; ".join(assessor_text(a) for a in card.assessors) or "not recorded"
    meta = [
        ("Country", f"{card.country.name} ({card.country.code})"),
        ("Period", card.period),
        ("Assessors", assessors),
        ("Checklist", f"{card.checklist.title}, version {card.checklist.version}"),
        ("Date", f"{timestamp(card.generated_at)}, by decalogue {card.generator.version}"),
        ("Readiness", readiness_text(card)),
    ]
    add('<dl class="meta">')
    for key, value in meta:
        add(f"<dt>{e(key)}</dt><dd>{e(value)}</dd>")
    add("</dl>")
    add("</header>")
    add(_caveats(card))

    add('<section id="summary"><h2>Summary</h2>')
    add('<div class="summary">')
    figures = [
        ("Overall score", percent(overall.score)),
        ("Target score", target_percent(overall)),
        ("Coverage", f"{overall.coverage:.1f}%"),
        ("Answered", str(overall.answered)),
        ("Not applicable", str(overall.not_applicable)),
        ("Unanswered", str(overall.unanswered)),
        ("Carried, not reviewed", str(overall.carried)),
        ("Flagged", str(overall.flagged)),
        ("Below target", str(overall.below_target)),
    ]
    for name, value in figures:
        add(f'<div class="figure"><b>{e(value)}</b>{e(name)}</div>')
    add("</div>")
    unscored = unscored_pillars(card)
    if unscored:
        add(f'<p class="carried">Note: {e(unscored)}.</p>')
    carried = carried_share(overall, card)
    if carried:
        add(f'<p class="carried">Overall score: {e(carried)}.</p>')
    if overall.target_score is None:
        target = (
            f"{counted(overall.total, 'item')}; {e(target_percent(overall))}: no gap is shown. "
        )
    else:
        target = (
            f"{counted(overall.total, 'item')}; the gap to target is "
            f"{e(points(overall.gap_points))} percentage points ({e(target_coverage(overall))}). "
        )
    add(f'<p class="muted">{target}The red tick on a bar marks the target score.</p>')
    add(svg_chart(list(card.pillars)))
    add("</section>")

    add('<section id="pillars"><h2>Scores by pillar</h2>')
    add(figures_table("Pillar", list(card.pillars)))
    add(summaries(list(card.pillars)))
    add("</section>")

    add('<section id="sections"><h2>Scores by section</h2>')
    sections = {s.id: s for s in card.sections}
    for pillar in card.pillars:
        add(f'<h3><span class="id">{e(pillar.id)}</span> {e(pillar.title)}</h3>')
        rows = [sections[s] for s in pillar.sections]
        add(figures_table("Section", list(rows)))
        add(summaries(rows))
    add("</section>")

    add('<section id="gaps"><h2>Top gaps to target</h2>')
    if card.top_gaps:
        add(
            table(
                ("Item", "Title", "Level", "Target", "Gap (levels)", "Weight"),
                (
                    (
                        f'<span class="id">{e(g.item)}</span>',
                        e(g.title),
                        e(answer_text(items[g.item])),
                        e(target_text(items[g.item])),
                        str(g.gap),
                        f"{g.weight:g}",
                    )
                    for g in card.top_gaps
                ),
                numeric={4, 5},
            )
        )
    else:
        add(f"<p>{e(no_gap_text(card))}</p>")
    add("</section>")

    add('<section id="flagged"><h2>Flagged for review</h2>')
    if card.flagged:
        add(
            table(
                ("Item", "Title", "Answer", "Notes"),
                (
                    (
                        f'<span class="id">{e(f.item)}</span>',
                        e(f.title),
                        e(answer_text(items[f.item])),
                        paragraph(items[f.item].notes) if items[f.item].notes.strip() else "",
                    )
                    for f in card.flagged
                ),
                numeric=set(),
            )
        )
    else:
        add("<p>No item is flagged for review.</p>")
    add("</section>")

    add('<section id="findings"><h2>Findings and recommendations</h2>')
    with_findings = [item for item in card.items if item.finding.strip()]
    if not with_findings:
        add("<p>No findings recorded.</p>")
    for item in with_findings:
        add('<section class="item">')
        add(f'<h3><span class="id">{e(item.id)}</span> {e(item.title)}</h3>')
        add(f'<p class="muted">Answer: {e(answer_text(item))} · Target: {e(target_text(item))}</p>')
        add(paragraph(item.finding))
        add("</section>")
    add("</section>")

    add(_plan(card))

    add('<section id="not-applicable"><h2>Not applicable</h2>')
    not_applicable = [item for item in card.items if item.not_applicable]
    if not_applicable:
        add(
            table(
                ("Item", "Title", "Reason"),
                (
                    (f'<span class="id">{e(i.id)}</span>', e(i.title), paragraph(i.na_reason))
                    for i in not_applicable
                ),
                numeric=set(),
            )
        )
    else:
        add("<p>No item is marked not applicable.</p>")
    add("</section>")

    add('<section id="items"><h2>All items</h2>')
    add("<p>Each item's question as the assessor answered it; guidance is in the appendix.</p>")
    add(
        table(
            ("Item", "Title and question", "Answer", "Target", "Flagged", "Score"),
            (
                (
                    f'<span class="id">{e(i.id)}</span>',
                    f'<b>{e(i.title)}</b><div class="question">{e(i.question)}</div>',
                    e(answer_text(i)),
                    e(target_text(i)),
                    "yes" if i.flagged else "",
                    e(percent(i.score)) if i.score is not None else "–",
                )
                for i in card.items
            ),
            numeric={5},
        )
    )
    add("</section>")

    documented = [item for item in card.items if item.notes.strip() or item.evidence]
    if documented:
        add('<section id="notes"><h2>Notes and evidence</h2>')
        for item in documented:
            add(_notes_and_evidence(item))
        add("</section>")

    add('<section id="sources"><h2>Sources cited</h2>')
    if card.sources:
        add("<ul>")
        for source in card.sources:
            count = len(source.cited_by)
            add(
                f"<li>{e(source.title)} ({e(source.date or 'date not printed')}); "
                f"cited by {count} item{'s' if count != 1 else ''}</li>"
            )
        add("</ul>")
    else:
        add("<p>The checklist cites no sources.</p>")
    add("</section>")

    if card.orphaned:
        add('<section id="orphaned"><h2>Answers to items no longer in the checklist</h2>')
        add("<p>Kept in the assessment file, not scored.</p>")
        add(
            table(
                ("Item", "Answer", "Notes"),
                (
                    (
                        f'<span class="id">{e(o.item)}</span>',
                        "N/A" if o.not_applicable else ("–" if o.level is None else str(o.level)),
                        paragraph(o.notes) if o.notes.strip() else "",
                    )
                    for o in card.orphaned
                ),
                numeric=set(),
            )
        )
        add("</section>")

    add('<section id="method"><h2>How the scores are computed</h2>')
    add(f"<p>{e(card.scoring_rules)}</p>")
    add("<ul>")
    for level in card.checklist.scale.levels:
        description = f": {e(level.description)}" if level.description else ""
        add(f"<li><b>{level.value}</b> {e(level.label)}{description}</li>")
    add(
        f"<li><b>{e(card.checklist.scale.not_applicable_label)}</b>: does not apply; "
        "leaves the score unchanged</li>"
    )
    add("</ul>")
    add(
        f'<p class="muted">Checklist <span class="id">{e(card.checklist.id)}</span> version '
        f'{e(card.checklist.version)}, content hash <span class="id">{e(card.checklist.hash)}'
        "</span>.</p>"
    )
    add("</section>")
    guided = [item for item in card.items if item.guidance.strip()]
    if guided:
        add('<section id="guidance"><h2>Appendix: guidance per item</h2>')
        for item in guided:
            add('<section class="item">')
            add(f'<h3><span class="id">{e(item.id)}</span> {e(item.title)}</h3>')
            add(paragraph(item.guidance))
            add("</section>")
        add("</section>")
    add("</body>")
    add("</html>")
    return "\n".join(out) + "\n"


def _caveats(card: Scorecard) -> str:
    """The checklist's own account of what it is and what it cannot claim, before any score."""
    checklist = card.checklist
    if not (checklist.description.strip() or checklist.limits.strip()):
        return ""
    parts = [
        '<section id="caveats" class="caveats"><h2>Read this first: what the scores measure</h2>'
    ]
    if checklist.description.strip():
        parts.append(paragraph(checklist.description))
    if checklist.limits.strip():
        parts.append(f"<p><b>Limits of this checklist.</b></p>{paragraph(checklist.limits)}")
    parts.append("</section>")
    return "".join(parts)


def _notes_and_evidence(item: ItemInfo) -> str:
    parts = [
        '<section class="item">',
        f'<h3><span class="id">{e(item.id)}</span> {e(item.title)}</h3>',
    ]
    if item.notes.strip():
        parts.append(paragraph(item.notes))
    if item.evidence:
        parts.append("<p>Evidence:</p><ul>")
        for entry in item.evidence:
            extras = [link(entry.link)] if entry.link else []
            if entry.document:
                extras.append(e(entry.document))
            tail = " · " + " · ".join(extras) if extras else ""
            parts.append(f"<li>{e(entry.description)}{tail}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _plan(card: Scorecard) -> str:
    """The "Action plan" section: counts by pillar and institution, then each action."""
    entries = card_entries(card)
    parts = ['<section id="action-plan"><h2>Action plan</h2>']
    if not entries:
        parts.append("<p>No actions are recorded in this assessment.</p></section>")
        return "\n".join(parts)
    overdue = sum(1 for entry in entries if entry.overdue)
    parts.append(
        f"<p>{counted(len(entries), 'action')}; {overdue} overdue on {plan_date(card).isoformat()} "
        "(open, with the deadline passed).</p>"
    )
    for title, by, column in (
        ("By pillar", "pillar", "Pillar"),
        ("By institution", "owner", "Institution"),
    ):
        counts = [
            [e(t.title), str(t.total), str(t.open), str(t.overdue), str(t.done)]
            for t in tallies(entries, by)  # type: ignore[arg-type]
        ]
        parts.append(f"<h3>{title}</h3>")
        parts.append(table([column, "Actions", "Open", "Overdue", "Done"], counts, {1, 2, 3, 4}))
    rows = [
        [
            e(deadline_text(entry)),
            f"<strong>{e(action_status(entry))}</strong>"
            if entry.overdue
            else e(action_status(entry)),
            f"{e(entry.item_id)} {e(entry.item_title)}",
            e(entry.action.owner or "-"),
            e(gap_text(entry)),
            e(entry.action.what),
            e(entry.action.progress),
        ]
        for entry in entries
    ]
    parts.append("<h3>Actions by deadline</h3>")
    headers = ["Deadline", "Status", "Item", "Institution", "Gap", "Action", "Progress"]
    parts.append(table(headers, rows, set()))
    parts.append("</section>")
    return "\n".join(parts)
