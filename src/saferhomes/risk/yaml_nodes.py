"""Reading a YAML file as PyYAML's node tree, so every problem names its line (risk instrument and wording files).

`NodeChecker` collects (line, reason) problems while it turns nodes into plain values; `InstrumentFileError` lists
them as "name.yaml line 12: reason". The instrument format itself is in `schema.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from saferhomes.core.errors import DomainError

TEXT_MAX = 500  # characters of a text field unless the format says otherwise
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
CONSTRUCTOR = yaml.constructor.SafeConstructor()

Problem = tuple[int | None, str]


class InstrumentFileError(DomainError):
    """An instrument (or wording) file was rejected: `problems` lists (line, reason); str() lists them one a line."""

    def __init__(self, problems: Sequence[Problem], *, source_name: str = "") -> None:
        self.problems: list[Problem] = sorted(problems, key=lambda p: (p[0] is None, p[0] or 0))
        self.source_name = source_name
        super().__init__(self.lines())

    def lines(self) -> list[str]:
        """Each problem as "name.yaml line 12: reason" (or "line 12: reason" without a file name)."""
        prefix = f"{self.source_name} " if self.source_name else ""
        out = []
        for line, reason in self.problems:
            where = f"{prefix}line {line}" if line is not None else (self.source_name or "file")
            out.append(f"{where}: {reason}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


class NodeChecker:
    """Collects problems while it reads nodes into plain values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.key_of: dict[int, Node] = {}  # id(value node) -> its key node

    def problem(self, node: Node | None, reason: str) -> None:
        """Record a problem at `node`'s line; a list or mapping given as a value is reported at its key's line."""
        if isinstance(node, SequenceNode | MappingNode):
            node = self.key_of.get(id(node), node)
        self.problems.append((node.start_mark.line + 1 if node is not None else None, reason))

    def mapping(
        self, node: Node, where: str, *, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{where} must be a mapping of names to values")
            return None
        allowed = [*required, *optional]
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, f"{where} has a key that is not a plain name")
                continue
            name = key_node.value
            if name in found:
                self.problem(key_node, f"'{name}' is given twice in {where}")
            elif name not in allowed:
                self.problem(key_node, f"unknown key '{name}' in {where} (expected {', '.join(allowed)})")
            else:
                found[name] = value_node
                self.key_of[id(value_node)] = key_node
        for name in required:
            if name not in found:
                self.problem(node, f"{where} is missing '{name}'")
        return found

    def sequence(self, node: Node, where: str, *, min_items: int = 0) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{where} must be a list")
            return None
        if len(node.value) < min_items:
            self.problem(node, f"{where} needs at least {min_items} {'item' if min_items == 1 else 'items'}")
        return list(node.value)

    def text(
        self,
        node: Node,
        where: str,
        *,
        max_len: int = TEXT_MAX,
        pattern: re.Pattern[str] | None = None,
        pattern_hint: str = "",
        blank: bool = False,
    ) -> str | None:
        if not isinstance(node, ScalarNode) or (node.tag == NULL_TAG and node.style is None and not blank):
            self.problem(node, f"{where} must be text")
            return None
        value = "" if node.tag == NULL_TAG and node.style is None else str(node.value).strip()
        if not value and not blank:
            self.problem(node, f"{where} must not be empty")
            return None
        if len(value) > max_len:
            self.problem(node, f"{where} is longer than {max_len} characters")
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(node, f"{where} '{value}' {pattern_hint}")
            return None
        return value

    def integer(self, node: Node, where: str, *, minimum: int = 0, nullable: bool = False) -> int | None:
        if nullable and isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return None
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            self.problem(node, f"{where} must be a whole number{' or null' if nullable else ''}")
            return None
        value = int(CONSTRUCTOR.construct_yaml_int(node))
        if value < minimum:
            self.problem(node, f"{where} must be {minimum} or more")
            return None
        return value

    def boolean(self, node: Node, where: str) -> bool | None:
        if not isinstance(node, ScalarNode) or node.tag != BOOL_TAG:
            self.problem(node, f"{where} must be true or false")
            return None
        return bool(CONSTRUCTOR.construct_yaml_bool(node))

    def one_of(self, node: Node, where: str, choices: Sequence[str]) -> str | None:
        value = self.text(node, where, max_len=60)
        if value is not None and value not in choices:
            self.problem(node, f"{where} '{value}' is not one of {', '.join(choices)}")
            return None
        return value


def compose(text: str, source_name: str, *, max_chars: int) -> Node:
    """The YAML node tree of `text` (JSON too), or InstrumentFileError naming the line that is not valid YAML."""
    if len(text) > max_chars:
        raise InstrumentFileError(
            [(None, f"the file is larger than {max_chars:,} characters")], source_name=source_name
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(part for part in (exc.context, exc.problem) if part) or "not valid YAML"
        raise InstrumentFileError([(line, f"not valid YAML: {reason}")], source_name=source_name) from exc
    except yaml.YAMLError as exc:
        raise InstrumentFileError([(None, f"not valid YAML: {exc}")], source_name=source_name) from exc
    if node is None:
        raise InstrumentFileError([(None, "the file is empty")], source_name=source_name)
    return node


def peek_int(node: Node | None) -> int | None:
    """A whole number at `node`, or None, recording no problem (for cross-checks after a problem)."""
    if isinstance(node, ScalarNode) and node.tag == INT_TAG:
        return int(CONSTRUCTOR.construct_yaml_int(node))
    return None


def peek_text(node: Node | None) -> str | None:
    """Text at `node`, or None, recording no problem."""
    if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
        return str(node.value).strip() or None
    return None


def field_node(node: Node, name: str) -> Node | None:
    """The value node of key `name` in a mapping node, or None."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == name:
                return value_node
    return None
