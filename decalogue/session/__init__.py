"""One open assessment, shared by the TUI, the CLI and `serve`: editing (`editing`) and
keeping it in its place, a file or a database (`keeping`)."""

from decalogue.model.merge import Conflict
from decalogue.session.editing import Session
from decalogue.session.outcomes import SaveOutcome, SaveResult, SaveState

__all__ = ["Conflict", "SaveOutcome", "SaveResult", "SaveState", "Session"]
