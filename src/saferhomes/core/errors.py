"""Domain errors: exceptions with user-facing messages, turned into form or JSON errors at the edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """A rule said no. `field_errors` maps field names to messages; `messages` are form-wide."""

    def __init__(
        self,
        messages: str | Sequence[str] = (),
        *,
        field_errors: Mapping[str, str | Sequence[str]] | None = None,
    ) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        self.field_errors: dict[str, list[str]] = {
            field: [errs] if isinstance(errs, str) else list(errs) for field, errs in (field_errors or {}).items()
        }
        super().__init__("; ".join(self.messages + [m for ms in self.field_errors.values() for m in ms]))
