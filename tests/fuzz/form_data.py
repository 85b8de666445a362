"""Hypothesis strategies for what a browser (or a bot) can post to a Django form, read from the form class itself so
a new field or a new step is fuzzed without a change here (issue 21 part 2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Text that has broken something somewhere before: controls, NUL, lone surrogates' replacement, far-off dates,
# numbers too big for any column, right-to-left digits, markup, very long strings.
ODD = ["", " ", "0", "-1", "31", "2", "13", "29", "1899", "2101", "9999", "99999999999999999999", "1e9", "\x00",
       "a\x00b", "\x1b[2J", "\u0661\u0662", "\ufffd", "<script>alert(1)</script>", "yes", "no", "on", "none",
       "00:00", "23:59", "25:99", "ex1 1aa", "EX1 1AB", "ada@example.org", "not-an-email", "07700 900982",
       "ASB-2026-000001", "x" * 6000]  # fmt: skip
TEXT = st.text(max_size=120) | st.sampled_from(ODD)
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["photo.jpg", "note.pdf", "../../etc/passwd", "a.exe", "x" * 300 + ".png", "clip.mp3", ".jpg"]),
    st.binary(max_size=200)
    | st.sampled_from([b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, b"%PDF-1.4\n%%EOF\n", b"MZ\x90\x00"]),
)


def _choice_values(field: forms.Field) -> list[str]:
    values: list[str] = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # optgroups
            values += [str(inner) for inner, _ in label]
        else:
            values.append(str(value))
    return [v for v in values if v]


def field_values(name: str, field: forms.Field) -> dict[str, st.SearchStrategy[Any]]:
    """The posted names a field reads (a date's three parts, say) and what to send for each."""
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        parts = getattr(widget, "widgets_names", None) or [f"_{i}" for i in range(len(widget.widgets))]
        return {f"{name}{suffix}": TEXT | st.integers(-5, 3000).map(str) for suffix in parts}
    if isinstance(field, forms.FileField):
        return {name: FILES}
    choices = _choice_values(field)
    if isinstance(field, forms.MultipleChoiceField):
        picks = st.lists(st.sampled_from(choices), max_size=4) if choices else st.just([])
        return {name: picks | st.lists(TEXT, max_size=3)}
    if choices:
        return {name: st.sampled_from(choices) | TEXT}
    if isinstance(field, forms.BooleanField):
        return {name: st.sampled_from(["on", "true", "1", ""]) | TEXT}
    return {name: TEXT}


def form_posts(form_class: type[forms.BaseForm], **init: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Posted data for `form_class`: each field present or not, a valid choice or anything, plus a stray field now
    and then."""
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in form_class(**init).fields.items():
        optional.update(field_values(name, field))
    optional["unexpected"] = TEXT
    return st.fixed_dictionaries({}, optional=optional)
