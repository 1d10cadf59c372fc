"""`decalogue schema`: the published JSON Schemas of the file formats."""

from __future__ import annotations

import argparse
import json
from typing import Any

from decalogue.reports.schemas import SCHEMAS, json_schema


def register(subparsers: Any) -> None:
    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description=(
            "Print a JSON Schema (draft 2020-12). Point your editor at the checklist schema "
            "to get completion and validation while writing a checklist in TOML."
        ),
    )
    schema.add_argument("kind", choices=sorted(SCHEMAS), help="which format")
    schema.set_defaults(handler=print_schema)


def print_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
    return 0
