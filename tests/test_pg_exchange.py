"""export and import on a PostgreSQL store: any format from an id, an edited CSV into a
stored assessment (and refused to a login that may only read it).

One database for the file with one assessment of Exampleland; every command is a real
`decalogue` process with `--store` and the assessment's id.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import psycopg
import pytest

from decalogue.model.assessment import Answer, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import access, documents, location, schema
from tests.helpers import edited_csv, run
from tests.postgres import Cluster, checklist_text


class Shelf:
    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        assessment = new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland")
        assessment.apply("LF-01", "answer", Answer(level=2), "Ana")
        assessment.apply("LF-02", "answer", Answer(level=1), "Ana")
        documents.push(url, assessment, checklist_text())
        self.id = assessment.id
        self.file = folder / "XX-2025.json"  # the same assessment as a file, to compare with
        store.create(self.file, assessment)


@pytest.fixture(scope="module")
def shelf(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Shelf:
    url = cluster.create_database(f"exchange_{os.getpid()}")
    schema.migrate(url, create=True)
    return Shelf(url, tmp_path_factory.mktemp("files"))


def _cli(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECALOGUE_WORKSPACE=str(where / "workspace"), DECALOGUE_USER="Ana")
    env.pop("DECALOGUE_STORE", None)
    return run(*args, cwd=where, env=env)


@pytest.mark.parametrize("fmt", ["csv", "md", "html", "json"])
def test_export_by_id_gives_what_the_file_gives(shelf: Shelf, tmp_path: Path, fmt: str) -> None:
    stored = _cli(tmp_path, "export", shelf.id, "--store", shelf.url, "--format", fmt)
    assert stored.returncode == 0, stored.stderr
    from_file = _cli(tmp_path, "export", str(shelf.file), "--format", fmt)
    assert _timeless(stored.stdout) == _timeless(from_file.stdout)
    assert "LF-01" in stored.stdout
    out = tmp_path / f"report.{fmt}"
    start = shelf.id[:8]  # the start batch output shows, e.g. "XX 2025 (a0b7adc9)"
    written = _cli(tmp_path, "export", start, "--store", shelf.url, "-o", str(out))
    assert written.returncode == 0, written.stderr
    assert _timeless(out.read_text(encoding="utf-8")) == _timeless(stored.stdout)


def _timeless(text: str) -> str:
    """An export without the moment it was made (two exports are seconds apart, and may
    fall on either side of a minute: a report says "Generated 2026-11-28 00:34 UTC")."""
    text = re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "(time) UTC", text)


def test_export_of_a_missing_id_is_one_line_naming_the_store(shelf: Shelf, tmp_path: Path) -> None:
    done = _cli(tmp_path, "export", "abcdef0123", "--store", shelf.url, "--format", "csv")
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "no assessment 'abcdef0123' in the store" in line and "decalogue list --store" in line


def test_import_applies_an_edited_csv_to_the_stored_assessment(
    shelf: Shelf, tmp_path: Path
) -> None:
    edited = edited_csv(shelf.file, load_checklist(), tmp_path, {"LF-01": "4", "LF-03": "3"})
    before = location.revision(shelf.url, shelf.id)
    dry = _cli(
        tmp_path, "import", shelf.id, "--store", shelf.url, "--csv", str(edited), "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr
    assert location.revision(shelf.url, shelf.id) == before  # nothing saved
    start = shelf.id[:10]  # the start of the id, as `list` shows it, is enough
    done = _cli(
        tmp_path, "import", start, "--store", shelf.url, "--csv", str(edited), "--by", "Ben"
    )
    assert done.returncode == 0, done.stderr
    stored, _ = documents.pull(shelf.url, shelf.id)
    assert stored.responses["LF-01"].level == 4 and stored.responses["LF-03"].level == 3
    assert stored.responses["LF-02"].level == 1  # untouched
    with psycopg.connect(shelf.url) as connection:
        rows = connection.execute(
            "SELECT entry->>'by', entry->>'item', db_role FROM history "
            "WHERE assessment_id = %s ORDER BY seq DESC LIMIT 2",
            (shelf.id,),
        ).fetchall()
    assert sorted(rows) == [("Ben", "LF-01", "decalogue"), ("Ben", "LF-03", "decalogue")]


def test_import_by_a_login_that_may_only_read_is_refused_and_saves_nothing(
    shelf: Shelf, tmp_path: Path
) -> None:
    role = f"reader_{os.getpid()}"
    with psycopg.connect(shelf.url, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
    access.grant(shelf.url, role, "assessment", shelf.id, can_write=False)
    reader = shelf.url.replace("//decalogue@", f"//{role}@", 1)
    before = documents.pull(shelf.url, shelf.id)[0]
    edited = edited_csv(shelf.file, load_checklist(), tmp_path, {"LF-02": "0"})
    exported = _cli(tmp_path, "export", shelf.id, "--store", reader, "--format", "csv")
    assert exported.returncode == 0, exported.stderr  # reading is allowed
    refused = _cli(tmp_path, "import", shelf.id, "--store", reader, "--csv", str(edited))
    assert refused.returncode == 1
    assert "may read this assessment but not change it" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert documents.pull(shelf.url, shelf.id)[0] == before
