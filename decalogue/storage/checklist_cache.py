"""A cache of validated checklists, so a large checklist opens without parsing it again.

Parsing and validating a checklist of 10,000 items takes over a second, most
of it in the TOML parser; reading back a validated copy takes a fraction of
that. The cache holds checklists of at least MIN_BYTES (smaller ones validate
faster than the cache could be read) in the user's cache folder, one file per
checklist, named by the sha256 of the TOML bytes and of the code that
validated them, so an edited checklist or an upgraded decalogue never meets a
stale copy. The quotes were checked against the source documents' texts when
the copy was made; the copy records a hash of each text and is only used while
every text is unchanged.

The file holds the validated values in `marshal` form (plain values and tuples,
no code), rebuilt into the same frozen models without validating them again. Equal
immutable values (a tag, a source id, a weight, a text met twice, a reference that
several items cite) are written once and so loaded as one object: a smaller file, a
faster load and less memory.
Anything unexpected (a damaged, truncated or foreign file, a read-only folder)
is ignored: the checklist is then validated as if there were no cache.
`DECALOGUE_CHECKLIST_CACHE=off` turns the cache off; set to a folder, it moves it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import types
import typing
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from decalogue.errors import Problem
from decalogue.model import checklist as checklist_module
from decalogue.model import checklist_check, sources, textmatch, toml_places
from decalogue.model.checklist import Checklist
from decalogue.paths import APP_NAME
from decalogue.storage.atomic import atomic_write

#: Checklists smaller than this are validated every time (a few milliseconds).
MIN_BYTES = 256 * 1024

#: How many cached checklists are kept; the least recently used go first.
KEEP = 8

#: Bump when the layout of a cache file changes.
FORMAT = 2

ENV = "DECALOGUE_CHECKLIST_CACHE"

_set = object.__setattr__


def folder() -> Path | None:
    """Where cached checklists go; None when the cache is off."""
    configured = os.environ.get(ENV, "")
    if configured.lower() in {"off", "0", "no", "false"}:
        return None
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "checklists"


@cache
def _code_stamp() -> str:
    """The code and versions whose output a cache file holds."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {pydantic.VERSION}".encode())
    for module in (
        checklist_module,
        checklist_check,
        toml_places,
        sources,
        textmatch,
        sys.modules[__name__],
    ):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def _path(size: int, digest: Callable[[], str]) -> Path | None:
    where = folder()
    if where is None or size < MIN_BYTES:
        return None
    try:
        stamp = _code_stamp()
    except OSError:  # the sources are not readable (a zipped install): no cache
        return None
    return where / f"{digest()[:32]}-{stamp}.bin"


def lookup(source: Path, size: int, *, origin: str, base_dir: Path | None) -> Checklist | None:
    """The validated checklist of the TOML file `source` (`size` bytes), or None if it is
    not (validly) cached. OSError if `source` cannot be read.

    The TOML is hashed as it is read, never held whole (at 10,000 items, 16 MB more at
    the peak); the cache file is read whole, as unmarshalling from a handle is 7x slower.
    """

    def digest() -> str:
        sha = hashlib.sha256()
        with source.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                sha.update(chunk)
        return sha.hexdigest()

    path = _path(size, digest)
    if path is None:
        return None
    try:
        stored = _unmarshal(path)
        fmt, content_hash, documents, fields = stored
        if fmt != FORMAT:
            return None
        checklist: Checklist = _build(Checklist, fields)
    except Exception:  # a damaged or foreign file is a miss, never an error
        return None
    problems: list[Problem] = []

    def report(message: str, *args: Any, **kwargs: Any) -> None:
        problems.append(Problem(origin, message))

    sources = [source.model_dump() for source in checklist.sources]
    texts = checklist_check.load_documents(sources, base_dir, report)
    if problems or _document_hashes(texts) != documents:
        return None
    _set(checklist, "__pydantic_private__", {"_origin": origin, "_documents": texts})
    checklist.__dict__["content_hash"] = content_hash
    with suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return checklist


def _unmarshal(path: Path) -> Any:
    """The values of a cache file, unmarshalled from its pages mapped in memory.

    Unmarshalling from the handle is 7x slower than from the whole file; read into a
    bytes object (14 MB at 10,000 items), the file left C's allocator keeping that much
    freed memory for later use, so the session's peak was 4 MB higher.
    """
    import mmap  # here: a small checklist (the bundled one) never needs it

    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return marshal.loads(m)


def store(data: bytes, checklist: Checklist) -> None:
    """Keep a validated checklist for the next load; failures are silent (it is a cache)."""
    path = _path(len(data), lambda: hashlib.sha256(data).hexdigest())
    if path is None:
        return
    try:
        fields = _dump(checklist, _shared())
    except TypeError:  # a model shape the cache does not know: do without
        return
    payload = marshal.dumps(
        (FORMAT, checklist.content_hash, _document_hashes(checklist._documents), fields)
    )
    with suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, payload, durable=False)
        _prune(path.parent)


def _prune(where: Path) -> None:
    files = sorted(where.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)


def _document_hashes(documents: dict[str, sources.Document]) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (source_id, hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
            for source_id, doc in documents.items()
        )
    )


# --------------------------------------------------------------------------- models <-> values

#: Per model class: its fields that hold models, as (name, class, is_tuple).
_Plan = tuple[tuple[str, type[BaseModel], bool], ...]


@cache
def _plan(cls: type[BaseModel]) -> _Plan:
    nested = []
    for name, info in cls.model_fields.items():
        found = _model_in(info.annotation)
        if found is not None:
            nested.append((name, *found))
    return tuple(nested)


