"""The JSON Schemas decalogue publishes for its file formats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

SCHEMA_BASE = "https://decalogue.invalid/schema/"


def _checklist() -> type[BaseModel]:
    from decalogue.checklist import Checklist

    return Checklist


def _assessment() -> type[BaseModel]:
    from decalogue.assessment import Assessment

    return Assessment


def _scorecard() -> type[BaseModel]:
    from decalogue.exports.scorecard import Scorecard

    return Scorecard


#: Format name -> a function returning the model that defines it.
SCHEMAS: dict[str, Callable[[], type[BaseModel]]] = {
    "checklist": _checklist,
    "assessment": _assessment,
    "scorecard": _scorecard,
}


def json_schema(kind: str) -> dict[str, Any]:
    model = SCHEMAS[kind]()
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{kind}.json",
        **schema,
    }
