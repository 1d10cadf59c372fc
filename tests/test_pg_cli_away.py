"""One-change commands (`status`, `confirm`, `plan --csv`, `import`) on a stored assessment
whose server goes away between reading it and saving: exit 1, one line saying it was not
saved and to run the command again once the server is back, and nothing half-done in the
store. The server really stops while the command waits for the row's lock (held here)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from tests.postgres import Cluster, checklist_text

PLAN = (
    "item_id,action_id,what,owner,deadline,status\n"
    "LF-01,,Draft a by-law,Ministry,2026-06-30,planned\n"
)
ANSWERS = "item_id,level\nLF-02,2\n"

COMMANDS = {
    "status": ["status", "{id}", "review"],
    "confirm": ["confirm", "{id}", "LF-01"],
    "plan": ["plan", "{id}", "--csv", "{folder}/plan.csv"],
    "import": ["import", "{id}", "--csv", "{folder}/answers.csv"],
}


def stored(url: str) -> str:
    """A 2026 assessment carried forward from 2025 (LF-01 carried, unconfirmed); its id."""
    schema.migrate(url, create=True)
    checklist = load_checklist()
    before = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    before.apply("LF-01", "answer", Answer(level=3), "Tester")
    assessment = carry_forward(before, checklist, "2026", "Tester")
    documents.push(url, assessment, checklist_text())
    return assessment.id


def waiting_for_a_lock(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()
    return row is not None and row[0] > 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_whose_save_cannot_reach_the_server_says_to_run_it_again(
    name: str, tmp_path: Path
) -> None:
    (tmp_path / "plan.csv").write_text(PLAN, encoding="utf-8")
    (tmp_path / "answers.csv").write_text(ANSWERS, encoding="utf-8")
    server = Cluster()  # its own server: this test stops it
    try:
        url = server.create_database("away")
        ident = stored(url)
        before = location.load(url, ident)[0]
        args = [a.format(id=ident[:8], folder=tmp_path) for a in COMMANDS[name]]
        holder = psycopg.connect(url)
        holder.execute("SELECT 1 FROM assessments WHERE id = %s FOR UPDATE", (ident,))
        command = subprocess.Popen(
            [sys.executable, "-m", "decalogue", *args, "--store", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DECALOGUE_USER": "Ana Example"},
        )
        try:
            for _ in range(600):  # until its save waits for the row (a bound, not a timing)
                if waiting_for_a_lock(url) or command.poll() is not None:
                    break
                time.sleep(0.1)
            assert command.poll() is None, command.communicate()
            server.stop()  # the server goes away while the save waits
            out, err = command.communicate(timeout=120)
        finally:
            with contextlib.suppress(psycopg.Error):
                holder.close()
            if command.poll() is None:
                command.kill()
        assert command.returncode == 1, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert "the server cannot be reached" in lines[0]
        assert "not saved: run the command again once the server is back" in lines[0]
        server.start()
        after = location.load(url, ident)[0]
        assert after == before  # nothing half-done: no status, answer, action or history
    finally:
        server.remove()
