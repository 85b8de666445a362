"""Instrument files for the instrument tests: the shipped ones, small valid ones, and edits of them."""

from __future__ import annotations

from pathlib import Path

from saferhomes.risk.services.instruments import SHIPPED_DIR


def shipped_text(key: str) -> str:
    return (Path(SHIPPED_DIR) / f"{key}.yaml").read_text(encoding="utf-8")


def next_version(key: str, version: int = 2, *, replace: tuple[str, str] | None = None) -> str:
    """The shipped file as a later version, optionally with one piece of text replaced."""
    text = shipped_text(key).replace("version: 1\n", f"version: {version}\n", 1)
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    return text


TINY_MATRIX = """\
schema: saferhomes-instrument/1
key: tiny
version: 1
name: Tiny matrix
kind: matrix
applies_to: [asb]
sections:
  - key: only
    title: Only
    questions:
      - id: hurt
        text: Hurt?
        type: choice
        options:
          - {value: "no", label: "No", weight: 0}
          - {value: "yes", label: "Yes", weight: 5}
      - id: scared
        text: Scared?
        type: yes_no_unknown
bands:
  - {key: low, label: Low, min_score: 0, reassess_days: 28, priority: low}
  - {key: high, label: High, min_score: 5, reassess_days: 7, priority: high, urgent: true}
"""
