"""The assessment: a user's answers to a checklist, for one country and period.

This is the user's work, so the model is strict about what it accepts (a file
edited by hand gets precise errors, never silent defaults) and every edit goes
through `Assessment.apply`, which records who changed what in an append-only
history.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from decalogue import clock
from decalogue.errors import DecalogueError
from decalogue.model.actions import Action, carry_actions
from decalogue.model.checklist import Checklist
from decalogue.model.countries import is_user_assigned, lookup
from decalogue.model.periods import later_period, period_of, validate_period
from decalogue.model.textedit import TextEdit

#: Bump when the file format changes; `decalogue.storage.migrations` upgrades older files.
#: 2: the assessment's status (draft, in review, final) and carried-forward answers;
#:    history entries with the OS account, compact text edits and a remark.
SCHEMA_VERSION: Literal[2] = 2

#: A note longer than this is refused: it keeps files and screens responsive.
MAX_TEXT = 100_000

#: The fields of a Response that `Assessment.apply` may change, besides the answer.
#: Setting `carried` to False is how a carried-forward answer is confirmed.
EDITABLE = ("target", "notes", "evidence", "flagged", "finding", "carried", "actions")

#: What an edit names: the answer (level or N/A with its reason) or one of EDITABLE.
FieldName = Literal[
    "answer", "target", "notes", "evidence", "flagged", "finding", "carried", "actions"
]

#: Every field an edit can change, the answer first.
FIELDS: tuple[FieldName, ...] = (
    "answer",
    "target",
    "notes",
    "evidence",
    "flagged",
    "finding",
    "carried",
    "actions",
)

#: Texts whose changes the history stores as edits (TextEdit), not as two whole texts.
TEXT_FIELDS = ("notes", "finding")

#: The one wording of the rule, wherever an N/A without a reason is refused.
NA_NEEDS_REASON = "N/A needs a reason"

#: An empty list as a field's default in the published schema. The fields themselves
#: take a new list from a factory: a default of [] was deep-copied for every answer read.
EMPTY_LIST: dict[str, Any] = {"default": []}

LongText = Annotated[str, Field(max_length=MAX_TEXT)]
ShortText = Annotated[str, Field(max_length=500)]
ItemKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=40)]


def _stamp() -> datetime:
    """`clock.now()` looked up at each call, so a clock set by a test is the one used."""
    return clock.now()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class CountryRef(_Model):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    """ISO 3166-1 alpha-2 code; user-assigned codes (XA-XZ, QM-QZ, AA, ZZ) name fictional ones."""
    name: Annotated[str, Field(min_length=1, max_length=120)]
    """The country's name as shown in reports."""

    @model_validator(mode="after")
    def _known_code(self) -> CountryRef:
        if lookup(self.code) is None and not is_user_assigned(self.code):
            raise ValueError(f"{self.code!r} is not an ISO 3166-1 alpha-2 country code")
        return self


Period = Annotated[str, Field(max_length=40)]


