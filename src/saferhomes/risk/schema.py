"""The risk instrument file format ("saferhomes-instrument/1"): parse, validate with line numbers, and write back.

An instrument file is YAML (JSON is accepted too: it parses as YAML). We walk PyYAML's composed node tree rather
than the loaded data, so every problem names the line it is on: "asb.yaml line 12: duplicate question id 'hurt'".
The format is documented in docs/risk-instruments.md; `parse_instrument` returns the validated, normalised data that
`Instrument.definition` stores and `rules.definition_from_data` reads.

Decisions (documented for landlords who write their own files):
- every key is checked: unknown keys, wrong types and missing keys are errors, never silently ignored;
- text fields are read as written (an unquoted `yes` stays the text "yes", never becomes true);
- matrix and checklist instruments need at least two bands; the first starts at 0, each later one starts strictly
  higher, and the highest must be reachable (not above the highest possible score); factors instruments have none;
- weights are whole numbers of 0 or more, so a score can only go up as answers get more serious;
- yes/no/not known questions have fixed answers (yes = 1, no = 0, not known = 0) and take no `options`;
- questions are required unless `required: false`, except in factors instruments where they are optional unless
  `required: true`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from saferhomes.risk import rules
from saferhomes.risk.yaml_nodes import (
    InstrumentFileError,
    NodeChecker,
    compose,
    field_node,
    peek_int,
    peek_text,
)

SCHEMA = "saferhomes-instrument/1"

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
VALUE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEY_MAX, ID_MAX, NAME_MAX, HELP_MAX = 60, 60, 200, 2000
MAX_QUESTIONS = 200
MAX_FILE_CHARS = 500_000


def _unique(check: NodeChecker, items: list[tuple[Node, str]], what: str, where: str = "") -> None:
    seen: set[str] = set()
    for node, value in items:
        if value in seen:
            check.problem(node, f"duplicate {what} '{value}'{where}")
        seen.add(value)


def _option(check: NodeChecker, node: Node, where: str) -> dict[str, Any] | None:
    fields = check.mapping(node, where, required=("value", "label"), optional=("weight",))
    if fields is None:
        return None
    value = (
        check.text(
            fields["value"],
            f"{where} value",
            max_len=ID_MAX,
            pattern=VALUE_RE,
            pattern_hint="must be lower-case letters, digits, '-' or '_'",
        )
        if "value" in fields
        else None
    )
    label = check.text(fields["label"], f"{where} label") if "label" in fields else None
    weight = check.integer(fields["weight"], f"{where} weight") if "weight" in fields else 0
    if value is None or label is None or weight is None:
        return None
    return {"value": value, "label": label, "weight": weight}


def _question(
    check: NodeChecker, node: Node, where: str, kind: str | None
) -> tuple[dict[str, Any] | None, Node | None]:
    peek = peek_text(field_node(node, "id"))
    where = f"question '{peek}'" if peek and ID_RE.match(peek) else where
    fields = check.mapping(node, where, required=("id", "text", "type"), optional=("help", "required", "options"))
    if fields is None:
        return None, None
    qid = (
        check.text(
            fields["id"],
            f"{where} id",
            max_len=ID_MAX,
            pattern=ID_RE,
            pattern_hint="must start with a lower-case letter and use only lower-case letters, digits and '_'",
        )
        if "id" in fields
        else None
    )
    where = f"question '{qid}'" if qid else where
    text = check.text(fields["text"], f"{where} text") if "text" in fields else None
    help_text = check.text(fields["help"], f"{where} help", max_len=HELP_MAX, blank=True) if "help" in fields else ""
    qtype = None
    if "type" in fields:
        qtype = check.text(fields["type"], f"{where} type", max_len=60)
        if qtype is not None and qtype not in rules.QUESTION_TYPES:
            check.problem(
                fields["type"], f"unknown question type '{qtype}' (expected {', '.join(rules.QUESTION_TYPES)})"
            )
            qtype = None
    required = kind != rules.FACTORS
    if "required" in fields:
        given = check.boolean(fields["required"], f"{where} required")
        required = required if given is None else given
    if qtype == rules.CHOICE and kind == rules.CHECKLIST:
        check.problem(
            fields["type"],
            f"{where}: a checklist counts 'yes' answers, so its questions are yes_no_unknown "
            "(or number for counts); 'choice' questions belong in a matrix",
        )
    options: list[dict[str, Any]] = []
    if qtype == rules.CHOICE:
        if "options" not in fields:
            check.problem(node, f"{where} is a choice question but has no 'options'")
        else:
            items = check.sequence(fields["options"], f"{where} options", min_items=2) or []
            parsed = [(item, _option(check, item, f"{where} option {i}")) for i, item in enumerate(items, 1)]
            _unique(
                check,
                [(item, opt["value"]) for item, opt in parsed if opt is not None],
                "option value",
                f" in {where}",
            )
            options = [opt for _, opt in parsed if opt is not None]
    elif qtype is not None and "options" in fields:
        fixed = "has the fixed answers yes, no and not known" if qtype == rules.YES_NO_UNKNOWN else "takes a number"
        check.problem(fields["options"], f"{where} {fixed}: remove 'options'")
    if qid is None or text is None or qtype is None:
        return None, fields.get("id")
    return {
        "id": qid,
        "text": text,
        "help": help_text or "",
        "type": qtype,
        "required": required,
        "options": options,
    }, fields.get("id")


def _band(check: NodeChecker, node: Node, where: str) -> dict[str, Any] | None:
    peek = peek_text(field_node(node, "key"))
    where = f"band '{peek}'" if peek and VALUE_RE.match(peek) else where
    fields = check.mapping(
        node,
        where,
        required=("key", "label", "min_score", "priority"),
        optional=("reassess_days", "urgent", "contact_every_days"),
    )
    if fields is None:
        return None
    key = (
        check.text(
            fields["key"],
            f"{where} key",
            max_len=30,
            pattern=VALUE_RE,
            pattern_hint="must be lower-case letters, digits, '-' or '_'",
        )
        if "key" in fields
        else None
    )
    where = f"band '{key}'" if key else where
    label = check.text(fields["label"], f"{where} label", max_len=NAME_MAX) if "label" in fields else None
    min_score = check.integer(fields["min_score"], f"{where} min_score") if "min_score" in fields else None
    priority = None
    if "priority" in fields:
        priority = check.text(fields["priority"], f"{where} priority", max_len=30)
        if priority is not None and priority not in rules.PRIORITIES:
            check.problem(
                fields["priority"],
                f"{where} priority '{priority}' is not a case priority ({', '.join(rules.PRIORITIES)})",
            )
            priority = None
    reassess = (
        check.integer(fields["reassess_days"], f"{where} reassess_days", minimum=1, nullable=True)
        if "reassess_days" in fields
        else None
    )
    urgent = check.boolean(fields["urgent"], f"{where} urgent") if "urgent" in fields else False
    contact = (
        check.integer(fields["contact_every_days"], f"{where} contact_every_days", minimum=1, nullable=True)
        if "contact_every_days" in fields
        else None
    )
    if key is None or label is None or min_score is None or priority is None or urgent is None:
        return None
    return {
        "key": key,
        "label": label,
        "min_score": min_score,
        "reassess_days": reassess,
        "priority": priority,
        "urgent": urgent,
        "contact_every_days": contact,
    }


def parse_instrument(text: str, *, source_name: str = "") -> dict[str, Any]:
    """The validated, normalised data of an instrument file; InstrumentFileError listing every problem otherwise."""
    root = compose(text, source_name, max_chars=MAX_FILE_CHARS)
    check = NodeChecker()
    top = check.mapping(
        root,
        "the file",
        required=("schema", "key", "version", "name", "kind", "applies_to", "sections"),
        optional=("description", "bands", "marac"),
    )
    if top is None:
        raise InstrumentFileError(check.problems, source_name=source_name)

    if "schema" in top:
        schema = check.text(top["schema"], "schema", max_len=60)
        if schema is not None and schema != SCHEMA:
            check.problem(top["schema"], f"schema '{schema}' is not supported (expected {SCHEMA})")
    key = (
        check.text(
            top["key"],
            "key",
            max_len=KEY_MAX,
            pattern=KEY_RE,
            pattern_hint="must be lower-case letters and digits joined by '-', e.g. asb-hate-matrix",
        )
        if "key" in top
        else None
    )
    version = check.integer(top["version"], "version", minimum=1) if "version" in top else None
    name = check.text(top["name"], "name", max_len=NAME_MAX) if "name" in top else None
    kind = check.one_of(top["kind"], "kind", rules.KINDS) if "kind" in top else None
    description = (
        check.text(top["description"], "description", max_len=HELP_MAX, blank=True) if "description" in top else ""
    )

    applies_to: list[str] = []
    if "applies_to" in top:
        items = check.sequence(top["applies_to"], "applies_to", min_items=1) or []
        found: list[tuple[Node, str]] = []
        for item in items:
            case_type = check.text(item, "applies_to", max_len=30)
            if case_type is None:
                continue
            if case_type not in rules.CASE_TYPES:
                check.problem(item, f"unknown case type '{case_type}' (expected {', '.join(rules.CASE_TYPES)})")
                continue
            found.append((item, case_type))
        _unique(check, found, "case type")
        applies_to = list(dict.fromkeys(v for _, v in found))

    sections: list[dict[str, Any]] = []
    question_ids: list[tuple[Node, str]] = []
    questions_by_id: dict[str, dict[str, Any]] = {}
    if "sections" in top:
        section_nodes = check.sequence(top["sections"], "sections", min_items=1) or []
        section_keys: list[tuple[Node, str]] = []
        for s_index, s_node in enumerate(section_nodes, 1):
            where = f"section {s_index}"
            fields = check.mapping(s_node, where, required=("key", "title", "questions"))
            if fields is None:
                continue
            s_key = (
                check.text(
                    fields["key"],
                    f"{where} key",
                    max_len=ID_MAX,
                    pattern=VALUE_RE,
                    pattern_hint="must be lower-case letters, digits, '-' or '_'",
                )
                if "key" in fields
                else None
            )
            if s_key is not None:
                section_keys.append((fields["key"], s_key))
                where = f"section '{s_key}'"
            title = check.text(fields["title"], f"{where} title", max_len=NAME_MAX) if "title" in fields else None
            questions: list[dict[str, Any]] = []
            if "questions" in fields:
                for q_index, q_node in enumerate(
                    check.sequence(fields["questions"], f"{where} questions", min_items=1) or [], 1
                ):
                    question, id_node = _question(check, q_node, f"question {q_index} of {where}", kind)
                    if id_node is not None and isinstance(id_node, ScalarNode) and ID_RE.match(id_node.value.strip()):
                        question_ids.append((id_node, id_node.value.strip()))
                    if question is not None:
                        questions.append(question)
                        questions_by_id.setdefault(question["id"], question)
            sections.append({"key": s_key or "", "title": title or "", "questions": questions})
        _unique(check, section_keys, "section key")
        _unique(check, question_ids, "question id")
        if len(question_ids) > MAX_QUESTIONS:
            check.problem(top["sections"], f"an instrument can have at most {MAX_QUESTIONS} questions")

    all_questions = [q for s in sections for q in s["questions"]]
    bands: list[dict[str, Any]] = []
    if kind == rules.FACTORS:
        if "bands" in top and not (isinstance(top["bands"], SequenceNode) and not top["bands"].value):
            check.problem(top["bands"], "a factors instrument is recorded, not banded: remove 'bands'")
    elif kind is not None:
        if "bands" not in top:
            check.problem(root, f"a {kind} instrument needs 'bands' (at least two, the first starting at 0)")
        else:
            band_nodes = check.sequence(top["bands"], "bands") or []
            if isinstance(top["bands"], SequenceNode) and len(band_nodes) < 2:
                check.problem(top["bands"], f"a {kind} instrument needs at least two bands (missing band)")
            parsed = [(b_node, _band(check, b_node, f"band {i}")) for i, b_node in enumerate(band_nodes, 1)]
            _unique(check, [(n, b["key"]) for n, b in parsed if b is not None], "band key")
            # Order is checked on every band whose min_score is readable, even when another of its fields is wrong.
            previous: tuple[str, int] | None = None
            first = True
            for index, (b_node, band) in enumerate(parsed, 1):
                min_node = field_node(b_node, "min_score")
                min_score = peek_int(min_node)
                band_name = peek_text(field_node(b_node, "key")) or f"band {index}"
                if band is not None:
                    bands.append(band)
                if min_node is None or min_score is None:
                    first = False  # reported already; the next band is not the first
                    continue
                if previous is None and first and min_score != 0:
                    check.problem(min_node, f"the first band '{band_name}' must start at 0 (min_score: 0)")
                if previous is not None and min_score <= previous[1]:
                    check.problem(
                        min_node,
                        f"band '{band_name}' starts at {min_score}, not above band '{previous[0]}' ({previous[1]}): "
                        "thresholds out of order; list bands from lowest to highest min_score",
                    )
                previous = (band_name, min_score)
            if bands and len(parsed) == len(bands) and all_questions and len(question_ids) == len(all_questions):
                max_score = _max_score(kind, all_questions)
                top_band = max(bands, key=lambda b: b["min_score"])
                if top_band["min_score"] > max_score:
                    top_node = next(n for n, b in parsed if b is top_band)
                    check.problem(
                        field_node(top_node, "min_score") or top_node,
                        f"band '{top_band['key']}' starts at {top_band['min_score']} but the highest possible score "
                        f"is {max_score}",
                    )

    marac: dict[str, Any] | None = None
    if "marac" in top:
        if kind is not None and kind != rules.CHECKLIST:
            check.problem(top["marac"], "only a checklist instrument has MARAC rules: remove 'marac'")
        else:
            marac = _marac(check, top["marac"], questions_by_id)

    if check.problems:
        raise InstrumentFileError(check.problems, source_name=source_name)
    return {
        "schema": SCHEMA,
        "key": key,
        "version": version,
        "name": name,
        "kind": kind,
        "applies_to": applies_to,
        "description": description or "",
        "sections": sections,
        "bands": bands,
        "marac": marac,
    }


def _max_score(kind: str, questions: list[dict[str, Any]]) -> int:
    if kind == rules.CHECKLIST:
        return sum(1 for q in questions if q["type"] == rules.YES_NO_UNKNOWN)
    return sum(
        max((o["weight"] for o in q["options"]), default=0)
        if q["type"] == rules.CHOICE
        else (1 if q["type"] == rules.YES_NO_UNKNOWN else 0)
        for q in questions
    )


def _marac(check: NodeChecker, node: Node, questions: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    fields = check.mapping(
        node, "marac", required=("yes_threshold",), optional=("escalation_callouts", "callouts_question")
    )
    if fields is None:
        return None
    threshold = (
        check.integer(fields["yes_threshold"], "marac yes_threshold", minimum=1) if "yes_threshold" in fields else None
    )
    yes_questions = sum(1 for q in questions.values() if q["type"] == rules.YES_NO_UNKNOWN)
    if threshold is not None and questions and threshold > yes_questions:
        check.problem(
            fields["yes_threshold"],
            f"marac yes_threshold {threshold} is more than the {yes_questions} yes/no/not known questions",
        )
    callouts = (
        check.integer(fields["escalation_callouts"], "marac escalation_callouts", minimum=1, nullable=True)
        if "escalation_callouts" in fields
        else None
    )
    callouts_question = None
    if "callouts_question" in fields:
        callouts_question = check.text(fields["callouts_question"], "marac callouts_question", max_len=ID_MAX)
        if callouts_question is not None:
            question = questions.get(callouts_question)
            if question is None:
                check.problem(
                    fields["callouts_question"], f"marac callouts_question '{callouts_question}' is not a question"
                )
            elif question["type"] != rules.NUMBER:
                check.problem(
                    fields["callouts_question"],
                    f"marac callouts_question '{callouts_question}' must be a number question",
                )
    if callouts is not None and callouts_question is None and "callouts_question" not in fields:
        check.problem(node, "marac escalation_callouts needs 'callouts_question': the number question it counts")
    return {"yes_threshold": threshold, "escalation_callouts": callouts, "callouts_question": callouts_question}


def apply_wording(data: dict[str, Any], text: str, *, source_name: str = "") -> dict[str, Any]:
    """A copy of instrument `data` with question texts (and help) replaced from a wording file.

    The wording file maps question ids to new text, or to {text, help}; unknown ids are rejected. Nothing else
    (answers, weights, bands) can change this way.
    """
    root = compose(text, source_name, max_chars=MAX_FILE_CHARS)
    check = NodeChecker()
    if not isinstance(root, MappingNode):
        raise InstrumentFileError(
            [(root.start_mark.line + 1, "a wording file maps question ids to their wording")], source_name=source_name
        )
    result = copy.deepcopy(data)
    by_id = {q["id"]: q for s in result["sections"] for q in s["questions"]}
    seen: set[str] = set()
    for key_node, value_node in root.value:
        qid = key_node.value if isinstance(key_node, ScalarNode) else ""
        if qid in seen:
            check.problem(key_node, f"question '{qid}' is given twice")
            continue
        seen.add(qid)
        question = by_id.get(qid)
        if question is None:
            check.problem(key_node, f"'{qid}' is not a question in {data['key']}")
            continue
        if isinstance(value_node, MappingNode):
            fields = check.mapping(value_node, f"wording for '{qid}'", required=(), optional=("text", "help"))
            if fields is None:
                continue
            if not fields:
                check.problem(value_node, f"wording for '{qid}' needs 'text' or 'help'")
            if "text" in fields:
                new_text = check.text(fields["text"], f"wording for '{qid}' text")
                if new_text is not None:
                    question["text"] = new_text
            if "help" in fields:
                new_help = check.text(fields["help"], f"wording for '{qid}' help", max_len=HELP_MAX, blank=True)
                if new_help is not None:
                    question["help"] = new_help
        else:
            new_text = check.text(value_node, f"wording for '{qid}'")
            if new_text is not None:
                question["text"] = new_text
    if check.problems:
        raise InstrumentFileError(check.problems, source_name=source_name)
    return result


def dump_instrument(data: dict[str, Any]) -> str:
    """Instrument data written back as a file that `parse_instrument` reads to the same data."""
    out: dict[str, Any] = {k: data[k] for k in ("schema", "key", "version", "name", "kind", "applies_to")}
    if data.get("description"):
        out["description"] = data["description"]
    out["sections"] = [
        {
            "key": s["key"],
            "title": s["title"],
            "questions": [
                {k: v for k, v in q.items() if not (k == "options" and not v) and not (k == "help" and not v)}
                for q in s["questions"]
            ],
        }
        for s in data["sections"]
    ]
    if data.get("bands"):
        out["bands"] = data["bands"]
    if data.get("marac"):
        out["marac"] = {k: v for k, v in data["marac"].items() if v is not None}
    return yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100)
