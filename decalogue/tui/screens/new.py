"""The new-assessment form: country (type-ahead), period, checklist, assessor.

Every field is checked as it is typed and the problem is shown under it; the
Create button stays disabled until the form is valid. Creating the file runs
in a worker; the screen is dismissed with the new file's path.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from decalogue.errors import DecalogueError
from decalogue.model import countries
from decalogue.model.assessment import new_assessment
from decalogue.model.names import typed_name
from decalogue.model.periods import validate_period
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import literal
from decalogue.tui.screens.dialogs import ask_to_discard
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

#: How many type-ahead matches the picker lists.
MATCHES = 6


class CountryPicker(OptionList):
    """The type-ahead list under the country field; driven from the field's keys."""

    can_focus = False


class NewAssessmentScreen(HandlesWork, Screen[Path | None]):
    """A form; dismissed with the created file's path, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "escape",
            "Cancel",
            id="new.cancel",
            tooltip="Back without creating (asks first if you typed something)",
        ),
        Binding("ctrl+s", "create", "Create", id="new.create", tooltip="Create the assessment"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.country: countries.Country | None = None
        self.code: str | None = None
        """The chosen code: a known country's, or a user-assigned one (which needs a name)."""

    @property
    def context(self) -> Context:
        return app_context(self.app)

    def compose(self) -> ComposeResult:
        options = [(label, str(path)) for label, path in self.context.checklist_choices()]
        with VerticalScroll(id="new-form"):
            yield Static(Content.styled("New assessment", "bold"), id="new-title")
            yield Label("Country (name or ISO code; OSCE participating States first)")
            yield Input(placeholder="e.g. Austria, AT, or XX for an example country", id="country")
            yield CountryPicker(id="country-options")
            yield Label("", id="country-status", classes="field-status")
            yield Label("Name of the country (user-assigned code)", id="name-label")
            yield Input(placeholder="e.g. Exampleland", id="country-name")
            yield Label("", id="name-error", classes="field-error")
            yield Label("Period (a year, years, or a date range)")
            yield Input(placeholder="e.g. 2025, 2024-2025, 2025-01-01/2025-06-30", id="period")
            yield Label("", id="period-error", classes="field-error")
            yield Label("Checklist")
            yield Select(
                options,
                allow_blank=not options,
                value=options[0][1] if options else Select.NULL,
                id="checklist",
            )
            yield Label("Title (tells apart two of one country and period, e.g. Group B)")
            yield Input(placeholder="e.g. Group B", id="title")
            yield Label("Assessor (optional: your name; recorded with every change)")
            yield Input(
                placeholder="e.g. A. Official", id="assessor", value=self.context.user or ""
            )
            with Horizontal(classes="form-buttons"):
                yield Button("Create", variant="primary", id="create", disabled=True)
                yield Button("Cancel", id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_matches("")
        self._validate()
        self.query_one("#country", Input).focus()

    # -- the country picker

    def _show_matches(self, text: str) -> None:
        picker = self.query_one(CountryPicker)
        picker.clear_options()
        for country in countries.search(text, limit=MATCHES):
            marker = "OSCE" if country.osce else "    "
            alias = countries.also_known_as(country, text)
            shown = f"{country.name} ({alias})" if alias else country.name
            picker.add_option(
                Option(literal(f"{country.code}  {marker}  {shown}"), id=country.code)
            )
        picker.highlighted = 0 if picker.option_count else None
        picker.display = picker.option_count > 0

    @on(Input.Changed, "#country")
    def _country_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        self._show_matches(text)
        self.country, self.code = None, None
        if len(text) == 2 and text.isalpha():
            known = countries.lookup(text)
            if known is not None:
                self.country, self.code = known, known.code
            elif countries.is_user_assigned(text.upper()):
                self.code = text.upper()
        else:
            exact = countries.exact(text) if text else None
            if exact is not None:
                self.country, self.code = exact, exact.code
        self._validate()

    def on_key(self, event: Key) -> None:
        if self.focused is not self.query_one("#country", Input):
            return
        picker = self.query_one(CountryPicker)
        if event.key in ("down", "up") and picker.option_count:
            event.stop()
            event.prevent_default()
            current = picker.highlighted or 0
            step = 1 if event.key == "down" else -1
            picker.highlighted = max(0, min(picker.option_count - 1, current + step))

    @on(Input.Submitted, "#country")
    def _country_enter(self) -> None:
        picker = self.query_one(CountryPicker)
        if self.country is not None:  # typed in full (or another name): shown as ISO names it
            self._choose(self.country.code)
        elif picker.highlighted is not None and self.code is None:
            option = picker.get_option_at_index(picker.highlighted)
            self._choose(str(option.id))
        self.focus_next()

    @on(OptionList.OptionSelected, "#country-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(str(event.option.id))

    def _choose(self, code: str) -> None:
        country = countries.lookup(code)
        field = self.query_one("#country", Input)
        if country is not None:
            with field.prevent(Input.Changed):
                field.value = f"{country.name} ({country.code})"
            self.country, self.code = country, country.code
            self.query_one(CountryPicker).display = False
        self._validate()

    # -- validation

    def _problems(self) -> dict[str, str | None]:
        country_text = self.query_one("#country", Input).value.strip()
        name = self.query_one("#country-name", Input).value.strip()
        period = self.query_one("#period", Input).value.strip()
        problems: dict[str, str | None] = {"country": None, "name": None, "period": None}
        if self.code is None:
            problems["country"] = (
                "type a name or code, then pick a match (up/down, enter)"
                if country_text
                else "required"
            )
        elif self.country is None and not name:
            problems["name"] = f"{self.code} is a user-assigned code: give the country a name"
        elif self.country is None:
            problems["name"] = _control_problem("country name", name)
        if not period:
            problems["period"] = "required"
        else:
            try:
                validate_period(period)
            except ValueError as error:
                problems["period"] = str(error)
        if not self.context.checklists:
            problems["checklist"] = "no checklist available"
        return problems

    def _validate(self) -> bool:
        problems = self._problems()
        status = self.query_one("#country-status", Label)
        if problems["country"]:
            status.update(literal(f"✗ {problems['country']}"))
            status.set_class(True, "-invalid")
        else:
            chosen = self.country.name if self.country else "user-assigned code"
            status.update(literal(f"✓ {self.code}: {chosen}"))
            status.set_class(False, "-invalid")
        user_assigned = self.code is not None and self.country is None
        for widget_id in ("#name-label", "#country-name", "#name-error"):
            self.query_one(widget_id).display = user_assigned
        self._show_error("#name-error", problems["name"])
        period_text = self.query_one("#period", Input).value
        self._show_error("#period-error", problems["period"] if period_text else None)
        valid = not any(problems.values())
        self.query_one("#create", Button).disabled = not valid
        return valid

    def _show_error(self, selector: str, problem: str | None) -> None:
        self.query_one(selector, Label).update(literal(f"✗ {problem}" if problem else ""))

    @on(Input.Changed, "#period")
    @on(Input.Changed, "#country-name")
    def _field_changed(self) -> None:
        self._validate()

    @on(Input.Submitted, "#period")
    @on(Input.Submitted, "#country-name")
    @on(Input.Submitted, "#assessor")
    def _next_field(self) -> None:
        """Enter creates once the form is valid, else moves on to the next field."""
        if self._validate():
            self.action_create()
        else:
            self.focus_next()

    # -- creating

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        if not self._validate():
            self.notify("Fix the fields marked ✗ first.", severity="warning")
            return
        assert self.code is not None
        selected = self.query_one("#checklist", Select).value
        name = (
            self.query_one("#country-name", Input).value.strip() if self.country is None else None
        )
        self.query_one("#create", Button).disabled = True
        self._create(
            Path(str(selected)),
            self.code,
            name,
            self.query_one("#period", Input).value.strip(),
            self.query_one("#assessor", Input).value.strip(),
            title=self.query_one("#title", Input).value.strip(),
        )

    def _create(
        self,
        checklist_path: Path,
        code: str,
        name: str | None,
        period: str,
        assessor: str,
        *,
        title: str,
    ) -> None:
        context = self.context

        def create() -> Path:
            checklist = context.load_checklist(checklist_path)
            assessment = new_assessment(
                checklist,
                code,
                period,
                country_name=typed_name("country name", name or ""),
                assessor=typed_name("assessor", assessor) or None,
                title=typed_name("title", title),
            )
            store = context.store
            assert store is not None
            twin = store.twin_of(assessment)
            if twin is not None:
                what = f"{assessment.country.name} {assessment.period}"
                raise DecalogueError(
                    f"{Path(twin).name} is already {what}"
                    + (f" titled {title!r}" if title else "")
                    + ": give a title that tells them apart (e.g. Group B)"
                )
            return Path(store.create(assessment, checklist))  # a file, or a row set in a database

        def created(path: Path) -> None:
            self.dismiss(path)

        run_blocking(self, create, created, self._failed, group="create", exclusive=True)

    def _failed(self, error: str) -> None:
        self.query_one("#create", Button).disabled = False
        if "give a title" in error:
            self.query_one("#title", Input).focus()
        self.notify(error, title="Not created", severity="error", timeout=10, markup=False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_escape(self) -> None:
        """The dialogs' escape rule: a form that would create a file asks before dropping text."""
        typed = any(
            self.query_one(f"#{ident}", Input).value.strip()
            for ident in ("country", "country-name", "period")
        )
        if not typed:
            self.action_cancel()
            return

        ask_to_discard(
            self, "Discard this new assessment? Nothing has been created yet.", self.action_cancel
        )


def _control_problem(field: str, text: str) -> str | None:
    """The model's refusal of a control character in a typed name, for the field's label."""
    try:
        typed_name(field, text)
    except DecalogueError as error:
        return str(error)
    return None
