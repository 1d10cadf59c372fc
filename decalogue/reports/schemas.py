"""The JSON Schemas decalogue publishes for its file formats.

Each schema's `$id` is the name of a file shipped inside the package
(`decalogue/data/schemas/`), versioned where the format is: an identifier that
names something a reader can actually find, never a web address that does not
exist. `decalogue schema KIND` prints the same text; a test keeps the shipped
files equal to what the models generate.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
import typing
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from decalogue.resources import schema_id


def _checklist() -> type[BaseModel]:
    from decalogue.model.checklist import Checklist

    return Checklist


def _assessment() -> type[BaseModel]:
    from decalogue.model.assessment import Assessment

    return Assessment


def _scorecard() -> type[BaseModel]:
    from decalogue.reports.scorecard import Scorecard

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
    _describe_fields(model, schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(kind),
        **schema,
    }


# --------------------------------------------------------------------------- field descriptions


def _describe_fields(model: type[BaseModel], schema: dict[str, Any]) -> None:
    """Each property's description from the docstring under its field in the model's source.

    The models do not set pydantic's `use_attribute_docstrings`: it reads and parses
    their source at every import (about 40 ms of every start of decalogue), and the
    published schemas are the only place that shows these texts.
    """
    definitions = schema.get("$defs", {})
    for cls in _models_in(model):
        target = schema if cls is model else definitions.get(cls.__name__)
        if target is None:
            continue
        docs = attribute_docstrings(cls)
        properties = target.get("properties", {})
        for name, info in cls.model_fields.items():
            prop = properties.get(info.alias or name)
            if name in docs and prop is not None and "description" not in prop:
                prop["description"] = docs[name]


def _models_in(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        for info in cls.model_fields.values():
            todo += _nested_models(info.annotation)


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested_models(arg)]


def attribute_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """`field: type` followed by a string literal, in the class and its model bases."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for statement, following in itertools.pairwise(body):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs
