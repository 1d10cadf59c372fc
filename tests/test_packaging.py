"""A plain, non-editable install carries the checklists and seeds and works from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("decalogue-*.whl")
    return built


def test_wheel_carries_checklists_seeds_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "decalogue/_bundled/checklists/osce-national-action.toml" in names
    seeds = {Path(n).name for n in names if n.startswith("decalogue/_bundled/seeds/")}
    for text in (REPO / "seeds").glob("*.txt"):
        assert text.name in seeds
        assert text.with_suffix(".toml").name in seeds
    assert "decalogue/data/osce_states.tsv" in names
    assert "decalogue/data/iso3166.tsv" in names


def test_installed_wheel_works_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = venv / "bin" / "decalogue"
    listed = subprocess.run(
        [str(command), "checklists"], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    assert "osce-national-action" in listed.stdout
    validated = subprocess.run(
        [str(command), "validate", str(venv)],  # a folder: refused with one line
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 1 and "Traceback" not in validated.stderr
    located = subprocess.run(
        [
            str(python),
            "-c",
            "from decalogue.resources import checklists_dir; print(checklists_dir())",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in located.stdout
    bundled = Path(located.stdout.strip()) / "osce-national-action.toml"
    ok = subprocess.run(
        [str(command), "validate", str(bundled)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("items")
