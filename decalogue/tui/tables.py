"""Filling a DataTable in one go, with column widths measured from the cells.

DataTable measures auto-width columns later, on idle; a table refilled on a
resize (or rebuilt quickly twice) can keep the headers' widths and cut every
cell. Measuring here makes the header and the rows agree at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def fill_table(
    table: DataTable[Text],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, Sequence[Text]]],
) -> None:
    """Replace the columns ((key, heading)) and rows ((key, cells)) of `table`."""
    table.clear(columns=True)
    for index, (key, heading) in enumerate(columns):
        width = max([len(heading), *(cells[index].cell_len for _, cells in rows)])
        table.add_column(heading, key=key, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)
