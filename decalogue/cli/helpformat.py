"""How `--help` is laid out: as written, and never wider than the terminal."""

from __future__ import annotations

import argparse
import re
import textwrap

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
