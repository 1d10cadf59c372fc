"""The compare screen on a PostgreSQL store, against a real server: the assessments
selected on the home screen are read from the store by id (with the checklist kept with
each), so two periods of one country compare and draw a trend with no file anywhere.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from decalogue.model.assessment import Answer, new_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, schema
from decalogue.tui.app import create_app
from decalogue.tui.screens.compare import CompareScreen
from decalogue.tui.screens.home import HomeScreen
from tests.helpers import home_rows, on_top, settle
from tests.postgres import checklist_text

SIZE = (120, 40)


def stored(url: str, period: str, level: int) -> str:
    """An Exampleland assessment with LF-01 answered at `level`, in the store; its id."""
    assessment = new_assessment(
        load_checklist(), "XX", period, country_name="Exampleland", assessor="Tester"
    )
    assessment.apply("LF-01", "answer", Answer(level=level), "Tester")
    documents.push(url, assessment, checklist_text())
    return assessment.id


async def test_two_stored_periods_compare_from_the_home_screen(pg_url: str, tmp_path: Path) -> None:
    schema.migrate(pg_url, create=True)
    before, after = stored(pg_url, "2024", 1), stored(pg_url, "2025", 3)
    app = create_app(tmp_path / "ws", store=pg_url, user="Ana Example")
    async with app.run_test(size=SIZE) as pilot:
        assert len(await home_rows(pilot)) == 2
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("space", "space", "C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None and screen.trend is not None
        title = str(screen.query_one("#compare-title", Static).render())
        assert "Exampleland (XX) 2024 → 2025" in title
        summary = str(screen.query_one("#compare-summary", Static).render())
        assert f"XX 2024 ({before[:8]})" in summary and f"XX 2025 ({after[:8]})" in summary
        item = screen.query_one("#compare-items", DataTable).get_row("LF-01")
        assert [str(cell) for cell in item[2:4]] == ["1", "3"]
        await pilot.press("escape")
        assert on_top(app) is home
    folder = tmp_path / "ws"
    assert not folder.exists() or not list(folder.glob("*.json"))
