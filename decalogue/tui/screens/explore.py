"""The explore screen: a checklist read, never written (`decalogue explore`)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from decalogue.model.checklist import Checklist
from decalogue.tui.screens.browse import BACK, FILTER, SOURCE, ChecklistScreen


class ExploreScreen(ChecklistScreen):
    """Browse a checklist: pillars, sections, items, guidance and sources; no scoring keys."""

    BINDINGS: ClassVar[list[BindingType]] = [FILTER, SOURCE, BACK]

    def __init__(self, checklist: Checklist) -> None:
        super().__init__(checklist, None)

    def _refresh_status(self) -> None:
        self.status.show_checklist(self.checklist, self.checklist_tree.matched)
