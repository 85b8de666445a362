"""Staff emails written once: a plain-text email from a pair of templates, and the delivery of an email whose
sending was claimed first (a row unique per thing and step, so a rerun or a second worker sends nothing twice).

Used by the worker's alerts and reminders (response alerts, reassessment reminders, referral chases, agreement
reviews). Delivery runs after the commit that made the claim; a mail server failure is logged and the claim keeps an
empty `sent_at` (at most once, never twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Literal

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


def templated_email(template: str, context: Mapping[str, Any], *, to: Sequence[str]) -> EmailMessage:
    """The email drawn from `<template>_subject.txt` (one line, spaces folded) and `<template>.txt`."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
    body = render_to_string(f"{template}.txt", dict(context))
    return EmailMessage(subject=subject, body=body, to=list(to))


def send_now(messages: Sequence[EmailMessage], *, what: str) -> bool:
    """Send the emails over one connection; False (logged, not retried) when the mail server refused them. For an
    email that goes once because of something that just committed (an approval requested): no claim row needed."""
    try:
        with get_connection() as connection:
            connection.send_messages(list(messages))
    except OSError:  # smtplib errors are OSErrors
        logger.exception("%s: the email could not be sent", what)
        return False
    return True


def deliver_claimed(*, claim: type[models.Model], claim_id: int, messages: Sequence[EmailMessage], what: str) -> bool:
    """Send the emails of the claim row `claim_id` and stamp its `sent_at`; False (logged, not retried) when the mail
    server refused them."""
    if not send_now(messages, what=f"{what} {claim_id}"):
        return False
    claim._default_manager.filter(pk=claim_id).update(sent_at=timezone.now())
    return True


Claimed = Literal["claimed", "taken", "stale"]


def claim_and_send(claim: Callable[[], models.Model | None], *, messages: Sequence[EmailMessage], what: str) -> Claimed:
    """Run `claim` in a transaction — it inserts the claim row (unique per thing and step) and audits it, or returns
    None when what it is about changed since the run read it — and send `messages` after the commit
    (`deliver_claimed`). "claimed"; "stale" when `claim` returned None; "taken" when another run or worker inserted
    the same claim first (the unique constraint), so nothing is sent twice."""
    try:
        with transaction.atomic():
            row = claim()
            if row is None:
                return "stale"
            transaction.on_commit(
                partial(deliver_claimed, claim=type(row), claim_id=row.pk, messages=list(messages), what=what)
            )
    except IntegrityError:  # another worker claimed it between our read and our insert
        return "taken"
    return "claimed"
