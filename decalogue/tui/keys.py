"""Keys as a user reads them, taken from the bindings: the one source for every label.

The detail pane's "(e)", the help screen and the palette all ask here, so a
label can only say the key that the binding really has.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

#: Textual's key names where a user would read a character.
KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "question_mark": "?",
    "space": "space",
}


def shown_key(binding: Binding) -> str:
    """The key as the footer and the help show it: its display, else its readable name."""
    return binding.key_display or KEY_NAMES.get(binding.key, binding.key)


def action_keys(bindings: Iterable[BindingType]) -> dict[str, str]:
    """Action → the key shown for it (the first binding of each action)."""
    keys: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            keys.setdefault(binding.action.split("(")[0], shown_key(binding))
    return keys
