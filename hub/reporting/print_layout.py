"""What the printed forms of a report (DOCX, PDF: hub.reporting.render_print) share: a table split into column
groups that fit an A4 portrait page, a cell's text, and the chart drawn by matplotlib (the Agg backend, no display)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from hub.reporting.export import Cell, Chart, Table, number

MAX_PRINT_COLUMNS = 8  # columns of a table on one A4 portrait page


def cell_text(value: Cell) -> str:
    return number(value) if isinstance(value, int | float) else ("" if value is None else str(value))


def printed(table: Table) -> Iterator[Table]:
    """The table in column groups that fit a page: the leading `keep` columns repeated in each."""
    n = len(table.headers)
    if n <= MAX_PRINT_COLUMNS:
        yield table
        return
    keep = table.keep
    step = max(1, MAX_PRINT_COLUMNS - keep)
    widths = table.widths or (1.0,) * n
    for start in range(keep, n, step):
        cols = [*range(keep), *range(start, min(n, start + step))]

        def pick(row: tuple[Cell, ...], cols: list[int] = cols) -> tuple[Cell, ...]:
            return tuple(row[j] for j in cols)

        yield Table(
            f"{table.caption} (cột {start + 1}–{min(n, start + step)})" if start > keep else table.caption,
            pick(table.headers),  # type: ignore[arg-type]
            tuple(pick(r) for r in table.rows),
            pick(table.total) if table.total else None,
            frozenset(k for k, j in enumerate(cols) if j in table.numeric),
            tuple(widths[j] for j in cols),
        )


# --- the chart ------------------------------------------------------------------------------------------


def chart_png(chart: Chart) -> bytes:
    """One horizontal bar panel per indicator, a bar per unit (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    n, m = len(chart.indicators), len(chart.units)
    panel = 0.16 * m + 0.5  # inches: a bar's height, and room for the panel's title
    height = panel * n + 0.5
    fig = Figure(figsize=(7.5, height), dpi=96)
    fig.suptitle(chart.title, fontsize=10, fontweight="bold")
    # fixed margins rather than tight_layout: laying out measures every label (a second drawing)
    fig.subplots_adjust(left=0.36, right=0.97, top=1 - 0.4 / height, bottom=0.25 / height, hspace=0.45 / panel)
    labels = [u if len(u) <= 40 else u[:39] + "…" for u in chart.units]
    for i, (name, values) in enumerate(zip(chart.indicators, chart.series, strict=True)):
        ax = fig.add_subplot(n, 1, i + 1)
        ax.barh(range(m), values, color="#3b6ea5")
        ax.set_yticks(range(m), labels, fontsize=6)
        ax.invert_yaxis()
        ax.set_title(name, fontsize=8, loc="left")
        ax.tick_params(axis="x", labelsize=6)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
