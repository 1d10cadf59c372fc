"""`decalogue fill` on a stored assessment whose server goes away mid-run: the answers
typed are never dropped (a recovery copy, one line, exit 1), as in the workbench."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from decalogue.model.assessment import new_assessment
from decalogue.storage.assessment_file import parse_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from tests.postgres import Cluster, checklist_text


def test_fill_keeps_typed_answers_in_a_recovery_copy_when_the_server_is_gone(
    tmp_path: Path,
) -> None:
    server = Cluster()  # its own server: this test stops it
    try:
        url = server.create_database("fillaway")
        schema.migrate(url, create=True)
        assessment = new_assessment(
            load_checklist(), "XX", "2025", country_name="Exampleland", assessor="Tester"
        )
        documents.push(url, assessment, checklist_text())
        first = next(iter(load_checklist().item_index))
        env = {
            **os.environ,
            "DECALOGUE_USER": "Ana Example",
            "DECALOGUE_RECOVERY": str(tmp_path / "recovered"),
            "DECALOGUE_WORKSPACE": str(tmp_path / "ws"),
            "DECALOGUE_STATE": str(tmp_path / "state"),
        }
        fill = subprocess.Popen(
            [sys.executable, "-m", "decalogue", "fill", assessment.id[:8], "--store", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        assert fill.stdout is not None and fill.stdin is not None
        shown = b""
        while first.encode() not in shown:  # the first item's prompt: the session is open
            chunk = os.read(fill.stdout.fileno(), 4096)
            assert chunk, fill.stderr.read() if fill.stderr else b""
            shown += chunk
        server.stop()
        _, err = fill.communicate(b"3\nq\n", timeout=120)
        assert fill.returncode == 1, err
        said = err.decode()
        assert said.count("\n") == 1 and "Traceback" not in said
        assert "Not saved:" in said and "your answers are kept in" in said
        copies = list((tmp_path / "recovered").glob("*.json"))
        assert len(copies) == 1
        kept = parse_assessment(copies[0].read_bytes(), copies[0].name)
        assert kept.responses[first].level == 3
        server.start()
        assert location.load(url, assessment.id)[0].responses.get(first) is None
    finally:
        server.remove()
