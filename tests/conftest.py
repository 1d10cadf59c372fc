"""Keep every test, and every subprocess it starts, away from the user's real folders."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported in the fixture, after the environment below is set
    from tests.serving import Served

#: Fixtures of a throw-away PostgreSQL server (cluster, pg_url).
pytest_plugins = ("tests.postgres",)

_SANDBOX = Path(tempfile.mkdtemp(prefix="decalogue-tests-"))
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
# Set at import, before any test or subprocess runs: the workspace and checklist cache a
# test does not choose itself live in a throw-away folder, never in the user's data dir.
os.environ.setdefault("DECALOGUE_WORKSPACE", str(_SANDBOX / "workspace"))
os.environ["DECALOGUE_CHECKLIST_CACHE"] = str(_SANDBOX / "checklist-cache")
# Nor the user's own name (profile, $DECALOGUE_USER) or recovery folder.
os.environ["DECALOGUE_PROFILE"] = str(_SANDBOX / "profile.toml")
os.environ["DECALOGUE_RECOVERY"] = str(_SANDBOX / "recovered")
os.environ.pop("DECALOGUE_USER", None)
os.environ["DECALOGUE_STATE"] = str(_SANDBOX / "state")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A `decalogue serve` on a workspace with one Exampleland assessment; killed at the end."""
    from decalogue.model.assessment import new_assessment
    from decalogue.storage import store
    from decalogue.storage.checklists import load_checklist
    from tests.serving import Served

    workspace = tmp_path / "ws"
    workspace.mkdir()
    checklist = load_checklist()
    assessment = new_assessment(
        checklist, "XX", "2025", country_name="Exampleland", assessor="Group A"
    )
    store.create(workspace / "XX-2025.json", assessment)
    server = Served(workspace)
    try:
        yield server
    finally:
        server.kill()
