"""The child of `benchmarks.start_phases`: import layer by layer, note CPU time, then run.

Only `time` is imported before the first mark, so Python's own start ends there.
`python -m benchmarks.phases_child OUT app ARGS...` runs `decalogue ARGS`;
`python -m benchmarks.phases_child OUT floor` runs the floor.
"""

from __future__ import annotations

import time


def _rss() -> int:
    """Resident memory now, in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096
    except OSError:
        return 0


_marks = [("python", time.process_time(), _rss())]

import json  # noqa: E402
import runpy  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def _mark(name: str) -> None:
    _marks.append((name, time.process_time(), _rss()))


def main(out: Path, what: str, args: list[str]) -> None:
    import textual.app  # noqa: F401

    _mark("textual")
    if what == "app":
        import pydantic.main  # noqa: F401

        _mark("pydantic")
        import decalogue.model.assessment
        import decalogue.model.checklist

        _mark("models")
        import decalogue.cli
        import decalogue.session
        import decalogue.storage.stores
        import decalogue.tui.app  # noqa: F401

        _mark("decalogue")
    spent, grown, before, size = {}, {}, 0.0, 0
    for name, at, rss in _marks:
        spent[name], before = at - before, at
        grown[name], size = rss - size, rss
    out.write_text(json.dumps({"cpu": spent, "rss": grown}))
    if what == "app":
        sys.argv = ["decalogue", *args]
        runpy.run_module("decalogue", run_name="__main__")
    else:
        runpy.run_module("benchmarks.baseline_app", run_name="__main__")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:])
