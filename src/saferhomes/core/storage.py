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


class PrivateStorage(Storage):
    """What model FileFields hold: it looks up the configured private storage on every use, so the backend follows
    settings.STORAGES["evidence"] (Django evaluates a field's storage callable once, when models load)."""

    def _open(self, name: str, mode: str = "rb") -> Any:
        return private_storage().open(name, mode)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        return private_storage().save(name, content, max_length=max_length)

    def _save(self, name: str, content: Any) -> str:
        return private_storage().save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return private_storage().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return private_storage().generate_filename(filename)

    def delete(self, name: str) -> None:
        private_storage().delete(name)

    def exists(self, name: str) -> bool:
        return private_storage().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return private_storage().listdir(path)

    def size(self, name: str) -> int:
        return private_storage().size(name)

    def url(self, name: str | None) -> str:
        return private_storage().url(name)

    def path(self, name: str) -> str:
        return private_storage().path(name)


_PRIVATE = PrivateStorage()


def private_storage_for_fields() -> PrivateStorage:
    """The storage model FileFields use for private files (always the configured backend)."""
    return _PRIVATE


def private_files(storage: Storage | None = None, folder: str = "") -> list[str]:
    """Every file name in the private storage (or `storage`), walking folders; sorted."""
    storage = storage or private_storage()
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a private folder nothing has been written to yet
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += private_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)
