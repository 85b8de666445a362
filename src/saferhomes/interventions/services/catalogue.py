"""The intervention catalogue: load a version from a file (immutable once loaded), and the shipped file after migrate.

Loading the same file again (same checksum) changes nothing; a different file with a version number already used,
or lower than one loaded, is refused. The newest loaded version is the one offered for new interventions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from saferhomes.core.errors import DomainError
from saferhomes.interventions.models import Catalogue
from saferhomes.interventions.schema import parse_catalogue

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "catalogue"


def catalogue_load(*, text: str, source_name: str) -> Catalogue:
    """Validate a catalogue file and store it as a new version (CatalogueFileError naming lines for a bad file).

    Only the deployment loads catalogues (the shipped files, after migrate), like the roles synced after migrate:
    there is no person acting, so no audit event; the row keeps the file, its checksum and when it was loaded.
    """
    data = parse_catalogue(text, source_name=source_name)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        versions = list(Catalogue.objects.select_for_update().filter(key=data["key"]).order_by("-version"))
        latest = versions[0].version if versions else 0
        existing = next((c for c in versions if c.version == data["version"]), None)
        if existing is not None:
            if existing.checksum == checksum or existing.definition == data:
                return existing
            raise DomainError(
                f"Version {data['version']} of the {data['key']} catalogue is already loaded with different content: "
                f"give the new file version {latest + 1}"
            )
        if data["version"] < latest:
            raise DomainError(
                f"Version {data['version']} of the {data['key']} catalogue is older than version {latest}, already "
                f"loaded: give the new file version {latest + 1}"
            )
        return Catalogue.objects.create(
            key=data["key"],
            version=data["version"],
            name=data["name"],
            definition=data,
            source_text=text,
            source_name=source_name[:255],
            checksum=checksum,
        )


def shipped_catalogue_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def catalogues_load_shipped() -> list[Catalogue]:
    """Load every shipped catalogue file, oldest version first (idempotent; runs after every migrate)."""
    return [catalogue_load(text=path.read_text("utf-8"), source_name=path.name) for path in shipped_catalogue_files()]
