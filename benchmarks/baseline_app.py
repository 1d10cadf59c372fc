"""The floor: the smallest Textual app like ours (header, footer, a one-node tree).

Cold start and memory are measured against it, launched and watched exactly as
`decalogue open FILE` is (see `benchmarks.launch`), so the ratio shows what
decalogue adds on top of Python and Textual themselves.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Tree

#: What the first frame shows; the launcher waits for it on the terminal.
MARKER = "baseline-node"


class BaselineApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012  (Textual's own idiom)

    def compose(self) -> ComposeResult:
        yield Header()
        tree: Tree[None] = Tree("root")
        tree.root.add_leaf(MARKER)
        tree.root.expand()
        yield tree
        yield Footer()


def main() -> None:
    BaselineApp().run()


if __name__ == "__main__":
    main()
