"""Names typed for a new assessment (a country's, an assessor's, a title): one line each."""

from __future__ import annotations

import unicodedata

from decalogue.errors import DecalogueError


def typed_name(field: str, text: str) -> str:
    """A name typed for a new assessment, trimmed; refused with a control character.

    A pasted ESC or line break would travel in the file to every report and
    terminal; a name is one line of printable text. (Files from elsewhere may
    still hold one: every output shows it as a symbol, never obeys it.)
    """
    text = text.strip()
    for index, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cc":
            raise DecalogueError(
                f"{field} {text!r}: a control character (U+{ord(char):04X}) at character "
                f"{index}; type the name on one line without it"
            )
    return text
