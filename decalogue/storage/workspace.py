"""The workspace folder: listing assessments, naming new files, the trash."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from decalogue import clock
from decalogue.errors import (
    DecalogueError,
    display_path,
)
from decalogue.model.assessment import Assessment, Status
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.paths import default_workspace
from decalogue.storage.assessment_file import check_against
from decalogue.storage.atomic import why
from decalogue.storage.checklists import Checklists
from decalogue.storage.store import (
    ConflictError,
    SaveError,
    Stored,
    backup_path,
    create,
    file_lock,
    lock_path,
    read,
    read_input,
)

TRASH = ".trash"
#: Where a session that could not save as it closed leaves its answers (`decalogue serve`).
RECOVERY = "recovery"

# --------------------------------------------------------------------------- workspace


@dataclass(frozen=True)
class Summary:
    """One line of a workspace listing; `error` is set (and the rest blank) for unreadable files."""

    path: Path
    id: str
    title: str
    country_code: str
    country_name: str
    period: str
    checklist_id: str
    checklist_version: str
    answered: int
    """Items answered with a level or N/A."""
    total: int
    """Items of the checklist; 0 when the checklist is not available."""
    coverage: float
    overall: float | None
    flagged: int
    updated: datetime | None
    error: str | None
    own_title: str = ""
    """The assessment's own title ("" when it has none and `title` is country and period)."""
    scorecard: bool = False
    """The file is a scorecard (an export, read-only), listed with `scorecards=True`."""
    status: Status = "draft"
    """draft, review or final."""
    carried: int = 0
    """Answers carried forward from the previous period and not yet confirmed."""


def summarize(
    path: Path,
    assessment: Assessment,
    checklist: Checklist | None,
    shown: str | None = None,
    *,
    scorecard: bool = False,
) -> Summary:
    """One listing line: progress and score read against `checklist` (None: not available).

    `shown` names it in a problem (default: the file's path as the user sees it)."""
    answered = sum(1 for r in assessment.responses.values() if r.answered)
    total, coverage, overall = 0, 0.0, None
    flagged = sum(1 for r in assessment.responses.values() if r.flagged)
    carried = sum(1 for r in assessment.responses.values() if r.carried and r.answered)
    if checklist is not None:
        problems = check_against(assessment, checklist, shown or display_path(path))
        if problems:
            return _unreadable(path, str(problems[0]))
        board = ScoreBoard(checklist, assessment.responses).overall
        answered = board.answered + board.not_applicable
        total, coverage, overall = board.total, board.coverage, board.score
        flagged, carried = board.flagged, board.carried
    return Summary(
        path=path,
        id=assessment.id,
        title=assessment.display_title(),
        country_code=assessment.country.code,
        country_name=assessment.country.name,
        period=assessment.period,
        checklist_id=assessment.checklist.id,
        checklist_version=assessment.checklist.version,
        answered=answered,
        total=total,
        coverage=coverage,
        overall=overall,
        flagged=flagged,
        updated=assessment.updated,
        error=None,
        own_title=assessment.title,
        scorecard=scorecard,
        status=assessment.status,
        carried=carried,
    )


def _unreadable(path: Path, error: str) -> Summary:
    return Summary(path, "", "", "", "", "", "", "", 0, 0, 0.0, None, 0, None, error)


_TRASHED = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.json$")


