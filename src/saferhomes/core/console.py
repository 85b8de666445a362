"""Rich consoles and progress bars for every app's management commands (seed, import, bench, instruments...)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import OutputWrapper
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class _Unwrapped:
    """Let rich write to a command's stdout without Django appending a newline to every chunk."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return bool(self.wrapper.isatty())


def console_for(stream: OutputWrapper, **kwargs: Any) -> Console:
    """A rich console writing to a command's stdout or stderr; wide when it is not a terminal (logs, tests)."""
    unwrapped = _Unwrapped(stream)
    if not unwrapped.isatty():
        kwargs.setdefault("width", 160)
    return Console(file=unwrapped, **kwargs)  # type: ignore[arg-type]


def progress_bar(console: Console) -> Progress:
    """A progress bar with a description, count and elapsed time."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
