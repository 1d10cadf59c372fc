"""`decalogue serve --store`: a real server process, a client playing the browser, and a
real PostgreSQL store. A group given by the start of its id (as `decalogue list` shows
ids) gets its assessment in the page and scores into the store; the server names it on
its link line by the start of its id that a person can read and type.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from decalogue.model.assessment import new_assessment
from decalogue.roles import GroupOption
from decalogue.serve.room import shown_files
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from decalogue.storage.stores import PgStore
from tests.postgres import checklist_text
from tests.serve_client import Browser
from tests.serving import Served


def stored(url: str, title: str) -> str:
    """An unanswered Exampleland assessment in the store; its id."""
    schema.migrate(url, create=True)
    assessment = new_assessment(
        load_checklist(), "XX", "2025", country_name="Exampleland", assessor=title, title=title
    )
    documents.push(url, assessment, checklist_text())
    return assessment.id


async def test_a_group_named_by_the_start_of_its_id_scores_its_stored_assessment(
    pg_url: str, tmp_path: Path
) -> None:
    ident = stored(pg_url, "Group A")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    server = Served(workspace, "--store", pg_url, "--group", f"Group A={ident[:8]}")
    try:
        [line] = [line for line in server.lines if "group 'Group A'" in line]
        assert f"(only {ident[:8]}): http" in line and ident not in line
        browser = await Browser(server.links["Group A"], 120, 40).open()
        try:
            await browser.wait_for("LF-01 Access to healthcare", 60)  # its page, not empty
            await browser.press("3")
            for _ in range(300):  # a generous bound, not a timing claim
                answered = location.load(pg_url, ident)[0].responses
                if "LF-01" in answered:
                    break
                await asyncio.sleep(0.1)
        finally:
            await browser.close()
    finally:
        server.kill()
    assessment = location.load(pg_url, ident)[0]
    assert assessment.responses["LF-01"].level == 3
    assert [c.by for c in assessment.history if c.item == "LF-01"] == ["Group A"]


def test_a_link_line_names_a_stored_group_by_a_start_no_other_id_shares(
    pg_url: str, tmp_path: Path
) -> None:
    """Eight characters, as elsewhere; more where another assessment's id starts the same,
    so what the line shows is what `decalogue open --store URL ID` takes back."""
    alone = stored(pg_url, "Group A")
    twin = new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland", title="B")
    twin.id = alone[:10] + ("0" if alone[10] != "0" else "1") + alone[11:]
    documents.push(pg_url, twin, checklist_text())
    groups = [GroupOption("Group A", alone), GroupOption("Group B", twin.id)]
    shown = shown_files(groups, pg_url)
    assert shown == {alone: alone[:11], twin.id: twin.id[:11]}
    assert all(PgStore(pg_url).find_id(start) == whole for whole, start in shown.items())
    third = new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland", title="C")
    documents.push(pg_url, third, checklist_text())
    if not third.id.startswith(alone[:8]):  # 1 in 4 billion that it does
        assert shown_files([GroupOption("C", third.id)], pg_url) == {third.id: third.id[:8]}