class Workspace:
    """A folder of assessment files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def resolve(cls, option: Path | None = None) -> Workspace:
        root = (option or default_workspace()).expanduser()
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except FileExistsError:
            raise DecalogueError(
                f"{display_path(root)}: is a file, not a workspace folder"
            ) from None
        except OSError as error:
            raise DecalogueError(
                f"{display_path(root)}: cannot create the workspace folder: {why(error)}"
            ) from None
        return cls(root)

    def files(self) -> list[Path]:
        return sorted(
            path
            for path in self.root.glob("*.json")
            if not path.name.startswith(".") and path.is_file()
        )

    def of_country(self, code: str) -> list[Path]:
        """The readable assessment files of one country (ISO code), in file-name order."""
        found = []
        for path in self.files():
            with suppress(DecalogueError):
                if read_input(path).assessment.country.code == code:
                    found.append(path)
        return found

    def holding(self, assessment_id: str) -> Path | None:
        """The file that holds this assessment (the same id), if the workspace has one."""
        for path in self.files():
            with suppress(DecalogueError):
                if read(path).assessment.id == assessment_id:
                    return path
        return None

    def twin_of(self, assessment: Assessment) -> Path | None:
        """A file of the same country, period and checklist with the same title, if any.

        A second assessment of those needs a title of its own (four groups of one workshop
        would otherwise list as four identical lines); the front ends ask for one.
        """
        title = assessment.title.strip().casefold()
        for path in self.files():
            with suppress(DecalogueError):
                other = read(path).assessment
                same = (other.country.code, other.period, other.checklist.id) == (
                    assessment.country.code,
                    assessment.period,
                    assessment.checklist.id,
                )
                if same and other.title.strip().casefold() == title:
                    return path
        return None

    def summaries(self, *, scorecards: bool = False) -> list[Summary]:
        """One line per file; scorecards are listed (as such) only when `scorecards`."""
        checklists: dict[tuple[str, str], Checklist | None] = {}
        resolver = Checklists(self.root)
        result = []
        for path in self.files():
            try:
                stored = read_input(path) if scorecards else read(path)
            except DecalogueError as error:
                result.append(_unreadable(path, str(error).splitlines()[0]))
                continue
            assessment = stored.assessment
            key = (assessment.checklist.id, assessment.checklist.version)
            try:
                if key not in checklists:
                    checklists[key] = resolver.find_or_none(assessment.checklist)
            except DecalogueError as error:
                result.append(_unreadable(path, str(error).splitlines()[0]))
                continue
            result.append(summarize(path, assessment, checklists[key], scorecard=stored.scorecard))
        return result

    def new_path(self, assessment: Assessment) -> Path:
        stem = _safe_name(f"{assessment.country.code}-{assessment.period}")
        return self._free(stem)

    def _free(self, stem: str) -> Path:
        for counter in range(1, 10_000):
            name = f"{stem}.json" if counter == 1 else f"{stem}-{counter}.json"
            candidate = self.root / name
            if not candidate.exists() and not backup_path(candidate).exists():
                return candidate
        raise DecalogueError(f"{display_path(self.root)}: no free file name for {stem}")

    def create(self, assessment: Assessment) -> Stored:
        for _ in range(5):  # another process may take the name between the check and the write
            try:
                return create(self.new_path(assessment), assessment)
            except ConflictError:
                continue
        return create(self.new_path(assessment), assessment)

    @property
    def trash(self) -> Path:
        return self.root / TRASH

    @property
    def recovery(self) -> Path:
        return self.root / RECOVERY

    def recovered(self) -> list[Path]:
        """Recovery copies waiting for someone to look at them, oldest first."""
        if not self.recovery.is_dir():
            return []
        return sorted(p for p in self.recovery.glob("*.json") if p.is_file())

    def delete(self, path: Path) -> Path:
        """Move the file (and its backup) to the workspace's trash; returns where it went."""
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        try:
            self.trash.mkdir(mode=0o700, exist_ok=True)
            with file_lock(path):
                target = self.trash / f"{path.stem}.{stamp}.json"
                counter = 2
                while target.exists():
                    target = self.trash / f"{path.stem}.{stamp}-{counter}.json"
                    counter += 1
                path.replace(target)
                if backup_path(path).exists():
                    backup_path(path).replace(backup_path(target))
            with suppress(OSError):
                lock_path(path).unlink()
        except OSError as error:
            raise SaveError(f"{display_path(path)}: not deleted: {why(error)}") from None
        return target

    def restore(self, trashed: Path) -> Path:
        """Put a trashed file back under its old name (or a free one near it)."""
        match = _TRASHED.match(trashed.name)
        stem = match.group("stem") if match else trashed.stem
        target = self._free(stem)
        try:
            trashed.replace(target)
            if backup_path(trashed).exists():
                backup_path(trashed).replace(backup_path(target))
        except OSError as error:
            raise SaveError(f"{display_path(trashed)}: not restored: {why(error)}") from None
        return target

    def trashed(self) -> list[Path]:
        """Files in the trash, most recently deleted first."""
        if not self.trash.is_dir():
            return []
        files = [p for p in self.trash.glob("*.json") if p.is_file()]

        def stamp(path: Path) -> str:
            match = _TRASHED.match(path.name)
            return match.group("stamp") if match else ""

        return sorted(files, key=lambda p: (stamp(p), p.name), reverse=True)


def _safe_name(text: str) -> str:
    """A file name stem that is valid everywhere: letters, digits, dot, dash, underscore."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    return stem[:80] or "assessment"
