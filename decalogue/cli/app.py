"""The commands that start the workbench; textual is imported only when one runs."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    pass


def run_home(args: argparse.Namespace) -> int:
    from decalogue.cli import build_parser

    build_parser().print_help()
    return 0
