"""The HTML report's building blocks: the one escaper, inline SVG bars and charts, tables.

Every string that reaches the page goes through `e` (control characters made
visible, then HTML-escaped), so a note or a title cannot become markup. The
report itself is composed in `reports.html`; the workshop report uses `e` and
`table` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from decalogue.reports.scorecard_parts import Figures, PillarFigures, SectionFigures
from decalogue.reports.text import printable
from decalogue.reports.wording import carried_count, gap_points, percent, target_percent


def e(text: object) -> str:
    """Text for HTML: control characters made visible, then escaped (quotes too)."""
    return escape(printable(str(text)), quote=True)


def svg_bar(score: float | None, target: float | None, width: int = 160) -> str:
    """A score bar with the target as a red tick; an empty track when there is no score."""
    height = 12
    label = f"score {percent(score)}, target {percent(target)}"
    parts = [
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{e(label)}">',
        f'<rect class="bar-track" width="{width}" height="{height}"/>',
    ]
    if score is not None:
        parts.append(
            f'<rect class="bar-fill" width="{scaled(score, width):.1f}" height="{height}"/>'
        )
    if target is not None and score is not None and target > score:
        x = scaled(target, width)
        parts.append(f'<line class="bar-target" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}"/>')
    parts.append("</svg>")
    return "".join(parts)


def scaled(value: float, width: int) -> float:
    return max(0.0, min(100.0, value)) / 100 * width


def svg_chart(rows: list[Figures]) -> str:
    """One horizontal bar per group, labelled with its id, for the summary."""
    label_width, bar_width, value_width, row_height = 90, 440, 90, 26
    width = label_width + bar_width + value_width
    height = row_height * len(rows) + 6
    out = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Scores by pillar">'
    ]
    for index, row in enumerate(rows):
        y = 3 + index * row_height
        label = row.id if len(row.id) <= 12 else row.id[:11] + "…"
        out.append(f"<g><title>{e(row.title)}: {e(percent(row.score))}</title>")
        out.append(f'<text x="0" y="{y + 15}">{e(label)}</text>')
        out.append(
            f'<rect class="bar-track" x="{label_width}" y="{y}" width="{bar_width}" height="18"/>'
        )
        if row.score is not None:
            out.append(
                f'<rect class="bar-fill" x="{label_width}" y="{y}" '
                f'width="{scaled(row.score, bar_width):.1f}" height="18"/>'
            )
        if row.target_score is not None and row.score is not None:
            x = label_width + scaled(row.target_score, bar_width)
            out.append(
                f'<line class="bar-target" x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 18}"/>'
            )
        out.append(
            f'<text x="{label_width + bar_width + 8}" y="{y + 15}">{e(percent(row.score))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>"
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figures_table(kind: str, rows: list[Figures]) -> str:
    return table(
        (kind, "Score", "", "Coverage", "Target", "Gap (points)", "Carried", "Flagged"),
        (
            (
                f'<span class="id">{e(r.id)}</span> {e(r.title)}',
                e(percent(r.score)),
                svg_bar(r.score, r.target_score),
                f"{r.coverage:.0f}%",
                e(target_percent(r)),
                e(gap_points(r)),
                e(carried_count(r)),
                str(r.flagged),
            )
            for r in rows
        ),
        numeric={1, 3, 4, 5, 6, 7},
    )


def summaries(rows: Sequence[PillarFigures | SectionFigures]) -> str:
    """Each group's summary from the checklist, under the table of its scores."""
    lines = [
        f'<li><span class="id">{e(r.id)}</span>: {e(r.summary)}</li>'
        for r in rows
        if r.summary.strip()
    ]
    return f'<ul class="summaries">{"".join(lines)}</ul>' if lines else ""


def paragraph(text: str) -> str:
    return f'<p class="text">{e(text.strip())}</p>'


def link(url: str) -> str:
    if url.lower().startswith(("https://", "http://")):
        return f'<a href="{e(url)}" rel="noreferrer noopener">{e(url)}</a>'
    return e(url)
