"""Server-rendered bar charts: the geometry of horizontal bars for an inline SVG, and the same data for the
table that follows each chart (templates: desk/_bar_chart.html)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 480
LABEL_WIDTH = 190
VALUE_WIDTH = 60
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    """One chart: `key` makes its ids unique on the page, `title` names it for screen readers."""

    key: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def bar_chart(key: str, title: str, rows: list[tuple[object, int]], *, label_heading: str,
              value_heading: str) -> BarChart:
    """Bars for `rows` of (label, value), the longest as wide as the space allows, in the order given."""
    biggest = max((value for _label, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(label=str(label), value=value, y=i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            width=round(room * value / biggest) if biggest else 0)
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(key=key, title=title, label_heading=label_heading, value_heading=value_heading, bars=bars)
