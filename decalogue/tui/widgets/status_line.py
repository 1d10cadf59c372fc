"""The assess screen's header line: who, when, how far, how good, and whether it is saved."""

from __future__ import annotations

from typing import Literal

from textual.content import Content
from textual.widgets import Static

from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import GroupScore
from decalogue.tui.display import assemble, figure, shorten

SaveState = Literal["saved", "unsaved", "saving", "error"]

_SAVE_WORDS: dict[SaveState, str] = {
    "saved": "✓ saved",
    "unsaved": "● unsaved",
    "saving": "… saving",
    "error": "✗ error",
}


class StatusLine(Static):
    """One line; updated in place on every change (no layout work)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)

    def show_assessment(
        self, assessment: Assessment, overall: GroupScore, state: SaveState, error: str = ""
    ) -> None:
        country = assessment.country
        done = overall.answered + overall.not_applicable
        save = _SAVE_WORDS[state] + (f": {error}" if error else "")
        title = assessment.title.strip()
        named: list[str | tuple[str, str]] = [(shorten(title, 30), "bold"), " · "] if title else []
        self.update(
            assemble(
                (f"{country.name} ({country.code})", "bold"),
                f" · {assessment.period} · ",
                *named,
                f"coverage {overall.coverage:.0f}% ({done}/{overall.total})",
                " · ",
                ("overall ", ""),
                (figure(overall.score), "bold"),
                " · ",
                (save, "bold" if state == "error" else ""),
            ),
            layout=False,  # one line, always: no layout pass of the screen per keystroke
        )
        self.set_class(state == "error", "-error")

    def show_checklist(self, checklist: Checklist, shown: int) -> None:
        meta = checklist.meta
        total = len(checklist.items)
        count = f"{total} items" if shown == total else f"{shown} of {total} items"
        self.update(
            assemble(("Explore", "bold"), " · ", meta.title, f" · v{meta.version} · {count}")
        )
