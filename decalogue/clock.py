"""The one clock: every module that records or measures a time asks this one.

Modules call `clock.now()` / `clock.monotonic()` through the module (never
`from decalogue.clock import now`), so a test that sets the time replaces
`decalogue.clock.now` once and every timestamp follows.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timezone


def now() -> datetime:
    """The time to record (UTC, whole seconds): changes, saves, exports, trash names."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def today() -> date:
    """The date here (local), for deadlines: what is overdue today."""
    return date.today()


def monotonic() -> float:
    """Seconds for measuring a span (the presenter's per-item timer); never goes back."""
    return time.monotonic()
