"""Letter templates: saved by administrators on the staff pages, or loaded from the shipped file after migrate.

Every save validates the text in the sandbox (`documents.merge.validate`), keeps a new `LetterTemplateVersion`
and audits the change with the words before and after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.documents import merge
from saferhomes.documents.models import Audience, LetterTemplate, LetterTemplateVersion

MANAGE_TEMPLATES = "documents.manage_templates"
SHIPPED_FILE = Path(__file__).resolve().parent.parent / "template_files" / "letters.yaml"
_FIELDS = ["key", "name", "audience", "body", "version", "active"]


def _checked(*, name: str, audience: str, body: str) -> tuple[str, str]:
    name, body = name.strip(), body.strip() + "\n"
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the template's name"]
    if audience not in Audience.values:
        errors["audience"] = ["Select who the letter is to"]
    else:
        try:
            merge.validate(body, audience)
        except DomainError as exc:
            errors.update(exc.field_errors)
    if errors:
        raise DomainError(field_errors=errors)
    return name, body


def _keep_version(template: LetterTemplate, actor: User | None) -> None:
    LetterTemplateVersion.objects.create(
        template=template,
        version=template.version,
        name=template.name,
        audience=template.audience,
        body=template.body,
        saved_by=actor,
        saved_at=template.updated_at,
    )


def letter_template_save(
    *,
    actor: User,
    template: LetterTemplate | None = None,
    key: str = "",
    name: str,
    audience: str,
    body: str,
    active: bool = True,
    request: HttpRequest | None = None,
) -> LetterTemplate:
    """Create a template (with `key`) or save a new version of one; refused text names every problem."""
    require(actor, MANAGE_TEMPLATES)
    name, body = _checked(name=name, audience=audience, body=body)
    with transaction.atomic():
        if template is None:
            key = key.strip()
            if not key or LetterTemplate.objects.filter(key=key).exists():
                raise DomainError(field_errors={"key": "Enter a short key no other template uses"})
            template = LetterTemplate(key=key, version=0)
            before: dict[str, Any] | None = None
        else:
            template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
            before = snapshot(template, _FIELDS)
        template.name, template.audience, template.body, template.active = name, audience, body, active
        template.version += 1
        template.updated_by, template.updated_at = actor, timezone.now()
        template.save()
        _keep_version(template, actor)
        audit(
            actor=actor,
            verb=AuditVerb.LETTER_TEMPLATE_SAVED,
            obj=template,
            object_label=str(template),
            before=before,
            after=snapshot(template, _FIELDS),
            request=request,
        )
    return template


def templates_load_shipped(path: Path = SHIPPED_FILE) -> int:
    """Load the shipped templates: new ones, and newer versions of ones nobody edited. Returns how many changed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = 0
    for entry in data["templates"]:
        name, body = _checked(name=entry["name"], audience=entry["audience"], body=entry["body"])
        shipped_version = int(entry["version"])
        with transaction.atomic():
            existing = LetterTemplate.objects.select_for_update().filter(key=entry["key"]).first()
            if existing is not None and (existing.updated_by_id is not None or existing.version >= shipped_version):
                continue
            template = existing or LetterTemplate(key=entry["key"])
            template.name, template.audience, template.body = name, entry["audience"], body
            template.version, template.shipped, template.active = shipped_version, True, True
            template.updated_by, template.updated_at = None, timezone.now()
            template.save()
            # Kept as a version like any save, but not audited: migrate installs what the release ships (as the risk
            # instruments are), and the audit trail is for what people do.
            _keep_version(template, None)
            changed += 1
    return changed
