"""Where private files live (issue 20 part 4): evidence, letters, MARAC forms, partner updates, Case Review letters.

One storage alias, `evidence` in settings.STORAGES, chosen by configuration: this private folder under VAR_DIR by
default, or an S3 bucket (django-storages) when SAFERHOMES_S3_BUCKET is set. Either way the files have no public
address: they are read only by the permission-checked, audited download views (S3 objects are private, and a signed
address, if one is ever made, lasts `SAFERHOMES_S3_SIGNED_URL_SECONDS`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

PRIVATE_STORAGE = "evidence"


class PrivateFileStorage(FileSystemStorage):
    """FileSystemStorage rooted at `settings.VAR_DIR / "evidence"`, read on each use; it has no URL."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(Path(settings.VAR_DIR) / "evidence")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        """Private files have no URL: they are served only by permission-checked download views."""
        raise ValueError("Private files have no URL; link to a permission-checked download view instead.")


def private_storage() -> Storage:
    """The configured private storage (settings.STORAGES["evidence"])."""
    return storages[PRIVATE_STORAGE]


def private_files(storage: Storage | None = None, folder: str = "") -> list[str]:
    """Every file name in the private storage (or `storage`), walking folders; sorted."""
    storage = storage or private_storage()
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += private_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)
