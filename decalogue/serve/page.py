"""The page a browser loads, and the few files it needs, all served from this computer.

textual-serve's own page fetches a font from an outside host; ours uses the
Roboto Mono files textual-serve ships, through an @font-face rule, so the page
makes no request to any other host and works without internet access. Only
the files listed in STATIC are served.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

#: The files the page needs, by the address it asks for them.
STATIC = {
    "css/xterm.css": "text/css",
    "js/textual.js": "text/javascript",
    "fonts/RobotoMono-VariableFont_wght.ttf": "font/ttf",
    "fonts/RobotoMono-Italic-VariableFont_wght.ttf": "font/ttf",
}

#: Sent with every response: no framing by other sites, no outside requests, no sniffing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def static_folder() -> Path:
    """textual-serve's folder of static files (the JavaScript terminal and its font)."""
    return Path(str(resources.files("textual_serve"))) / "static"


def static_file(name: str) -> tuple[Path, str] | None:
    """The file for /static/NAME and its type, or None for anything not listed."""
    kind = STATIC.get(name)
    if kind is None:
        return None
    return static_folder() / name, kind


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
@font-face {{
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-style: normal;
}}
@font-face {{
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-style: italic;
}}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
body {{ color: #eee; font-family: "Roboto Mono", monospace; }}
.textual-terminal {{ height: 100vh; opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
.notice {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; text-align: center; font-size: 16px; }}
body.-first-byte .starting, .ended, .unstarted, #start {{ display: none; }}
body.-closed.-first-byte .ended, body.-closed:not(.-first-byte) .unstarted {{
  display: flex; background: #0c181f; z-index: 10; }}
</style>
</head>
<body>
<div class="notice starting">decalogue · {who} · starting…</div>
<div class="notice ended">The session ended.<br>
Reload the page to go on from what was saved.</div>
<div class="notice unstarted">The session could not start: the server may be full,
stopped, or started again with new links.<br>
Reload this page in a minute; if it still cannot start, ask the facilitator.</div>
<button id="start" type="button">Start</button>
<div id="terminal" class="textual-terminal"
  data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def page(who: str, websocket: str, font_size: int) -> str:
    """The page for one link: `websocket` is the address its terminal connects to."""
    return PAGE.format(
        title=html.escape(f"decalogue · {who}"),
        who=html.escape(who),
        websocket=html.escape(websocket, quote=True),
        font_size=font_size,
    )


REFUSED = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>decalogue</title></head>
<body style="font-family: sans-serif; margin: 3em;">
<p>{text}</p>
</body></html>
"""


def refused(text: str) -> str:
    return REFUSED.format(text=html.escape(text))


NEEDS_TOKEN = (
    "This address needs its full link, with the token after ?token= . "
    "Ask the facilitator for your link."
)
WRONG_TOKEN = (
    "This link is not (or no longer) valid: its token may have been cut off when it was "
    "copied, or it is from an earlier start of the server (the links change at every start "
    "unless the facilitator starts it with --token). Ask the facilitator for your link."
)
FULL = (
    "This server runs as many sessions as the facilitator allowed (--max-sessions), "
    "so yours cannot start now. Reload this page in a minute, when someone has left; "
    "if it stays full, tell the facilitator."
)
WRONG_HOST = "This server does not answer to that name. Use the address the facilitator gave."
