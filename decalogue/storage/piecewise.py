"""Reading an assessment one answer and one history entry at a time, to hold less.

The JSON values of an answer are let go once it is validated, so the values and the
models are not all held at once (at 5,000 answers, reading peaked 9 MB lower), and
answers and history entries given the same fields share one set of those names
(pydantic gives each validated model its own: 700 bytes for an entry's six or an
answer's eleven, 3.5 MB for each 5,000; a Response and a Change are frozen, so nothing
adds to their set, and a copy gets its own), as do equal names in them (`_share`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from decalogue.model.assessment import Assessment, Change, Response

M = TypeVar("M", bound=BaseModel)

#: The fields whose texts repeat from answer to answer and entry to entry: who, from
#: which account, what field of which item. Equal ones are kept once (pydantic keeps
#: the text it is given): at 5,000 answers, 1 MB less.
ANSWER_NAMES = ("changed_by",)
CHANGE_NAMES = ("by", "account", "field", "item")


def validated_piecewise(raw: dict[str, Any]) -> Assessment:
    """`Assessment.model_validate(raw)`, taking `raw` apart on the way.

    The assessment itself is validated with its answers' keys (each given the same
    blank answer, which pydantic takes as it is) and without its history; then each
    answer and history entry. A ValidationError says only that something is wrong:
    the caller validates the file whole again to name every problem at its place.
    """
    responses, history = raw.get("responses"), raw.get("history")
    if not isinstance(responses, dict) or not isinstance(history, list):
        return Assessment.model_validate(raw)  # not the usual shape
    blank = Response()
    shell = {**raw, "responses": dict.fromkeys(responses, blank), "history": []}
    assessment = Assessment.model_validate(shell)
    sets: dict[frozenset[str], set[str]] = {}
    names = {key: key for key in responses if type(key) is str}
    answers = {}
    for key in list(responses):
        value = responses.pop(key)
        _share(value, ANSWER_NAMES, names)
        answers[key] = _given_once(Response.model_validate(value), sets)
    changes = []
    for index, entry in enumerate(history):
        history[index] = None
        _share(entry, CHANGE_NAMES, names)
        changes.append(_given_once(Change.model_validate(entry), sets))
    # Each validated as the fields are: assigning them would validate them all again.
    assessment.__dict__.update(responses=answers, history=changes)
    return assessment


def _given_once(model: M, sets: dict[frozenset[str], set[str]]) -> M:
    """`model` (frozen), holding the first equal set of fields given met in `sets`."""
    given = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", sets.setdefault(frozenset(given), given))
    return model


def _share(raw: Any, fields: tuple[str, ...], names: dict[str, str]) -> None:
    """In the JSON object `raw`, each text of `fields` replaced by the first equal one met."""
    if type(raw) is dict:
        for field in fields:
            value = raw.get(field)
            if type(value) is str:
                raw[field] = names.setdefault(value, value)
