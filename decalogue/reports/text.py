"""Text from checklists, files and users made safe to show: one policy for every output.

Two dangers, one answer each. A terminal obeys control characters (ESC starts a
sequence that retitles the window, clears the screen or makes a link); `visible`
shows every one of them as its Unicode control picture instead (ESC as U+241B).
Markdown turns `[x](y)`, `<b>`, `|` or a leading `#` into structure; `inline`,
`starts_line`, `cell` and `block` escape them. The CLI, the reports and the TUI
all use these, so a title reads the same, and as harmlessly, everywhere.
"""

from __future__ import annotations

import re

#: Every control character but the line feed and the tab as its control picture (C0 as
#: U+2400+code, DEL as U+2421; C1, which has no pictures, as the replacement character).
_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"}
_PICTURES.update({0x7F: 0x2421, **dict.fromkeys(range(0x80, 0xA0), 0xFFFD)})

_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c]")
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def visible(text: str) -> str:
    """`text` with every control character but line feed and tab shown, never obeyed."""
    return text.translate(_PICTURES)


def printable(text: str) -> str:
    """Text for a report or a terminal, so `cat report.md` is safe.

    CR LF, CR, vertical tab and form feed (line breaks pasted from word processors)
    become line feeds; every other control character is made `visible`.
    """
    return visible(_LINE_BREAK.sub("\n", text))


def one_line(text: str) -> str:
    """`printable`, on one line with runs of white space as one space."""
    return " ".join(printable(text).split())


def cut(text: str, width: int) -> str:
    """`one_line`, shortened to `width` characters with an ellipsis.

    Controls are made visible first, so a cut never leaves half an escape sequence.
    """
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 escaped too (JSON escapes only C0; 0x9b is a CSI)."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# --------------------------------------------------------------------------- Markdown


def inline(text: str) -> str:
    """Escape text for use inside a line of Markdown (a table cell, after a heading's #)."""
    text = one_line(text)
    text = _INLINE.sub(r"\\\1", text)
    return _ENTITY.sub(r"\\&", text)


def starts_line(text: str) -> str:
    """Escape text that opens a line or a list item, where #, -, + and 1. mean structure."""
    return _escape_start(inline(text))


def _escape_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(2)
    if marker[0].isdigit():
        return line[: match.end() - 1] + "\\" + line[match.end() - 1 :]
    return line[: match.start(2)] + "\\" + line[match.start(2) :]


def cell(text: str) -> str:
    """Escape text for a table cell; line breaks become <br>."""
    lines = [inline(line) for line in printable(text).splitlines() if line.strip()]
    return "<br>".join(lines)


def block(text: str) -> str:
    """Escape multi-line text as paragraphs; single line breaks are kept as hard breaks."""
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", printable(text).strip()):
        lines = [starts_line(line) for line in chunk.splitlines() if line.strip()]
        if lines:
            paragraphs.append("  \n".join(lines))
    return "\n\n".join(paragraphs)
