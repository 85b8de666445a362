"""The data a load run starts from (issue 21 part 3): officers with API tokens, open cases, and public reports whose
private status links the status-page readers open. Made through the application's own services, so every row is
what a real report or case would leave; every name and address is synthetic (Faker en_GB).

Run inside a deployment (Django set up, production settings) by `bench/load_run.py`:

    from bench.load_seed import seed; seed(officers=20, cases=200, reports=300, out=Path("seed.json"))

It writes the JSON the locust users read (`bench/load_locustfile.py`): tokens, case references, status tokens.
`report_answers` is what each simulated resident types into the public form (tests/load checks it still fits it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import struct
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from faker import Faker

from bench import intake_form_bench

TEAM = "Load test team"
DESK_PASSWORD = "synthetic-Load-Desk-2026"  # noqa: S105 - made-up officers on a throwaway database
PROBLEMS = ("noise", "abuse", "damage", "rubbish")


@dataclass(frozen=True)
class Seeded:
    """What the locust users need: the officers' API tokens, case references they can see, status-link tokens, and
    the desk officers who sign in to the staff site (username and authenticator key, hex)."""

    officer_tokens: list[str]
    case_references: list[str]
    status_tokens: list[str]
    desk_officers: list[dict[str, str]]


def seed(*, officers: int, cases: int, reports: int, out: Path, desk_officers: int = 0, seed_value: int = 21) -> Seeded:
    """Make `officers` officers (each with a token), `cases` ASB cases shared among them, `reports` public reports
    with status links and `desk_officers` officers with a password (DESK_PASSWORD) and an authenticator app; write
    what the locust users need to `out` and return it."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from saferhomes.accounts.roles import Role
    from saferhomes.accounts.services import staff_create, team_get_or_create, token_create
    from saferhomes.cases.services.case import CaseDetails, case_create
    from saferhomes.intake.services.public_form import report_submit_public
    from saferhomes.intake.services.report import ReportDetails

    fake = Faker("en_GB")
    fake.seed_instance(seed_value)
    pick = random.Random(seed_value)
    now = timezone.now()

    with transaction.atomic():
        team = team_get_or_create(actor=None, name=TEAM)
        staff = [
            staff_create(
                actor=None,
                username=f"load_officer_{number:03d}",
                role=Role.OFFICER,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                team=team,
            )
            for number in range(officers)
        ]
        tokens = [token_create(actor=None, user=user, name="Load test")[1] for user in staff]
        password = make_password(DESK_PASSWORD)  # hashed once: PBKDF2 takes a second or so a time
        desks = []
        for number in range(desk_officers):
            desk = staff_create(
                actor=None,
                username=f"load_desk_{number:03d}",
                role=Role.OFFICER,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                team=team,
            )
            desk.password = password
            desk.save(update_fields=["password"])
            device = TOTPDevice.objects.create(user=desk, name="Authenticator app", confirmed=True)
            desks.append({"username": desk.username, "key": device.key})

    references: list[str] = []
    for number in range(cases):
        case_details = CaseDetails(
            case_type="asb",
            summary=f"{fake.street_name()}: {pick.choice(('loud music', 'shouting', 'door slamming'))} at night",
            received_at=now - dt.timedelta(hours=pick.randint(1, 24 * 60)),
            description=fake.paragraph(nb_sentences=3),
            category="nuisance",
            location_text=fake.street_address(),
        )
        references.append(case_create(actor=staff[number % len(staff)], details=case_details).reference)

    status_tokens: list[str] = []
    for number in range(reports):
        first, last = fake.first_name(), fake.last_name()
        details = ReportDetails(
            problem=PROBLEMS[number % len(PROBLEMS)],
            description=fake.paragraph(nb_sentences=2),
            occurred_at=now - dt.timedelta(days=pick.randint(1, 20)),
            frequency="daily",
            location_text=fake.street_address(),
            people_known="dont_know",
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{number}@example.org".lower().replace(" ", ""),
            contact_methods=("email",),
            consent_to_share="yes",
        )
        # One private address per reporter, so the public form's per-address limit never refuses.
        ip = f"10.21.{number // 250}.{number % 250 + 1}"
        status_tokens.append(report_submit_public(details=details, attachment_ids=[], ip=ip).token)

    seeded = Seeded(officer_tokens=tokens, case_references=references, status_tokens=status_tokens, desk_officers=desks)
    out.write_text(json.dumps(asdict(seeded)))
    return seeded


def visitor_address(number: int) -> str:
    """A private address of its own for each visitor (10.0.0.1 onwards), so per-address limits never refuse."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def report_answers(number: int, day: dt.date) -> dict[str, dict[str, Any]]:
    """What one named resident types into each question page of the public form (the intake bench's answers)."""
    return intake_form_bench.report_answers(number, day, first_name="Load")


def totp(key_hex: str, *, at: float | None = None) -> str:
    """The authenticator app's code now (RFC 6238 as django-otp's TOTPDevice checks it: SHA-1, 30 s, 6 digits). Not
    django_otp.oath: the locustfile imports this module, and django_otp imported before locust's gevent patching makes
    gevent read Django's settings."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)
