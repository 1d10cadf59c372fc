"""`decalogue fill` and `decalogue show`: the whole assessment without the full-screen UI.

A line-by-line questionnaire for screen readers, slow links and scripts. It
reads one line at a time from standard input (a terminal, a pipe or a file),
prints plain lines (see `reports.plain`) and saves every answer at once through
the same session and store as the workbench. End of input saves and quits, so a
script can pipe its answers in.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from decalogue.cli.parsing import HelpFormatter
from decalogue.cli.sessions import add_checklist_option, open_session
from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Answer, Change, Evidence
from decalogue.model.checklist import Item
from decalogue.plural import counted
from decalogue.reports.plain import item_lines, response_lines, summary_lines
from decalogue.session import Session

HELP = """\
Choices at the prompt:
  a digit    answer with that level (then the next item)
  n          not applicable: asks for the reason on the next line
  c          confirm an answer carried forward from the previous period as this period's
  t          set the target level (asks for it; an empty line clears it)
  e          add a note: type one line, or several lines ended by a line with a single dot
  v          add evidence: asks for a description, then a link or document reference
  f          turn the review flag on or off
  s          skip (an empty line skips too)
  b          go back to the previous item
  r          read the item again
  ?          these choices
  q          save and quit (the end of the input does the same)"""


def register(subparsers: Any) -> None:
    fill = subparsers.add_parser(
        "fill",
        help="answer an assessment line by line (screen readers, slow links, scripts)",
        description="Answer an assessment one item at a time, in plain lines: for screen "
        "readers, slow links and scripts. It reads one line at a time from standard input "
        "(a terminal, a pipe or a file) and saves every answer at once, merged with what "
        "colleagues save meanwhile, as the workbench does. The end of the input saves and "
        "quits, so a script can pipe its answers in.",
        formatter_class=HelpFormatter,
        epilog=HELP,
    )
    fill.add_argument("file", type=Path, help="the assessment file (.json)")
    which = fill.add_argument_group("which items (default: all, from where you stopped)")
    which.add_argument("--unanswered", action="store_true", help="only items not answered yet")
    which.add_argument("--flagged", action="store_true", help="only items flagged for review")
    which.add_argument("--section", metavar="ID", help="only the items of this section or pillar")
    which.add_argument("--item", metavar="ID", help="start at this item")
    _common(fill)
    fill.set_defaults(handler=fill_command)

    show = subparsers.add_parser(
        "show",
        help="print an assessment's summary, or one item, as plain text",
        description="Print an assessment's summary (scores with coverage, what is left) or "
        "one item (question, scale, answer, notes, evidence) as plain lines.",
    )
    show.add_argument("file", type=Path, help="the assessment file (.json)")
    show.add_argument("item", nargs="?", help="an item id, e.g. LF-03")
    _common(show)
    show.set_defaults(handler=show_command)


def _common(parser: argparse.ArgumentParser) -> None:
    add_checklist_option(parser)
    parser.add_argument(
        "--color", action="store_true", help="mark item titles in bold (off by default)"
    )


def show_command(args: argparse.Namespace) -> int:
    session = open_session(args)
    checklist, assessment = session.checklist, session.assessment
    if args.item is None:
        lines = summary_lines(checklist, assessment, session.board)
    else:
        item_id = checklist.item_id(args.item)
        if item_id is None:
            raise DecalogueError(
                f"{display_path(args.file)}: no item {args.item!r} in checklist "
                f"{checklist.meta.id} (ids look like {checklist.items[0].id})"
            )
        item = checklist.item_index[item_id]
        position = checklist.places[item_id].index + 1
        lines = item_lines(
            checklist, assessment, item, position=position, total=len(checklist.items)
        )
    print("\n".join(lines))
    return 0


class Questionnaire:
    """The prompt loop: one item at a time, every change saved at once."""

    def __init__(
        self,
        session: Session,
        items: list[Item],
        start: int,
        *,
        read: Callable[[], str | None],
        out: TextIO,
        bold: bool,
    ) -> None:
        self.session = session
        self.items = items
        self.index = start
        self._read = read
        self._out = out
        self._bold = bold
        self._order = {item.id: n for n, item in enumerate(session.checklist.items, start=1)}

    def say(self, text: str = "") -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def ask(self, prompt: str) -> str | None:
        self._out.write(prompt)
        self._out.flush()
        line = self._read()
        if line is None:
            self._out.write("\n")
        return line

    def run(self) -> None:
        if not self.items:
            self.say("No items to walk with these options.")
            return
        self.say(f"{counted(len(self.items), 'item')} to walk. Type ? for the choices.")
        self._show()
        while self.index < len(self.items):
            top = self.session.checklist.scale.max_level
            item_id = self.items[self.index].id
            response = self.session.assessment.responses.get(item_id)
            confirm = ", c" if response is not None and response.carried else ""
            line = self.ask(f"{item_id} answer (0-{top}, n{confirm}, s, b, ?, q): ")
            if line is None or line.strip().lower() == "q":
                return
            self._handle(line.strip())
        self.say("End of the items.")

    def _show(self) -> None:
        if self.index >= len(self.items):
            return
        item = self.items[self.index]
        checklist = self.session.checklist
        lines = item_lines(
            checklist,
            self.session.assessment,
            item,
            position=self._order[item.id],
            total=len(checklist.items),
        )
        self.say()
        for number, text in enumerate(lines):
            self.say(f"\x1b[1m{text}\x1b[0m" if self._bold and number == 1 else text)

    def _move(self, step: int) -> None:
        self.index = max(0, self.index + step)
        self._show()

    def _handle(self, command: str) -> None:
        item_id = self.items[self.index].id
        if command[:1].isdecimal() or command[:1] in ("n", "c", "t", "e", "v", "f"):
            try:  # before asking for a reason or a note that could not be kept
                self.session.check_not_final()
            except DecalogueError as error:
                self.say(f"Not changed: {error}")
                return
        if command in ("", "s"):
            self._move(1)
        elif command == "b":
            if self.index == 0:
                self.say("This is the first item.")
            else:
                self._move(-1)
        elif command == "r":
            self._show()
        elif command == "?":
            self.say(HELP)
        elif command.isdecimal():
            if self._change(item_id, "answer", Answer(level=int(command))):
                self._move(1)
        elif command == "n":
            reason = self.ask("Reason it does not apply (an empty line cancels): ")
            if reason and reason.strip():
                if self._change(item_id, "answer", Answer(na_reason=reason.strip())):
                    self._move(1)
            else:
                self.say("Cancelled; the answer is unchanged.")
        elif command == "c":
            response = self.session.assessment.responses.get(item_id)
            if response is None or not response.carried:
                self.say(f"{item_id}: nothing to confirm; its answer is not a carried one.")
            elif self._change(item_id, "carried", False):
                self._move(1)
        elif command == "t":
            self._target(item_id)
        elif command == "e" or command.startswith("e "):
            self._note(item_id, command[2:].strip())
        elif command == "v":
            self._evidence(item_id)
        elif command == "f":
            self._change(item_id, "flagged", lambda flagged: not flagged)
        else:
            self.say(f"Not a choice: {command!r}. Type ? for the choices.")

    def _taken_in(self, change: Change) -> None:
        self.say(f"Taken in: {change.by} changed {change.item or 'the assessment'} {change.field}.")

    def _target(self, item_id: str) -> None:
        top = self.session.checklist.scale.max_level
        text = self.ask(f"Target level (0-{top}; an empty line clears it): ")
        if text is None:
            return
        text = text.strip()
        if text and not text.isdecimal():
            self.say(f"Not a level: {text!r}; the target is unchanged.")
            return
        self._change(item_id, "target", int(text) if text else None)

    def _note(self, item_id: str, inline: str) -> None:
        if inline:
            lines = [inline]
        else:
            self.say("Type the note; end it with a line with a single dot.")
            lines = []
            while (line := self._read()) is not None and line.strip() != ".":
                lines.append(line)
        text = "\n".join(lines).strip()
        if not text:
            self.say("Empty note; nothing added.")
            return
        self._change(item_id, "notes", lambda old: f"{old}\n\n{text}" if old else text)

    def _evidence(self, item_id: str) -> None:
        description = self.ask("Evidence description (an empty line cancels): ")
        if not description or not description.strip():
            self.say("Cancelled; no evidence added.")
            return
        where = (self.ask("Link or document reference (optional): ") or "").strip()
        is_link = "://" in where
        entry = Evidence(
            description=description.strip(),
            link=where if is_link else "",
            document="" if is_link else where,
        )
        self._change(item_id, "evidence", lambda current: [*current, entry])

    def _change(self, item_id: str, field: str, value: object | Callable[[Any], object]) -> bool:
        """Apply one edit and save it at once; say what happened in words.

        A `value` that is a function of the field's value (a note or evidence added, a
        flag turned over) is worked out after taking in what others saved while the
        person typed, so it adds to their value instead of meeting it as a conflict.
        """
        try:
            for change in self.session.refresh():
                self._taken_in(change)
        except DecalogueError:
            pass  # the save below says what is wrong
        if callable(value):
            value = value(self.session.value(item_id, field))
        try:
            if field == "answer":
                assert isinstance(value, Answer)
                self.session.set_answer(item_id, value)
            else:
                self.session.set_field(item_id, field, value)
        except DecalogueError as error:
            self.say(f"Not changed: {error}")
            return False
        try:
            result = self.session.save()
        except DecalogueError as error:
            self.say(f"Not saved: {error}")
            return False
        for change in result.merged:
            self._taken_in(change)
        for conflict in result.conflicts:
            self.say(
                f"Conflict: {conflict.their_by} also changed {conflict.item_id} {conflict.field}; "
                "theirs is kept for now and yours is in its history "
                "(h on the item in the workbench)."
            )
        response = self.session.assessment.responses.get(item_id)
        facts = response_lines(self.session.checklist, self.session.assessment, response)
        shown = {"answer": 0, "carried": 0, "target": 1, "flagged": 2, "notes": 3, "evidence": 4}
        self.say(f"Saved. {item_id} {facts[shown[field]]}")
        return True


def _walk(session: Session, args: argparse.Namespace) -> tuple[list[Item], int]:
    checklist = session.checklist
    items = list(checklist.items)
    if args.section:
        items = [
            item
            for item in items
            if args.section
            in (checklist.places[item.id].section.id, checklist.places[item.id].pillar.id)
        ]
        if not items:
            raise DecalogueError(f"no section or pillar {args.section!r} in {checklist.meta.id}")
    responses = session.assessment.responses
    scores = session.board.items
    if args.unanswered:
        items = [item for item in items if not scores[item.id].answered]
    if args.flagged:
        items = [item for item in items if item.id in responses and responses[item.id].flagged]
    start = 0
    if args.item:
        ids = [item.id for item in items]
        wanted = session.checklist.item_id(args.item)
        if wanted not in ids:
            raise DecalogueError(f"item {args.item!r} is not among the items to walk")
        start = ids.index(wanted)
    elif not (args.unanswered or args.flagged):
        # Resume: the first item without an answer, so a second run goes on where the first
        # stopped.
        start = next((n for n, item in enumerate(items) if not scores[item.id].answered), 0)
    return items, start


def fill_command(args: argparse.Namespace) -> int:
    session = open_session(args, ask_name=True)
    items, start = _walk(session, args)
    bold = bool(args.color) and "NO_COLOR" not in os.environ

    def read(stream: TextIO = sys.stdin) -> str | None:
        line = stream.readline()
        return None if line == "" else line.rstrip("\r\n")

    Questionnaire(session, items, start, read=read, out=sys.stdout, bold=bold).run()
    if session.dirty:
        outcome = session.save_or_recover()  # typed answers are never dropped at the end
        if outcome.result is None:
            kept = (
                f"your answers are kept in {display_path(outcome.recovered)} (the workbench "
                "names this copy when you open the assessment again)"
                if outcome.recovered is not None
                else "no recovery copy could be written either"
            )
            print(f"Not saved: {outcome.error}; {kept}", file=sys.stderr)
            return 1
    print(f"Saved {session.label}.")
    return 0