def _model_in(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """Model, Model | None, tuple[Model, ...]; TypeError for any other shape holding a model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _model_in(args[0])
    if origin in (typing.Union, types.UnionType):
        found = [_model_in(a) for a in args if a is not type(None)]
        if len(found) == 1:
            return found[0]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = _model_in(args[0])
        if inner is None:
            return None
        if not inner[1]:
            return inner[0], True
    if any(_model_in(a) is not None for a in args):
        raise TypeError(f"cannot cache a field of type {annotation!r}")
    return None


#: One dumped model: its fields' values by name, and the names of the fields given.
_Dumped = tuple[dict[str, Any], tuple[str, ...]]


def _dump(model: BaseModel, shared: _Shared) -> _Dumped:
    """A model as plain values; equal values are one object (see `_share`).

    Each model's fields are a dict, which marshal rebuilds faster than `build` could
    make one from a tuple of values (a quarter less time at 10,000 items).
    """
    names, nested = _fields(type(model))
    texts = shared[str]
    values = model.__dict__
    fields = {}
    for name in names:
        value = values[name]
        if type(value) is str:  # most values: kept inline, as this runs per field
            value = texts.setdefault(value, value)
        elif name not in nested:
            value = _share(value, shared)
        elif value is not None:
            value = tuple(_dump(v, shared) for v in value) if nested[name] else _dump(value, shared)
        fields[name] = value
    given = tuple(sorted(model.__pydantic_fields_set__))  # field names: interned already
    dumped = (fields, shared[tuple].setdefault(given, given))
    if not nested and model.model_config.get("frozen"):
        # A frozen model holding no models (a reference, a level): equal ones are written
        # once, and loaded as one model. Its values are shared already, so equal values
        # are the same objects: their ids say which are equal (they live as long as
        # `shared`), and a dict, copied for each model, never matches another.
        key = (type(model), dumped[1], *map(id, fields.values()))
        dumped = shared[BaseModel].setdefault(key, dumped)
    return dumped


@cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, ...], dict[str, bool]]:
    """A model's field names, and of those holding models whether they hold several."""
    return tuple(cls.model_fields), {name: many for name, _inner, many in _plan(cls)}


#: Per type, the first of each equal value met (`_share`).
_Shared = dict[type, dict[Any, Any]]


def _shared() -> _Shared:
    return {str: {}, int: {}, float: {}, tuple: {}, BaseModel: {}}


def _share(value: Any, shared: _Shared) -> Any:
    """The first equal immutable value met, so that marshal writes it once and loading
    makes one object of it: tags, source ids, weights and texts that repeat across items.

    One table per type (a float's keyed by its exact bits), so 1, 1.0 and True, or 0.0
    and -0.0, never stand in for each other. Dicts are copied with their values shared,
    never shared themselves.
    """
    kind = type(value)
    if kind is str or kind is int:
        return shared[kind].setdefault(value, value)
    if kind is float:
        return shared[float].setdefault(value.hex(), value)
    texts = shared[str]
    if kind is tuple:
        items = tuple(
            [texts.setdefault(v, v) if type(v) is str else _share(v, shared) for v in value]
        )
        if all(type(v) is str or type(v) is int for v in items):
            return shared[tuple].setdefault(items, items)
        return items
    if kind is dict:
        return {
            _share(k, shared): texts.setdefault(v, v) if type(v) is str else _share(v, shared)
            for k, v in value.items()
        }
    return value


#: What one load keeps while it builds: the set of field names of each tuple of names
#: given, and each model written once (`_dump`) with the values it was built from.
_Seen = dict[Any, Any]


def _build(cls: type[BaseModel], dumped: _Dumped) -> Any:
    return _builder(cls)(dumped, {})


@cache
def _builder(cls: type[BaseModel]) -> Callable[[_Dumped, _Seen], Any]:
    """A function that rebuilds one `cls` instance (and what it holds) without validating.

    It sets what pydantic's own constructor sets: the field values, the set of fields
    given, no extra values, the private attributes' defaults. Instances with the same
    fields given share one set of their names: these models are frozen, and pydantic
    only changes that set when an attribute is assigned (or on a copy, which copies it).
    A model written once for several places (`_dump`) is loaded as one object, which
    marshal gives each place: it is built once.
    """
    plan = tuple((name, _builder(inner), many) for name, inner, many in _plan(cls))
    private = dict(cls.__private_attributes__)
    new, set_ = object.__new__, object.__setattr__

    def build_once(dumped: _Dumped, sets: _Seen) -> Any:
        # Keyed by the id of the loaded values, kept alive beside their model.
        done = sets.get(id(dumped))
        if done is None:
            done = sets[id(dumped)] = (dumped, build(dumped, sets))
        return done[1]

    def build(dumped: _Dumped, sets: _Seen) -> Any:
        fields, given = dumped
        for name, inner, many in plan:
            value = fields[name]
            if value is not None:
                fields[name] = (
                    tuple([inner(v, sets) for v in value]) if many else inner(value, sets)
                )
        given_set = sets.get(given)
        if given_set is None:
            given_set = sets[given] = set(given)
        model = new(cls)
        set_(model, "__dict__", fields)
        set_(model, "__pydantic_fields_set__", given_set)
        set_(model, "__pydantic_extra__", None)
        set_(
            model,
            "__pydantic_private__",
            {k: v.get_default() for k, v in private.items()} if private else None,
        )
        return model

    return build_once if not plan and cls.model_config.get("frozen") else build