class Assessor(_Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    """The assessor's name."""
    organisation: ShortText = ""
    """The ministry, office or organisation."""
    role: ShortText = ""
    """The assessor's role, e.g. focal point."""


class ChecklistRef(_Model):
    """Which checklist the answers belong to; the hash tells when it has changed."""

    id: str
    """The checklist's id."""
    version: str
    """The checklist version the answers were given against."""
    hash: str
    """The checklist's content hash; differs from the current one after the checklist changed."""


class Evidence(_Model):
    # Never changed once made: replaced by a new list (a save reuses an answer's text).
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Annotated[str, Field(min_length=1, max_length=5_000)]
    """What the evidence is: a law, a decree, a statistic, a report."""
    link: Annotated[str, Field(max_length=2_000)] = ""
    """A web address, if there is one."""
    document: ShortText = ""
    """A document reference (title, number, file name) where there is no link."""


class Response(_Model):
    """The answer to one item: a level, N/A with a reason, or nothing yet."""

    # Replaced, never changed in place (`Assessment.apply` validates a new one), so
    # answers read from a file can share one set of the fields given (storage.piecewise),
    # the base a merge compares with stays as it was, and a save reuses the text of an
    # unchanged one (storage.canonical).
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Annotated[int, Field(ge=0, le=100, strict=True)] | None = None
    """The level of the checklist's scale that best describes implementation."""
    not_applicable: Annotated[bool, Field(strict=True)] = False
    """The item does not apply in this country (never counted as zero)."""
    na_reason: LongText = ""
    """Why the item does not apply; required with not_applicable."""
    target: Annotated[int, Field(ge=0, le=100, strict=True)] | None = None
    """The level the country aims to reach."""
    notes: LongText = ""
    """The assessor's notes."""
    evidence: Annotated[list[Evidence], Field(max_length=200)] = Field(
        default_factory=list, json_schema_extra=EMPTY_LIST
    )
    """What the answer rests on: laws, decrees, statistics, reports."""
    flagged: Annotated[bool, Field(strict=True)] = False
    """Marked for a colleague's review."""
    carried: Annotated[bool, Field(strict=True)] = False
    """Carried forward from the previous period and not yet confirmed or changed."""
    finding: LongText = ""
    """Finding or recommendation for the report."""
    actions: Annotated[list[Action], Field(max_length=100)] = Field(
        default_factory=list, json_schema_extra=EMPTY_LIST, exclude_if=lambda actions: not actions
    )
    """The item's part of the action plan (left out of the file while there is none)."""
    changed_by: ShortText = ""
    """Who last changed this response."""
    changed_at: datetime | None = None
    """When this response was last changed."""

    @model_validator(mode="after")
    def _consistent(self) -> Response:
        if self.not_applicable and self.level is not None:
            raise ValueError("an item is either N/A or has a level, not both")
        if self.not_applicable and not self.na_reason.strip():
            raise ValueError(f"{NA_NEEDS_REASON} (na_reason)")
        return self

    @property
    def answered(self) -> bool:
        return self.level is not None or self.not_applicable

    def is_empty(self) -> bool:
        return self == Response(changed_by=self.changed_by, changed_at=self.changed_at)


class Change(_Model):
    """One entry of the append-only history: who changed what, when.

    A record for the team, not a tamper-proof audit trail: anyone who can edit the
    file can edit its history.
    """

    # Never changed once made (a save reuses each entry's serialised text).
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime
    """When the change was made."""
    by: ShortText
    """The person's name (profile, --user, DECALOGUE_USER)."""
    account: ShortText = ""
    """The operating-system account (or database role) the change was made from."""
    item: str | None = None
    """The item changed, or None for a change to the assessment itself."""
    field: str
    """What changed: answer, target, notes, evidence, flagged, finding, carried, status, ..."""
    old: Any = None
    """The value before the change."""
    new: Any = None
    """The value after the change."""
    edit: TextEdit | None = None
    """For notes and findings: the change as an edit of the old text (then old and new
    are None)."""
    remark: ShortText = ""
    """Why the entry is there, when it is not a plain edit: a conflict, an undo, a
    resolved conflict, a trimmed history."""

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out what an entry does not use: a long history is mostly such entries."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("account", "remark", "edit"):
                if data.get(key) in ("", None):
                    data.pop(key, None)
            if "edit" in data:
                data.pop("old", None)
                data.pop("new", None)
        return data


#: Where an assessment stands: a draft, in review, or final (what may be handed in).
Status = Literal["draft", "review", "final"]
STATUSES: tuple[Status, ...] = ("draft", "review", "final")
STATUS_LABELS: dict[Status, str] = {"draft": "Draft", "review": "In review", "final": "Final"}


class Answer(BaseModel):
    """A level, N/A with its reason, or None: what the scoring keys set."""

    model_config = ConfigDict(frozen=True)

    level: int | None = None
    na_reason: str | None = None

    @classmethod
    def of(cls, response: Response | None) -> Answer:
        if response is None:
            return cls()
        if response.not_applicable:
            return cls(na_reason=response.na_reason)
        return cls(level=response.level)

    def describe(self) -> str | int | None:
        if self.na_reason is not None:
            return f"N/A: {self.na_reason}"
        return self.level


def field_value(response: Response | None, field: str) -> Any:
    """One field of a response as edits see it: the answer as an Answer, else the value."""
    if field == "answer":
        return Answer.of(response)
    return getattr(response or Response(), field)


def plain(field: str, value: Any) -> Any:
    """A field's value as the history and messages record it (JSON-ready)."""
    if isinstance(value, Answer):
        return value.describe()
    return _plain(value)


class Assessment(_Model):
    """A whole assessment file."""

    schema_version: Literal[2] = SCHEMA_VERSION
    """The version of this file format; older files are upgraded when read."""
    id: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        default_factory=lambda: uuid.uuid4().hex
    )
    """Stable identity across renames and copies (used to spot the same file twice)."""
    title: ShortText = ""
    """A title; empty means country and period."""
    checklist: ChecklistRef
    """The checklist the answers belong to."""
    country: CountryRef
    """The country assessed."""
    period: Period
    """A year (2025), years (2024-2025) or dates (2025-01-01/2025-06-30)."""
    assessors: list[Assessor] = []
    """Who fills it in."""
    created: datetime = Field(default_factory=_stamp)
    """When the assessment was started."""
    updated: datetime = Field(default_factory=_stamp)
    """When the assessment was last changed."""
    status: Status = "draft"
    """draft, review (in review) or final; every move is recorded in the history."""
    status_by: ShortText = ""
    """Who moved the assessment to its status; empty for a draft never moved."""
    status_at: datetime | None = None
    """When the status was last moved."""
    carried_from: ShortText = ""
    """The id of the assessment this one was carried forward from."""
    carried_from_period: ShortText = ""
    """The period of the assessment this one was carried forward from."""
    responses: dict[ItemKey, Response] = {}
    """The answers, keyed by item id."""
    history: list[Change] = []
    """Every change, oldest first; append-only."""

    @field_validator("period")
    @classmethod
    def _valid_period(cls, value: str) -> str:
        return validate_period(value)

    # -- reading

    def display_title(self) -> str:
        return self.title or f"{self.country.name} {self.period}"

    # -- editing

    def apply(
        self,
        item_id: str,
        field: str,
        value: Any,
        by: str,
        at: datetime | None = None,
        *,
        account: str = "",
        remark: str = "",
    ) -> Change | None:
        """Change one field of one item's response and record it; None if nothing changed.

        `field` is "answer" (value: an Answer) or one of EDITABLE.
        """
        at = at or clock.now()
        current = self.responses.get(item_id) or Response()
        if field == "answer":
            assert isinstance(value, Answer)
            old: Any = Answer.of(current).describe()
            # A changed answer is this period's own: it is no longer the carried one.
            updated = current.model_copy(
                update={
                    "level": value.level,
                    "not_applicable": value.na_reason is not None,
                    "na_reason": value.na_reason or "",
                    "carried": False,
                }
            )
            new: Any = value.describe()
        elif field in EDITABLE:
            old = _plain(getattr(current, field))
            updated = current.model_copy(update={field: value})
            new = _plain(value)
        else:
            raise ValueError(f"unknown response field {field!r}")
        if old == new:
            return None
        # model_copy skips validation; validate the result so a bad edit cannot be stored.
        updated = Response.model_validate(
            {**updated.model_dump(), "changed_by": by, "changed_at": at}
        )
        self.responses[item_id] = updated
        edit = None
        if field in TEXT_FIELDS and old and isinstance(new, str):
            edit, old, new = TextEdit.between(old, new), None, None
        change = Change(
            at=at,
            by=by,
            account=account,
            item=item_id,
            field=field,
            old=old,
            new=new,
            edit=edit,
            remark=remark,
        )
        self.history.append(change)
        self.updated = at
        return change

    def set_status(
        self, status: Status, by: str, at: datetime | None = None, account: str = ""
    ) -> Change | None:
        """Move the assessment to draft, review or final, recorded; None if it is there already.

        Whether it may become final is the readiness check's question
        (`decalogue.model.readiness`), asked by the caller before this move.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        if status == self.status:
            return None
        at = at or clock.now()
        change = Change(at=at, by=by, account=account, field="status", old=self.status, new=status)
        self.status, self.status_by, self.status_at = status, by, at
        self.history.append(change)
        self.updated = at
        return change

    def carried_items(self) -> list[str]:
        """Items whose answer was carried forward and is not yet confirmed or changed."""
        return sorted(i for i, r in self.responses.items() if r.carried)

    def orphaned(self, checklist: Checklist) -> list[str]:
        """Answered items the checklist no longer has: kept in the file, reported, not scored."""
        return sorted(
            i
            for i, r in self.responses.items()
            if i not in checklist.item_index and not r.is_empty()
        )

    def matches(self, checklist: Checklist) -> bool:
        return self.checklist.hash == checklist.content_hash


def checklist_ref(checklist: Checklist) -> ChecklistRef:
    return ChecklistRef(
        id=checklist.meta.id, version=checklist.meta.version, hash=checklist.content_hash
    )


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


# --------------------------------------------------------------------------- new assessments


def country(code: str, name: str | None = None) -> CountryRef:
    code = code.strip().upper()
    known = lookup(code) if len(code) == 2 else None
    if known is not None:
        return CountryRef(code=code, name=(name or "").strip() or known.name)
    if len(code) == 2 and code.isalpha() and is_user_assigned(code):
        if not (name or "").strip():
            raise DecalogueError(
                f"country {code}: a user-assigned code (for an example or training country) "
                "needs a name (--country-name on the command line), e.g. Exampleland"
            )
        return CountryRef(code=code, name=(name or "").strip())
    raise DecalogueError(
        f"country {code!r}: not an ISO 3166-1 alpha-2 code (e.g. AT, FR, XX for an example country)"
    )


def new_assessment(
    checklist: Checklist,
    country_code: str,
    period: str,
    *,
    country_name: str | None = None,
    assessor: str | None = None,
    title: str = "",
) -> Assessment:
    assessors = [Assessor(name=assessor.strip())] if assessor and assessor.strip() else []
    return Assessment(
        title=title.strip(),
        checklist=checklist_ref(checklist),
        country=country(country_code, country_name),
        period=period_of(period),
        assessors=assessors,
    )


def carry_forward(
    previous: Assessment, checklist: Checklist, period: str | None, by: str, origin: str = ""
) -> Assessment:
    """Next period's assessment: last answers kept, each marked as carried until confirmed.

    The carried mark is its own state, not a review flag, so the review flags of the
    previous period stay as they were; `period` must begin after the previous one ends.
    """
    new_period = later_period(previous.period, period, origin)
    at = clock.now()
    responses = {
        item_id: response.model_copy(
            update={"carried": True, "actions": carry_actions(response.actions, previous.period)}
        )
        for item_id, response in previous.responses.items()
        if item_id in checklist.item_index and not response.is_empty()
    }
    title = previous.title.replace(previous.period, new_period) if previous.title else ""
    return Assessment(
        title=title,
        checklist=checklist_ref(checklist),
        country=previous.country,
        period=new_period,
        assessors=list(previous.assessors),
        created=at,
        updated=at,
        carried_from=previous.id,
        carried_from_period=previous.period,
        responses=responses,
        history=[
            Change(at=at, by=by, field="carried_forward", old=previous.period, new=new_period)
        ],
    )
