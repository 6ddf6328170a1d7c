"""The trend of overdue cards as a server-rendered SVG (no script, readable without colour)."""

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 220, 44, 28, 12, 12


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # SVG polyline points
    ticks: list  # (y, label)
    labels: list  # (x, label) for the first and last day
    last: tuple | None  # (x, y, value) of the latest point
    rows: list  # (day, overdue, total) for the table fallback


def trend_chart(snapshots) -> Chart:
    """Scale daily snapshots onto a fixed canvas; the view renders the numbers as SVG elements."""
    if not snapshots:
        return Chart(WIDTH, HEIGHT, "", [], [], None, [])
    top = max(max(s.overdue for s in snapshots), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(len(snapshots) - 1, 1)

    def xy(i, value):
        return round(LEFT + plot_w * i / span, 1), round(TOP + plot_h * (1 - value / top), 1)

    coords = [xy(i, s.overdue) for i, s in enumerate(snapshots)]
    ticks = [(round(TOP + plot_h * (1 - v / top), 1), v) for v in sorted({0, top // 2, top})]
    labels = [(coords[0][0], f"{snapshots[0].day:%d.%m}"), (coords[-1][0], f"{snapshots[-1].day:%d.%m}")]
    rows = [(s.day, s.overdue, s.total) for s in snapshots]
    return Chart(WIDTH, HEIGHT, " ".join(f"{x},{y}" for x, y in coords), ticks, labels,
                 (*coords[-1], snapshots[-1].overdue), rows)  # fmt: skip
