"""`saferhomes instruments load|list|publish|retire|show`: manage risk instrument versions from the command line.

    saferhomes instruments load FILE [--publish] [--wording WORDING_FILE] [--user USERNAME]
    saferhomes instruments list
    saferhomes instruments publish KEY VERSION [--user USERNAME]
    saferhomes instruments retire KEY VERSION [--user USERNAME]
    saferhomes instruments show KEY [--version N]

A rejected file prints one line per problem ("asb.yaml line 12: duplicate question id 'hurt'") and exits with 2.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from rich.console import Console
from rich.table import Table

from saferhomes.accounts.commands import command_actor
from saferhomes.core.console import console_for
from saferhomes.core.errors import DomainError
from saferhomes.risk.models import Instrument
from saferhomes.risk.rules import Definition
from saferhomes.risk.schema import InstrumentFileError
from saferhomes.risk.selectors.instruments import instrument_definition, instrument_get, instrument_versions
from saferhomes.risk.services.instruments import instrument_load, instrument_publish, instrument_retire

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Load, list, publish, retire and show risk instrument versions. Files are YAML or JSON "
        "(docs/risk-instruments.md describes the format); a rejected file lists each problem with its line."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="Validate a file and store it as a new version (draft).")
        load.add_argument("file", help="The instrument file (.yaml or .json).")
        load.add_argument("--publish", action="store_true", help="Publish it straight away.")
        load.add_argument("--wording", metavar="FILE", help="Licensed wording: question ids mapped to text (and help).")
        load.add_argument("--user", help="Record the load as done by this staff username (needs permission).")
        actions.add_parser("list", help="Every instrument version and its status.")
        for name, what in (
            ("publish", "Publish a version (retires the one published before)."),
            ("retire", "Retire a version: it is no longer offered for new assessments."),
        ):
            sub = actions.add_parser(name, help=what)
            sub.add_argument("key")
            sub.add_argument("version", type=int)
            sub.add_argument("--user", help="Record it as done by this staff username (needs permission).")
        show = actions.add_parser("show", help="Every question, answer, weight and band of a version.")
        show.add_argument("key")
        show.add_argument("--version", type=int, help="Default: the published version.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        action = options["action"]
        try:
            if action == "load":
                self._load(console, options)
            elif action == "list":
                console.print(_versions_table(list(instrument_versions())))
            elif action in ("publish", "retire"):
                instrument = _get(options["key"], options["version"])
                service = instrument_publish if action == "publish" else instrument_retire
                done = service(actor=command_actor(options.get("user"), returncode=BAD_INPUT), instrument=instrument)
                console.print(f"{done.key} version {done.version} is now {done.get_status_display().lower()}.")
            elif action == "show":
                instrument = _get(options["key"], options.get("version"))
                _show(console, instrument, instrument_definition(instrument))
        except DomainError as error:
            raise CommandError(" ".join(error.messages), returncode=BAD_INPUT) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=BAD_INPUT) from None

    def _load(self, console: Console, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        text = _read(path)
        wording_path = Path(options["wording"]) if options.get("wording") else None
        wording = _read(wording_path) if wording_path is not None else None
        actor = command_actor(options.get("user"), returncode=BAD_INPUT)
        before = set(Instrument.objects.values_list("pk", flat=True))
        try:
            instrument = instrument_load(
                actor=actor,
                text=text,
                source_name=path.name,
                publish=options["publish"],
                wording=wording,
                wording_name=wording_path.name if wording_path else "",
            )
        except InstrumentFileError as rejected:
            for line in rejected.lines():
                self.stderr.write(line)
            count = len(rejected.problems)
            problems = "problem" if count == 1 else "problems"
            raise CommandError(
                f"{rejected.source_name or path.name} was not loaded: {count} {problems}",
                returncode=BAD_INPUT,
            ) from None
        status = instrument.get_status_display().lower()
        if instrument.pk in before:
            console.print(
                f"{instrument.key} version {instrument.version} was already loaded ({status}): nothing new.",
                highlight=False,
            )
        else:
            console.print(f"Loaded {instrument.key} version {instrument.version} ({status}).", highlight=False)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file", returncode=BAD_INPUT) from None
    except UnicodeDecodeError:
        raise CommandError(f"{path.name}: not a UTF-8 text file", returncode=BAD_INPUT) from None
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}", returncode=BAD_INPUT) from None


def _get(key: str, version: int | None) -> Instrument:
    try:
        return instrument_get(key=key, version=version)
    except Http404:
        which = f"version {version}" if version is not None else "published version"
        raise CommandError(f"There is no {which} of '{key}'.", returncode=BAD_INPUT) from None


def _versions_table(instruments: list[Instrument]) -> Table:
    table = Table(title="Risk instruments")
    for column in ("Key", "Version", "Name", "Kind", "Applies to", "Status", "Loaded", "Published"):
        table.add_column(column, justify="right" if column == "Version" else "left")
    for i in instruments:
        table.add_row(
            i.key,
            str(i.version),
            i.name,
            i.kind,
            ", ".join(i.applies_to),
            i.get_status_display(),
            f"{i.loaded_at:%Y-%m-%d} {i.source_name}",
            f"{i.published_at:%Y-%m-%d}" if i.published_at else "",
        )
    if not instruments:
        table.caption = "None loaded: run `saferhomes migrate` or `saferhomes instruments load FILE`."
    return table


def _show(console: Console, instrument: Instrument, definition: Definition) -> None:
    console.print(
        f"[bold]{definition.name}[/] — {definition.key} version {definition.version} "
        f"({instrument.get_status_display().lower()}), {definition.kind}, for {', '.join(definition.applies_to)}",
        highlight=False,
    )
    if definition.description:
        console.print(definition.description, highlight=False)
    questions = Table(title="Questions")
    for column in ("Section", "Id", "Question", "Type", "Required", "Answers (weight)"):
        questions.add_column(column)
    for q in definition.questions:
        answers = (
            "whole number, 0 or more"
            if q.type == "number"
            else "; ".join(f"{o.value} = {o.label} ({o.weight})" for o in q.options)
        )
        questions.add_row(q.section, q.id, q.text, q.type, "yes" if q.required else "no", answers)
    console.print(questions)
    if definition.bands:
        bands = Table(title=f"Bands (highest possible score {definition.max_score})")
        for column in ("Band", "From score", "Reassess (days)", "Priority", "Urgent", "Contact every (days)"):
            bands.add_column(column)
        for b in definition.bands:
            bands.add_row(
                f"{b.label} ({b.key})",
                str(b.min_score),
                str(b.reassess_days or "—"),
                b.priority,
                "yes" if b.urgent else "no",
                str(b.contact_every_days or "—"),
            )
        console.print(bands)
    if definition.marac_yes_threshold is not None:
        console.print(
            f"MARAC: {definition.marac_yes_threshold} or more 'yes' answers (visible high risk)"
            + (
                f"; {definition.escalation_callouts} or more police call-outs in 12 months "
                f"('{definition.callouts_question}') (potential escalation)"
                if definition.escalation_callouts
                else ""
            ),
            highlight=False,
        )
