"""Text messages: one `sms_send(to=, body=)` in front of a pluggable backend (settings.SMS_BACKEND).

- `console`: written to standard output (development and the demo), like Django's console email backend.
- `twilio`: Twilio's Programmable Messaging REST API (`POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, HTTP
  basic auth, form-encoded To/From/Body); `base_url` is a setting so tests point it at a server they start.
- `locmem`: kept in `outbox` (tests).
- `none`: nothing is sent; callers keep the message as ready for staff to send by hand.

Who may be texted, and whether it is safe, is decided by the caller (intake's reporter_contact rules); this module
only delivers. It never logs a message's body or number.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

BACKENDS = ("console", "twilio", "locmem", "none")


class SmsError(Exception):
    """The provider did not take the message; `str()` says why, without the number or the text."""


class SmsNotConfiguredError(SmsError):
    """No backend sends text messages here (SMS_BACKEND is none, or the provider's settings are missing)."""


@dataclass(frozen=True)
class SmsSent:
    """What the backend answered: its id for the message (empty when it gives none)."""

    provider_id: str = ""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> SmsSent: ...


class ConsoleSmsBackend:
    """Prints each message, as Django's console email backend does."""

    def send(self, *, to: str, body: str) -> SmsSent:
        sys.stdout.write(f"Text message to {to}\n{body}\n{'-' * 79}\n")
        sys.stdout.flush()
        return SmsSent()


outbox: list[tuple[str, str]] = []


class LocmemSmsBackend:
    """Keeps each message in `core.sms.outbox` (tests)."""

    def send(self, *, to: str, body: str) -> SmsSent:
        outbox.append((to, body))
        return SmsSent(provider_id=f"locmem-{len(outbox)}")


class TwilioSmsBackend:
    """Twilio's REST API, with the account SID and auth token as HTTP basic auth."""

    def __init__(self, *, account_sid: str, auth_token: str, sender: str, base_url: str, timeout: float) -> None:
        if not (account_sid and auth_token and sender):
            raise SmsNotConfiguredError("Twilio needs an account SID, an auth token and a number to send from")
        self.url = f"{base_url}/2010-04-01/Accounts/{urllib.parse.quote(account_sid)}/Messages.json"
        self.authorization = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> SmsSent:
        data = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured provider's https address
            self.url,
            data=data,
            method="POST",
            headers={"Authorization": self.authorization, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SmsError(f"The text message service refused the message (HTTP {error.code})") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"The text message service could not be reached ({type(error).__name__})") from None
        except ValueError:
            raise SmsError("The text message service answered with something that is not JSON") from None
        return SmsSent(provider_id=str(answer.get("sid", "")) if isinstance(answer, dict) else "")


def sms_backend() -> SmsBackend:
    """The configured backend; SmsNotConfiguredError when none sends messages."""
    name = settings.SMS_BACKEND
    if name == "console":
        return ConsoleSmsBackend()
    if name == "locmem":
        return LocmemSmsBackend()
    if name == "twilio":
        twilio: dict[str, Any] = settings.SMS_TWILIO
        return TwilioSmsBackend(
            account_sid=str(twilio["account_sid"]),
            auth_token=str(twilio["auth_token"]),
            sender=str(twilio["from"]),
            base_url=str(twilio["base_url"]),
            timeout=float(twilio["timeout"]),
        )
    if name == "none":
        raise SmsNotConfiguredError("No text message service is set up")
    raise SmsNotConfiguredError(f"Unknown SMS_BACKEND {name!r}: use one of {', '.join(BACKENDS)}")


def sms_send(*, to: str, body: str) -> SmsSent:
    """Send one text message through the configured backend (SmsError if it was not taken)."""
    return sms_backend().send(to=to, body=body)
