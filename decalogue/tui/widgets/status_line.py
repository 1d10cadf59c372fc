"""The assess screen's header line: which assessment, how far, how good, saved or not, by whom."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from decalogue.model.assessment import STATUS_LABELS, Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import GroupScore
from decalogue.plural import counted
from decalogue.session import SaveState
from decalogue.tui.display import GLYPH_CARRIED, Part, assemble, figure, safe_line, shorten


def save_words(state: SaveState) -> str:
    """The save state in a few words, most urgent first."""
    if state.waiting:
        return "⏳ waiting for the server: edits kept here" if state.dirty else "⏳ server away"
    if state.error:
        return f"✗ error: {state.error}"
    if state.conflicts:
        return f"⚠ {counted(state.conflicts, 'conflict')} (C)"
    if state.saving:
        return "… saving"
    if state.dirty:
        return "● unsaved"
    return "✓ saved"


class StatusLine(Static):
    """One line; updated in place on every change (no layout work)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)
        self._lines: list[list[Part]] = []
        """The assessment's line, then shorter ones for narrower terminals (as parts)."""

    def show_assessment(
        self, assessment: Assessment, overall: GroupScore, state: SaveState, user: str
    ) -> None:
        """The assessment, its progress, the session's save state, and who is editing.

        On a narrow terminal the parts that matter least go first (the title, who is
        editing, the overall score, the coverage; then the country's name before the
        title): the save state always shows.
        """
        country = assessment.country
        done = overall.answered + overall.not_applicable
        alarm = bool(state.error or state.conflicts or state.waiting)
        title = assessment.title.strip()
        where: list[Part] = [
            (f"{country.name} ({country.code})", "bold"),
            f" · {assessment.period}",
        ]
        if assessment.status != "draft":  # final: edits are refused, and the header says why
            where += [" · ", (STATUS_LABELS[assessment.status], "bold")]
        named: list[Part] = [" · ", (shorten(title, 30), "bold")] if title else []
        # On a phone, a workshop group's title says more than the country all groups share.
        coded: list[Part] = [(country.code, "bold"), *where[1:], *named] if title else where
        coverage: list[Part] = [f" · coverage {overall.coverage:.0f}% ({done}/{overall.total})"]
        score: list[Part] = [" · overall ", (figure(overall.score), "bold")]
        # Every score says how much of it is last period's answers, in words while there
        # is room, else as the glyph alone ("50.0 ↻15"), before the score itself goes.
        carried = f" ({GLYPH_CARRIED}{overall.carried} carried)" if overall.carried else ""
        short = f" {GLYPH_CARRIED}{overall.carried}" if overall.carried else ""
        saved: list[Part] = [" · ", (save_words(state), "bold" if alarm else "")]
        who: list[Part] = [" · ", (safe_line(user), "italic")]
        self._lines = [
            [*where, *named, *coverage, *score, carried, *saved, *who],
            [*where, *coverage, *score, carried, *saved, *who],
            [*where, *coverage, *score, carried, *saved],
            [*where, *coverage, *score, short, *saved],
            [*where, *coverage, *saved],
            [*where, *named, *saved],
            [*coded, *saved],
            [*where, *saved],
        ]
        self._show_fitting()
        self.set_class(alarm, "-error")

    def _show_fitting(self) -> None:
        """The longest line that fits (assembled only as far as needed: every keystroke)."""
        width = self.content_region.width
        for parts in self._lines:
            line = assemble(*parts)
            if not width or line.cell_length <= width:
                break
        # One line, always: no layout pass of the screen per keystroke.
        self.update(line, layout=False)

    def on_resize(self) -> None:
        if self._lines:
            self._show_fitting()

    def show_checklist(self, checklist: Checklist, shown: int) -> None:
        self._lines = []
        meta = checklist.meta
        total = len(checklist.items)
        items = counted(total, "item")
        count = items if shown == total else f"{shown} of {items}"
        self.update(
            assemble(("Explore", "bold"), " · ", meta.title, f" · v{meta.version} · {count}")
        )
