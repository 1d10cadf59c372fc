"""A stylesheet that parses each piece of CSS once per process, not once per app.

Every app parses the same CSS on its first frames: the app's file and each
widget's defaults, about a tenth of the time to a session's home screen. Textual
keeps what it parsed per stylesheet, so per app; here it is kept for the whole
process, by the text, where it came from and the CSS variables (the theme's
colours) it was parsed with. Each session `decalogue serve` forks from its
helper then takes the rules the helper parsed once (see `decalogue.cli.zygote`).
Parsed rules are only ever read, so apps can share them.
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

#: Parsed rules by (css, location, default rules?, tie breaker, scope, variables).
_PARSED: dict[tuple[Any, ...], list[RuleSet]] = {}
#: An app and its widgets bring about forty pieces of CSS; a few themes fit.
_KEPT = 400


def _variables_key(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(variables.items()))


class SharedStylesheet(Stylesheet):
    """Textual's stylesheet, with parsed rules shared by every app in the process."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._key = _variables_key(self._variables)

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._key = _variables_key(variables)

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._key)
        rules = _PARSED.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if len(_PARSED) >= _KEPT:
                _PARSED.clear()
            _PARSED[key] = rules
        return rules
