"""The compare screen: two or more assessments side by side, and a trend for one country.

Reached from the home screen with the selected assessments: files of the workspace,
or, on a database store (`--store`), the stored assessments by id. They are read
and scored in a thread worker (`decalogue.analysis.compare` does the work; every figure
comes from its ScoreBoards); the handlers fill four tabs: a summary, the items
with their change, the pillar and section scores, and, for one country across
periods, a trend chart. Changes read as a sign and a word (▲ improved), never
as colour alone; text from files and checklists is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from decalogue.analysis.compare import (
    ChangeKind,
    Comparison,
    ComparisonError,
    GroupChange,
    Subject,
    change_text,
    compare,
    kind_word,
    unique_labels,
)
from decalogue.analysis.trend import Trend, TrendRow, trend
from decalogue.batch import open_many
from decalogue.model.scoring import ItemScore
from decalogue.plural import counted
from decalogue.reports.comparison import scored as with_coverage
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import Part, assemble, bar, figure, safe_line, shorten
from decalogue.tui.tables import fill_table
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

#: Sparkline steps, lowest to highest; a score of 0 is the lowest step, not a gap.
SPARKS = "▁▂▃▄▅▆▇█"
TREND_BAR = 20
TITLE = 28


# --------------------------------------------------------------------------- loading


def short_labels(subjects: Sequence[Subject]) -> tuple[str, ...]:
    """Column headings that fit: the period for one country, the code for one period."""
    countries = {s.assessment.country.code for s in subjects}
    periods = {s.assessment.period for s in subjects}
    if len(countries) == 1:
        base = [s.assessment.period for s in subjects]
    elif len(periods) == 1:
        base = [s.assessment.country.code for s in subjects]
    else:
        base = [f"{s.assessment.country.code} {s.assessment.period}" for s in subjects]
    return unique_labels(subjects, base)


def trend_of(subjects: Sequence[Subject]) -> Trend | None:
    """A trend when the assessments are of one country in two or more periods."""
    if len({s.assessment.country.code for s in subjects}) != 1:
        return None
    if len({s.assessment.period for s in subjects}) < 2:
        return None
    try:
        return trend(subjects)
    except ComparisonError:
        return None


# --------------------------------------------------------------------------- words


def level_text(answer: ItemScore | None, na_label: str) -> str:
    if answer is None:
        return "absent"
    if answer.not_applicable:
        return na_label
    return "–" if answer.level is None else str(answer.level)


def points(delta: float | None) -> str:
    """A score change in points, with its sign: "▲ +12.5", "▼ -3.0", "= 0.0"."""
    if delta is None:
        return "–"
    if abs(delta) < 0.05:
        return "= 0.0"
    return f"▲ +{delta:.1f}" if delta > 0 else f"▼ {delta:.1f}"


def spark(values: Sequence[float | None]) -> str:
    """One character per period on the 0-100 scale; a dot where there is no score."""
    steps = len(SPARKS) - 1
    return "".join(
        "·" if v is None else SPARKS[round(max(0.0, min(100.0, v)) / 100 * steps)] for v in values
    )


def _group_name(group: GroupChange | TrendRow, width: int) -> str:
    """Pillars indented under the overall score, sections under their pillar."""
    if group.kind == "overall":
        return "Overall"
    indent = "  " if group.kind == "pillar" else "    "
    return indent + shorten(f"{group.id} {group.title}", width - len(indent))


# --------------------------------------------------------------------------- screen


@dataclass(frozen=True)
class Compared:
    """What the compare screen shows, read in a worker: the comparison, a trend, notes."""

    comparison: Comparison
    trend: Trend | None
    notes: list[str]


class CompareScreen(HandlesWork, Screen[None]):
    """Compare the given assessments (files, or a database store's ids as the home screen
    lists them); escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="compare.back", tooltip="Back to the home screen"),
        Binding("1", "tab('summary')", "Summary", id="compare.summary", tooltip="Show the summary"),
        Binding("2", "tab('items')", "Items", id="compare.items", tooltip="Show item by item"),
        Binding(
            "3",
            "tab('scores')",
            "Scores",
            id="compare.scores",
            tooltip="Show the pillar and section scores",
        ),
        Binding(
            "4", "tab('trend')", "Trend", id="compare.trend", tooltip="Show the trend over periods"
        ),
        Binding(
            "f",
            "changed_only",
            "Changed only",
            id="compare.changed",
            tooltip="Show only the items that changed (or all again)",
        ),
    ]

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = list(paths)
        self.comparison: Comparison | None = None
        self.trend: Trend | None = None
        self.changed_only = False

    @property
    def context(self) -> Context:
        return app_context(self.app)

    def compose(self) -> ComposeResult:
        yield Static(
            Content(f"Compare · reading {len(self.paths)} assessments…"), id="compare-title"
        )
        with TabbedContent(id="compare-tabs", initial="summary"):
            with TabPane("Summary", id="summary"), VerticalScroll(id="compare-summary-scroll"):
                yield Static(Content(""), id="compare-summary")
            with TabPane("Items", id="items"):
                yield DataTable(id="compare-items", cursor_type="row", zebra_stripes=True)
            with TabPane("Scores", id="scores"):
                yield DataTable(id="compare-scores", cursor_type="row", zebra_stripes=True)
            with TabPane("Trend", id="trend"), VerticalScroll(id="compare-trend-scroll"):
                yield Static(Content(""), id="compare-trend")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(TabbedContent).hide_tab("trend")
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab" and parameters == ("trend",):
            return self.trend is not None
        if action == "changed_only":
            return self.comparison is not None
        return True

    # -- loading

    def _load(self) -> None:
        """Files, or the store's assessments by id (read without their histories)."""
        context = self.context
        sources: list[Path | str] = (
            list(self.paths) if context.in_files else [str(path) for path in self.paths]
        )
        checklists, kept = context.checklist_resolver, context.store

        def load() -> Compared:
            loaded = open_many(sources, checklists, kept, history=False)
            subjects = loaded.subjects()
            return Compared(compare(subjects), trend_of(subjects), loaded.notes)

        run_blocking(self, load, self._ready, self._failed, group="compare", exclusive=True)

    def _failed(self, error: str) -> None:
        self.query_one("#compare-title", Static).update(
            assemble(("Compare", "bold"), " · cannot compare these assessments")
        )
        self.query_one("#compare-summary", Static).update(
            assemble(("⚠ ", "bold"), error, "\n\nPress escape to go back.")
        )

    def _ready(self, compared: Compared) -> None:
        self.comparison, self.trend = compared.comparison, compared.trend
        result = compared.comparison
        labels = short_labels(result.subjects)
        first = result.subjects[0].assessment
        what = (
            f"{first.country.name} ({first.country.code}) {labels[0]} → {labels[-1]}"
            if len({s.assessment.country.code for s in result.subjects}) == 1
            else " → ".join(labels)
        )
        self.query_one("#compare-title", Static).update(
            assemble(
                ("Compare", "bold"),
                f" · {len(result.subjects)} assessments · ",
                what,
                f" · {result.checklist_id}",
            )
        )
        self.query_one("#compare-summary", Static).update(
            self._summary(result, labels, compared.notes)
        )
        self._fill_items(labels)
        self._fill_scores(labels)
        tabs = self.query_one(TabbedContent)
        if self.trend is not None:
            tabs.show_tab("trend")
            self.query_one("#compare-trend", Static).update(self._trend(self.trend))
        self.refresh_bindings()

    # -- summary

    def _summary(self, result: Comparison, labels: Sequence[str], notes: list[str]) -> Content:
        parts: list[Part] = []
        width = max(len(label) for label in labels)
        for label, subject in zip(labels, result.subjects, strict=True):
            a = subject.assessment
            version = f" · version {subject.version}" if result.mixed_versions else ""
            parts += [
                (f"{label:<{width}}", "bold"),
                f"  {self._source(subject.path)} · {a.display_title()}{version}\n",
            ]
        parts += ["\n", (f"Scores {labels[0]} → {labels[-1]} (0-100)", "bold underline"), "\n"]
        for group in result.groups:
            if group.kind == "section":
                continue
            values = " → ".join(figure(v) for v in (group.values[0], group.values[-1]))
            parts.append(
                f"{_group_name(group, 34):<34} {values:>13}  {points(group.delta)}"
                + ("" if group.same_items else "  (items differ between versions)")
                + "\n"
            )
        parts += ["\n", ("Items", "bold underline"), "\n"]
        across = result.across_countries
        counted = [
            f"{kind.sign} {n} {kind_word(kind, across)}" for kind, n in result.counts.items() if n
        ]
        parts.append(" · ".join(counted) or "no items")
        parts.append("\n")
        na = result.scale_checklist.scale.not_applicable.label
        last = result.labels[-1]
        headings = (
            (f"Most higher in {last}", f"Most lower in {last}")
            if across
            else ("Top improvements", "Top regressions")
        )
        for heading, items in zip(
            headings, (result.top_improvements, result.top_regressions), strict=True
        ):
            parts += ["\n", (heading, "bold underline"), "\n"]
            if not items:
                parts.append("  none\n")
            for change in items:
                kind = change.kind or ChangeKind.UNCHANGED
                parts.append(
                    f"  {kind.sign} {change.item_id} {shorten(change.title, 36)}  "
                    f"{level_text(change.answers[0], na)} → {level_text(change.answers[-1], na)}"
                    f" ({change.delta:+d})\n"
                    if change.delta is not None
                    else f"  {kind.sign} {change.item_id} {shorten(change.title, 36)}\n"
                )
        if result.mixed_versions:
            parts += [
                "\n",
                ("Checklist versions differ: ", "bold"),
                f"items compared on the {len(result.items)} they share; "
                f"{len(result.unshared)} listed apart at the end of the Items tab.\n",
            ]
        for note in notes:
            parts += ["\n", ("note: ", "bold"), note]
        scale = result.scale_checklist.scale
        legend = ", ".join(f"{lv.value} {lv.label}" for lv in scale.levels)
        parts += ["\n", (f"Levels: {legend}; {na}; – unanswered.", "dim")]
        return assemble(*parts)

    def _source(self, shown: str) -> str:
        """A file by its name; a stored assessment as batch names it (country, period, id)."""
        return Path(shown).name if self.context.in_files else shown

    # -- items and scores

    def _fill_items(self, labels: Sequence[str]) -> None:
        result = self.comparison
        if result is None:
            return
        table = self.query_one("#compare-items", DataTable)
        columns = [
            ("item", "Item"),
            ("title", "Title"),
            *((f"s{index}", shorten(label, 12)) for index, label in enumerate(labels)),
            ("change", "Change"),
        ]
        na = result.scale_checklist.scale.not_applicable.label
        changes = [
            c for c in result.items if not self.changed_only or c.kind is not ChangeKind.UNCHANGED
        ]
        rows = [
            (
                change.item_id,
                [
                    Text(safe_line(change.item_id)),
                    Text(shorten(change.title, TITLE)),
                    *(Text(level_text(a, na), justify="right") for a in change.answers),
                    Text(change_text(change, result.across_countries)),
                ],
            )
            for change in (*changes, *result.unshared)
        ]
        fill_table(table, columns, rows)

    def _fill_scores(self, labels: Sequence[str]) -> None:
        result = self.comparison
        if result is None:
            return
        table = self.query_one("#compare-scores", DataTable)
        notes = any(group.note for group in result.groups)
        columns = [
            ("group", "Pillar / section (score, coverage)"),
            *((f"s{index}", shorten(label, 12)) for index, label in enumerate(labels)),
            ("change", "Change"),
            *([("note", "Note")] if notes else []),
        ]
        rows = [
            (
                f"{group.kind}:{group.id}",
                [
                    Text(
                        _group_name(group, 40) + ("" if group.same_items else " *"),
                        style="bold" if group.kind != "section" else "",
                    ),
                    *(
                        Text(with_coverage(v, c), justify="right")
                        for v, c in zip(group.values, group.coverages, strict=True)
                    ),
                    Text(points(group.delta)),
                    *([Text(safe_line(group.note or ""))] if notes else []),
                ],
            )
            for group in result.groups
        ]
        fill_table(table, columns, rows)

    # -- trend

    def _trend(self, result: Trend) -> Content:
        periods = result.periods
        width = max(len(p) for p in periods)
        parts: list[Part] = [
            (f"Trend of {result.country_name} ({result.country_code})", "bold"),
            f" · {counted(len(periods), 'period')}, {periods[0]} to {periods[-1]} · scores 0-100\n",
        ]
        for row in result.rows:
            if row.kind == "section":
                continue
            scored = [v for v in row.values if v is not None]
            span = f"{figure(scored[0])} → {figure(scored[-1])}" if scored else "no scores"
            parts += [
                "\n",
                (_group_name(row, 40).strip(), "bold"),
                f"  {spark(row.values)}  {span}  {points(row.change)}\n",
            ]
            for period, value, coverage in zip(periods, row.values, row.coverage, strict=True):
                shown = with_coverage(value, coverage)
                parts.append(f"  {period:<{width}}  {bar(value, TREND_BAR)} {shown:>11}\n")
            if row.note:
                parts.append((f"  {safe_line(row.note)}\n", "italic"))
        parts += [
            "\n",
            ("Sections are in the Scores tab; `decalogue trend` exports the columns.", "dim"),
        ]
        return assemble(*parts)

    # -- actions

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tab == "trend" and self.trend is None:
            return
        tabs.active = tab
        focus = {"items": "#compare-items", "scores": "#compare-scores"}.get(tab)
        if focus:
            self.query_one(focus, DataTable).focus()

    def action_changed_only(self) -> None:
        if self.comparison is None:
            return
        self.changed_only = not self.changed_only
        self._fill_items(short_labels(self.comparison.subjects))
        self.action_tab("items")
        shown = "only changed items" if self.changed_only else "every item"
        self.notify(f"Items tab: {shown}.", timeout=2)

    def action_back(self) -> None:
        self.dismiss(None)
