"""The home screen with an author's registered checklist: picked in the form, opened by id."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from decalogue.model.assessment import Answer
from decalogue.storage import registry, store
from decalogue.storage.checklists import Checklists
from decalogue.tui.app import create_app
from tests.helpers import SIZE, home_rows, open_assess, open_new_form
from tests.samples import ID, V1


async def test_new_assessment_form_offers_a_registered_checklist_and_home_reopens_it(
    workspace: Path,
) -> None:
    _, registered, _ = registry.add(V1, Checklists(workspace))
    app = create_app(workspace, user="Tester")  # no --checklist: found by id and version
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        picker = form.query_one("#checklist", Select)
        offered = {label for label, _ in picker._options}  # (label, value) pairs
        assert f"{ID} 1.0.0 (registered)" in {str(label) for label in offered}
        picker.value = str(registered)
        await pilot.press("X", "X", "tab", *"Exampleland", "tab", *"2025")
        await pilot.press("ctrl+s")
        screen = await open_assess(pilot)
        assert screen.checklist.meta.id == ID and screen.session is not None
        assert screen.session.set_answer("SUP-01", Answer(level=3)) is not None
        screen.session.save()
        await pilot.press("escape")
        rows = await home_rows(pilot)
        [row] = [r for r in rows if "XX" in " ".join(r)]
        assert f"{ID} 1.0.0" in " ".join(row) or ID in " ".join(row)
        assert "?" not in " ".join(row)
        await pilot.press("enter")
        again = await open_assess(pilot)
        assert again.checklist.meta.id == ID
    saved = store.read(workspace / "XX-2025.json").assessment
    assert (saved.checklist.id, saved.checklist.version) == (ID, "1.0.0")
    assert saved.responses["SUP-01"].level == 3
