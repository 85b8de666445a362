"""Instrument services (issue 7 part 1): load a version from a file, publish it, retire it.

A version is immutable once loaded: loading the same file again (same checksum) changes nothing, and a different
file with a version number already used is refused. Publishing retires the version that was published before, so
each instrument has at most one published version; assessments keep pointing at the version they used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.risk.models import Instrument, InstrumentStatus
from saferhomes.risk.schema import apply_wording, dump_instrument, parse_instrument

PUBLISH_INSTRUMENT = "risk.publish_instrument"
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "instrument_files"


def _require(actor: User | None) -> None:
    # actor None is the system (the shipped instruments loaded after migrate); people need the permission.
    if actor is not None:
        require(actor, PUBLISH_INSTRUMENT)


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same_but_version(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {**a, "version": 0} == {**b, "version": 0}


def instrument_load(
    *,
    actor: User | None,
    text: str,
    source_name: str,
    publish: bool = False,
    wording: str | None = None,
    wording_name: str = "",
    request: HttpRequest | None = None,
    record_audit: bool = True,
) -> Instrument:
    """Validate an instrument file and store it as a new version (draft, or published when `publish`).

    `record_audit=False` is only for the shipped instruments installed by migrate (`instruments_load_shipped`).

    Raises schema.InstrumentFileError (a DomainError listing "line N: reason") for a bad file, DomainError when the
    version number is taken by different content or is lower than one already loaded. With `wording` (a file
    mapping question ids to licensed wording) the result is a new version with only the texts replaced.
    """
    _require(actor)
    data = parse_instrument(text, source_name=source_name)
    source_text = text
    with transaction.atomic():
        versions = list(Instrument.objects.select_for_update().filter(key=data["key"]).order_by("-version"))
        latest = versions[0].version if versions else 0
        if wording is not None:
            data = apply_wording(data, wording, source_name=wording_name or "wording file")
            same = next((i for i in versions if _same_but_version(i.definition, data)), None)
            if same is not None:
                return _publish_if_asked(actor, same, publish, request, record_audit)
            data["version"] = max(data["version"], latest + 1)
            source_text = dump_instrument(data)
            source_name = f"{source_name} with wording from {wording_name or 'a wording file'}"
        checksum = _checksum(source_text)
        existing = next((i for i in versions if i.version == data["version"]), None)
        if existing is not None:
            if existing.checksum == checksum or existing.definition == data:
                return _publish_if_asked(actor, existing, publish, request, record_audit)
            raise DomainError(
                f"Version {data['version']} of {data['key']} is already loaded with different content: give the "
                f"new file version {latest + 1}"
            )
        if data["version"] < latest:
            raise DomainError(
                f"Version {data['version']} of {data['key']} is older than version {latest}, already loaded: give the "
                f"new file version {latest + 1}"
            )
        instrument = Instrument.objects.create(
            key=data["key"],
            version=data["version"],
            name=data["name"],
            kind=data["kind"],
            applies_to=data["applies_to"],
            definition=data,
            source_text=source_text,
            source_name=source_name[:255],
            checksum=checksum,
            status=InstrumentStatus.DRAFT,
            loaded_by=actor,
            loaded_at=timezone.now(),
        )
        if record_audit:
            audit(
                actor=actor,
                verb=AuditVerb.INSTRUMENT_LOADED,
                obj=instrument,
                after={
                    "key": instrument.key,
                    "version": instrument.version,
                    "checksum": checksum,
                    "source": source_name,
                },
                request=request,
            )
        if publish:
            instrument = instrument_publish(
                actor=actor, instrument=instrument, request=request, record_audit=record_audit
            )
    return instrument


def _publish_if_asked(
    actor: User | None, instrument: Instrument, publish: bool, request: HttpRequest | None, record_audit: bool
) -> Instrument:
    if publish and instrument.status != InstrumentStatus.PUBLISHED:
        return instrument_publish(actor=actor, instrument=instrument, request=request, record_audit=record_audit)
    return instrument


def instrument_publish(
    *, actor: User | None, instrument: Instrument, request: HttpRequest | None = None, record_audit: bool = True
) -> Instrument:
    """Publish this version and retire the one published before it (publishing an older version rolls back)."""
    _require(actor)
    with transaction.atomic():
        versions = list(Instrument.objects.select_for_update().filter(key=instrument.key))
        current = next((i for i in versions if i.pk == instrument.pk), None)
        if current is None:
            raise DomainError("That instrument version no longer exists")
        if current.status == InstrumentStatus.PUBLISHED:
            return current
        previous = next((i for i in versions if i.status == InstrumentStatus.PUBLISHED), None)
        if previous is not None:
            previous.status = InstrumentStatus.RETIRED
            previous.save(update_fields=["status"])
        current.status = InstrumentStatus.PUBLISHED
        current.published_by = actor
        current.published_at = timezone.now()
        current.save(update_fields=["status", "published_by", "published_at"])
        if record_audit:
            audit(
                actor=actor,
                verb=AuditVerb.INSTRUMENT_PUBLISHED,
                obj=current,
                before={"published_version": previous.version if previous else None},
                after={"published_version": current.version},
                request=request,
            )
    return current


def instrument_retire(*, actor: User | None, instrument: Instrument, request: HttpRequest | None = None) -> Instrument:
    """Stop offering this version for new assessments; assessments already made with it keep it."""
    _require(actor)
    with transaction.atomic():
        current = Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
        if current is None:
            raise DomainError("That instrument version no longer exists")
        if current.status == InstrumentStatus.RETIRED:
            return current
        before = current.status
        current.status = InstrumentStatus.RETIRED
        current.save(update_fields=["status"])
        audit(
            actor=actor,
            verb=AuditVerb.INSTRUMENT_RETIRED,
            obj=current,
            before={"status": before},
            after={"status": "retired"},
            request=request,
        )
    return current


def shipped_instrument_files() -> list[Path]:
    """The instruments Saferhomes ships (src/saferhomes/risk/instrument_files/*.yaml)."""
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def instruments_load_shipped() -> list[Instrument]:
    """Load the shipped instruments, publishing each whose key has no published version yet (idempotent).

    Runs after every migrate (RiskConfig.ready). A landlord's own newer version stays published, and an instrument
    an admin retired on purpose is not brought back. Like the roles synced after migrate, this is the deployment
    installing its reference data, not somebody acting: it writes no audit event (the Instrument row keeps the file,
    its checksum, when it was loaded and published, by nobody); every load, publish and retire by a person is audited.
    """
    loaded = []
    for path in shipped_instrument_files():
        text = path.read_text(encoding="utf-8")
        instrument = instrument_load(actor=None, text=text, source_name=path.name, record_audit=False)
        has_published = Instrument.objects.filter(key=instrument.key, status=InstrumentStatus.PUBLISHED).exists()
        if instrument.status == InstrumentStatus.DRAFT and not has_published:
            instrument = instrument_publish(actor=None, instrument=instrument, record_audit=False)
        loaded.append(instrument)
    return loaded
