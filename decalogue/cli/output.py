"""Printing what a command produced: the exact text to a file or pipe, safe text to a person."""

from __future__ import annotations

import argparse
import sys

from decalogue.reports.tables import BOM
from decalogue.reports.text import printable


def add_excel_option(parser: argparse.ArgumentParser) -> None:
    """`--excel` (or `--bom`) for a command that writes CSV."""
    parser.add_argument(
        "--excel",
        "--bom",
        dest="excel",
        action="store_true",
        help="start the CSV with a UTF-8 byte-order mark, so Excel shows §, — and ü as written",
    )


def emit(text: str, *, end_line: bool = True, bom: bool = False) -> None:
    """Write `text` to standard output as UTF-8 (with a final line break if `end_line`).

    A terminal would act on control characters (retitle the window, clear the screen,
    make a link); a person reading gets them made visible, while a file or pipe gets the
    exact text (a CSV must round-trip). Bytes, not text: the output is UTF-8 whatever the
    terminal's encoding is.
    """
    if end_line and not text.endswith("\n"):
        text += "\n"
    if sys.stdout.isatty():
        text = printable(text)
    if bom:
        text = BOM + text
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
