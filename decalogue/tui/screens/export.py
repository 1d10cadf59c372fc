"""Export: pick a format and a path; the same `reports.export` as the CLI, in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from decalogue import reports
from decalogue.errors import DecalogueError
from decalogue.session import Session
from decalogue.tui.display import literal


def _shown(path: Path) -> str:
    """`~/...` below the home folder: shorter, and what a user would type."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class ExportScreen(ModalScreen[None]):
    """Format, path, result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="export.close", tooltip="Close the export"),
        Binding("ctrl+s", "export", "Export", id="export.run", tooltip="Write the file"),
    ]

    @dataclass
    class Written(Message):
        path: Path

    @dataclass
    class Failed(Message):
        error: str

    def __init__(self, session: Session, folder: Path) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.folder = folder / "exports"
        self._suggested = ""

    def _suggest(self, fmt: str) -> str:
        return _shown(self.folder / reports.default_file_name(fmt, self.session.assessment))

    def compose(self) -> ComposeResult:
        options = [
            (f"{name}: {reports.DESCRIPTIONS.get(name, '')}", name) for name in reports.FORMATS
        ]
        self._suggested = self._suggest("json")
        with Vertical(classes="dialog-box export-box"):
            yield Label(Content.styled("Export", "bold"), classes="dialog-title")
            yield Label("Format")
            yield Select(options, value="json", allow_blank=False, id="format")
            yield Label("File (a folder that does not exist yet is created)")
            yield Input(self._suggested, id="path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Close", id="close")
            yield Static(Content(""), id="export-result")

    def on_mount(self) -> None:
        self.query_one("#format", Select).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        field = self.query_one("#path", Input)
        if field.value == self._suggested and isinstance(event.value, str):
            self._suggested = self._suggest(event.value)
            field.value = self._suggested

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        fmt = self.query_one("#format", Select).value
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._result("✗ give a file to export to", error=True)
            return
        self._result("… exporting", error=False)
        self._export(str(fmt), Path(text).expanduser())

    @work(thread=True, exclusive=True, group="export")
    def _export(self, fmt: str, path: Path) -> None:
        session = self.session
        try:
            written = reports.export(
                fmt,
                session.checklist,
                session.assessment,
                session.board,
                path,
                create_parents=True,
            )
        except DecalogueError as error:
            self.post_message(self.Failed(str(error)))
        except OSError as error:
            self.post_message(self.Failed(f"{path}: not written: {error.strerror or error}"))
        else:
            self.post_message(self.Written(written))

    @on(Written)
    def _written(self, event: Written) -> None:
        self._result(f"✓ written: {_shown(event.path)}", error=False)
        self.notify(f"Exported to {event.path.name}.", markup=False)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._result(f"✗ {event.error}", error=True)
        self.notify(event.error, title="Not exported", severity="error", timeout=10, markup=False)

    def _result(self, text: str, *, error: bool) -> None:
        result = self.query_one("#export-result", Static)
        result.update(literal(text))
        result.set_class(error, "-error")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
