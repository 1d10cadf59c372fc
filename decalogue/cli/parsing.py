"""The command line's parser: `--help` never wider than the terminal, typos answered."""

from __future__ import annotations

import argparse
import difflib
import re
import textwrap
from typing import NoReturn

#: "  decalogue plan FILE   what it does": the start of an example's (or a key's) text.
_TEXT_COLUMN = re.compile(r"\s+\S+(?: \S+)*\s{2,}")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples laid out as written, and no line wider than the terminal.

    A paragraph of prose with a line too wide is filled again to the width; an indented
    line (an example, a key and what it does) too wide is wrapped and goes on under the
    column where its text starts.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        prose: list[str] = []

        def wrap(line: str, first: int, then: int) -> list[str]:
            return textwrap.wrap(
                line,
                width=width,
                initial_indent=indent + " " * first,
                subsequent_indent=indent + " " * then,
                break_long_words=False,
                break_on_hyphens=False,
            )

        def end_prose() -> None:
            if any(len(line) > width for line in prose):
                lines.extend(wrap(" ".join(prose), 0, 0))
            else:
                lines.extend(indent + line for line in prose)
            prose.clear()

        for line in text.splitlines():
            if line and not line[0].isspace() and not line.endswith(":"):
                prose.append(line)
                continue
            end_prose()
            if len(line) <= width:
                lines.append(indent + line)
                continue
            lead = len(line) - len(line.lstrip())
            column = _TEXT_COLUMN.match(line) if lead else None
            hang = column.end() if column and column.end() <= width - 20 else lead + 4
            lines.extend(wrap(line.strip(), lead, hang))
        end_prose()
        return "\n".join(lines)


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)$")


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors suggest the command or option that was meant."""

    #: The arguments being parsed (set by `main`): which command an unknown option follows.
    given: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        super().error(self._suggesting(message))

    def _suggesting(self, message: str) -> str:
        """The message with "did you mean ...?" where a close command, value or option exists."""
        invalid = _INVALID_CHOICE.search(message)
        if invalid:
            typed, listed = invalid.groups()
            choices = re.findall(r"'([^']*)'", listed)
            if "open" in choices and typed.endswith((".json", ".toml")):
                opener = "open" if typed.endswith(".json") else "explore"
                hint = f"to open a file, give the command first: decalogue {opener} {typed}"
            else:
                hint = _did_you_mean(typed, choices)
            if hint:
                return f"{message[: invalid.start()]}invalid choice: '{typed}'; {hint}"
        if message.startswith("unrecognized arguments: "):
            options = self._options_of(self._command())
            for word in message.removeprefix("unrecognized arguments: ").split():
                if word.startswith("--"):
                    hint = _did_you_mean(word.split("=")[0], options)
                    if hint:
                        return f"{message}; {hint}"
        return message

    def _command(self) -> argparse.ArgumentParser:
        """The subcommand's parser named in `given`, else this one."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for word in self.given:
                    if word in action.choices:
                        chosen: argparse.ArgumentParser = action.choices[word]
                        return chosen
        return self

    @staticmethod
    def _options_of(parser: argparse.ArgumentParser) -> list[str]:
        return [o for action in parser._actions for o in action.option_strings if o[:2] == "--"]


def _did_you_mean(typed: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(typed, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]}? (see --help)" if close else ""
