"""The analyst's day on a PostgreSQL store: what rests on last period's answers says so.

Real `decalogue` processes with `--store` against the throw-away server of
`tests.postgres`. Fictional countries only.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, schema
from tests.helpers import run
from tests.postgres import checklist_text


def _cli(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECALOGUE_WORKSPACE=str(tmp_path / "ws"), DECALOGUE_USER="Ana")
    env.pop("DECALOGUE_STORE", None)
    return run(*args, cwd=tmp_path, env=env)


def test_a_store_lists_compares_and_exports_with_the_carried_answers_said(
    pg_url: str, tmp_path: Path
) -> None:
    checklist = load_checklist()
    first = checklist.items[0].id
    older = new_assessment(checklist, "XX", "2024", country_name="Exampleland")
    older.apply(first, "answer", Answer(level=3), "Ana")
    older.set_status("final", "B. Minister")
    newer = carry_forward(older, checklist, "2025", "Ana")
    schema.migrate(pg_url, create=True)
    for assessment in (older, newer):
        documents.push(pg_url, assessment, checklist_text())

    listed = _cli(tmp_path, "list", "--store", pg_url, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    entries = {e["assessment_id"]: e for e in json.loads(listed.stdout)["assessments"]}
    assert (entries[newer.id]["status"], entries[newer.id]["carried"]) == ("draft", 1)
    assert (entries[older.id]["status"], entries[older.id]["carried"]) == ("final", 0)

    compared = _cli(tmp_path, "compare", "--store", pg_url, older.id[:8], newer.id[:8])
    assert compared.returncode == 0, compared.stderr
    assert "Draft; 1 of 1 answer carried forward from 2024, not yet confirmed" in compared.stdout
    assert "3↻" in compared.stdout

    kept = tmp_path / "XX-2024.json"
    store.create(kept, older)
    before = kept.read_bytes()
    args = ("export", "--store", pg_url, newer.id[:8], "--format", "md", "-o", kept)
    refused = _cli(tmp_path, *args)
    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0 and "is an assessment file" in refused.stderr
    assert kept.read_bytes() == before
