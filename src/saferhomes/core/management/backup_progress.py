"""A rich progress bar for core.backup's steps (the backup and restore commands)."""

from __future__ import annotations

from rich.progress import Progress as RichProgress
from rich.progress import TaskID

from saferhomes.core.backup import Progress


def rich_progress(bar: RichProgress) -> Progress:
    """core.backup's Progress, drawn on `bar`: one bar per step."""
    current: list[TaskID] = []

    def start(what: str, total: int) -> None:
        current.append(bar.add_task(what, total=max(total, 1)))
        if total == 0:
            bar.advance(current[-1], 1)

    def advance(n: int) -> None:
        bar.advance(current[-1], n)

    return Progress(start=start, advance=advance)
