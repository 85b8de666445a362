"""The public report form, confirmation and private status pages under /report/ (issue 6 parts 1, 2 and 7).

No account and no JavaScript needed: every page is a plain GET and POST. Answers live in the session
(`intake.journey`); the report is written only by `report_submit` (through `report_submit_public`). Pages are
never cached and never indexed; links out never carry a status token (Referrer-Policy same-origin).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.views import View

from saferhomes.core.audit import client_ip
from saferhomes.core.errors import DomainError
from saferhomes.intake import journey
from saferhomes.intake.forms.public import HoneypotMixin, SubmitForm
from saferhomes.intake.forms.public_incident import EvidenceUploadForm
from saferhomes.intake.forms.public_status import DiaryEntryForm, LinkRequestForm
from saferhomes.intake.selectors.public import status_page_for_link
from saferhomes.intake.services import public_form
from saferhomes.intake.services.diary import diary_added_message, diary_entry_add
from saferhomes.intake.services.reporter_contact import email_withheld_in_words, is_domestic_abuse, may_email
from saferhomes.intake.services.status import (
    status_link_for_token,
    status_link_request,
    status_link_used,
    status_url,
)

CHANGE = "change"


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return _private(render(request, template, context or {}, status=status))


def step_url(slug: str, *, change: bool = False) -> str:
    """The URL of a journey page (check-answers included), in change mode when asked."""
    if slug == journey.CHECK_ANSWERS:
        return reverse("intake:check-answers")
    url = reverse("intake:step", args=[slug])
    return f"{url}?{urlencode({CHANGE: 1})}" if change else url


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _refused(request: HttpRequest) -> HttpResponse:
    return _page(request, "intake/public/refused.html", status=400)


def _rate_limited(request: HttpRequest, error: public_form.RateLimitedError, *, back_url: str) -> HttpResponse:
    return _page(
        request, "intake/public/rate_limited.html", {"retry_at": error.retry_at, "back_url": back_url}, status=429
    )


def report_start(request: HttpRequest) -> HttpResponse:
    """GET /report/: what you can report, how long it takes, Start now (and 'continue' when answers are saved)."""
    in_progress = bool(journey.journey_answers(request.session))
    # Carrying on goes through check-your-answers, which sends them to the first page still to answer.
    first_url = reverse("intake:check-answers") if in_progress else step_url(journey.STEPS[0].slug)
    return _page(request, "intake/public/start.html", {"first_url": first_url, "in_progress": in_progress})


class StepView(View):
    """GET and POST /report/<step>/: one question page, or an information page with a Continue link."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        step = journey.STEPS_BY_SLUG.get(kwargs.get("slug", ""))
        if step is None:
            return _page(request, "404.html", status=404)
        if step.slug == "evidence":
            return EvidenceView.as_view()(request, *args, **kwargs)
        self.step = step
        self.change = request.GET.get(CHANGE) == "1"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        answers = journey.journey_answers(request.session)
        if not self.step.is_question:
            return self._render(request, answers, None)
        return self._render(request, answers, journey.step_form(self.step, answers))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        answers = journey.journey_answers(request.session)
        if not self.step.is_question:
            return redirect(self._next(answers))
        assert self.step.form_class is not None
        form = journey.step_form(self.step, answers, request.POST)
        if isinstance(form, HoneypotMixin) and form.is_robot():
            public_form.honeypot_refusal(ip=_ip(request), where=self.step.slug, request=request)
            return _refused(request)
        journey.answers_save(request.session, self.step.slug, request.POST, self.step.form_class)
        answers = journey.journey_answers(request.session)
        form = journey.step_form(self.step, answers, request.POST)
        if form.is_valid():
            return redirect(self._next(answers))
        return self._render(request, answers, form)

    def _next(self, answers: journey.Answers) -> str:
        if self.change:
            return step_url(journey.CHECK_ANSWERS)
        return step_url(journey.step_after(answers, self.step.slug))

    def _render(self, request: HttpRequest, answers: journey.Answers, form: Any) -> HttpResponse:
        before = journey.step_before(answers, self.step.slug)
        if self.change and journey.journey_check(answers).first_incomplete is None:
            back_url = step_url(journey.CHECK_ANSWERS)
        else:  # (check-your-answers would send them straight back here while a page is unanswered)
            back_url = step_url(before) if before else reverse("intake:report-start")
        context = {
            "step": self.step,
            "form": form,
            "back_url": back_url,
            "next_url": self._next(answers),
            "heading_in_form": bool(form is not None and form.HEADING_IN_FORM),
            "honeypot": isinstance(form, HoneypotMixin),
        }
        return _page(request, self.step.template, context)


class EvidenceView(View):
    """GET and POST /report/evidence/: upload files one at a time (optional), remove them, or carry on."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.change = request.GET.get(CHANGE) == "1"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, slug: str = "evidence") -> HttpResponse:
        return self._render(request, EvidenceUploadForm())

    def post(self, request: HttpRequest, slug: str = "evidence") -> HttpResponse:
        ids = journey.attachment_ids(request.session)
        if "remove" in request.POST:
            try:
                remove = int(str(request.POST["remove"]))
            except ValueError:
                remove = -1
            journey.attachment_ids_set(
                request.session, public_form.pending_attachment_remove(attachment_id=remove, ids=ids)
            )
            return redirect(request.get_full_path())
        form = EvidenceUploadForm(request.POST, request.FILES)
        upload = request.FILES.get("file")
        if "upload" not in request.POST and upload is None:
            answers = journey.journey_answers(request.session)
            if self.change:
                return redirect(step_url(journey.CHECK_ANSWERS))
            return redirect(step_url(journey.step_after(answers, "evidence")))
        if form.is_valid() and upload is None:
            form.add_error("file", "Select a file to upload")
        if form.is_valid() and upload is not None:
            if len(public_form.pending_attachments(ids)) >= journey.MAX_ATTACHMENTS:
                form.add_error("file", f"You can upload up to {journey.MAX_ATTACHMENTS} files")
            else:
                try:
                    attachment = public_form.attachment_store(file=upload)
                except DomainError as error:
                    form.add_domain_error(error)
                else:
                    journey.attachment_ids_set(request.session, [*ids, attachment.pk])
                    return redirect(request.get_full_path())
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: EvidenceUploadForm) -> HttpResponse:
        answers = journey.journey_answers(request.session)
        before = journey.step_before(answers, "evidence")
        back_url = step_url(journey.CHECK_ANSWERS) if self.change else step_url(before or journey.STEPS[0].slug)
        context = {
            "step": journey.STEPS_BY_SLUG["evidence"],
            "form": form,
            "back_url": back_url,
            "files": public_form.pending_attachments(journey.attachment_ids(request.session)),
        }
        return _page(request, "intake/public/evidence.html", context)


class CheckAnswersView(View):
    """GET and POST /report/check-answers/: every answer with Change links; Send report."""

    def get(self, request: HttpRequest) -> HttpResponse:
        checked = journey.journey_check(journey.journey_answers(request.session))
        if checked.first_incomplete:
            return redirect(step_url(checked.first_incomplete, change=True))
        journey.submission_key(request.session)  # made before "Send report", so a resend after a fault has it
        return self._render(request, checked, SubmitForm(), [])

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubmitForm(request.POST)
        if form.is_robot():
            public_form.honeypot_refusal(ip=_ip(request), where="check-answers", request=request)
            return _refused(request)
        checked = journey.journey_check(journey.journey_answers(request.session))
        if checked.first_incomplete:
            return redirect(step_url(checked.first_incomplete, change=True))
        details = journey.journey_details(checked)
        try:
            sent = public_form.report_submit_public(
                details=details,
                attachment_ids=journey.attachment_ids(request.session),
                ip=_ip(request),
                submission_key=journey.submission_key(request.session),
                request=request,
            )
        except public_form.RateLimitedError as error:
            return _rate_limited(request, error, back_url=reverse("intake:check-answers"))
        except DomainError as error:
            problems = [(step_url(journey.STEPS[0].slug, change=True), message) for message in error.messages]
            for name, field_messages in error.field_errors.items():
                url = step_url(journey.step_for_field(name), change=True)
                problems.extend((url, message) for message in field_messages)
            return self._render(request, checked, form, problems, status=200)
        report = sent.report
        request.session[journey.LAST_REPORT_KEY] = {
            "reference": report.reference,
            "token": sent.token,
            "response_due_at": report.response_due_at.isoformat() if report.response_due_at else "",
            "urgent": report.urgent,
            "domestic_abuse": is_domestic_abuse(report),
            "anonymous": report.anonymous,
            "danger_now": report.danger_now,
            "emailed": may_email(report) and not sent.replayed,
            "may_email": may_email(report),
            "not_emailed": email_withheld_in_words(report),
            "replayed": sent.replayed,
        }
        journey.journey_clear(request.session)
        return redirect("intake:confirmation")

    @staticmethod
    def _render(
        request: HttpRequest,
        checked: journey.Checked,
        form: SubmitForm,
        problems: list[tuple[str, str]],
        status: int = 200,
    ) -> HttpResponse:
        files = public_form.pending_attachments(journey.attachment_ids(request.session))
        sections = journey.summary_sections(checked)
        for section in sections:
            section["change_url"] = step_url(section["slug"], change=True)
        context = {
            "sections": sections,
            "form": form,
            "problems": problems,
            "files": files,
            "evidence_url": step_url("evidence", change=True),
            "back_url": step_url(journey.step_before(journey.journey_answers(request.session), "check-answers") or ""),
        }
        return _page(request, "intake/public/check_answers.html", context, status=status)


def confirmation(request: HttpRequest) -> HttpResponse:
    """GET /report/confirmation/: the reference, the deadline in words, what happens next and the status link (once)."""
    sent = request.session.get(journey.LAST_REPORT_KEY)
    if not isinstance(sent, dict) or "reference" not in sent:
        return redirect("intake:report-start")
    token = sent.pop("token", "")
    request.session.modified = True
    due = parse_datetime(sent.get("response_due_at") or "")
    status_link = status_url(token) if token else ""
    return _page(request, "intake/public/confirmation.html", {"sent": sent, "due": due, "status_link": status_link})


# Status page --------------------------------------------------------------------------------------------------


def _link_unknown(request: HttpRequest) -> HttpResponse:
    return _page(request, "intake/public/link_unknown.html", status=404)


def status_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET /report/status/<token>/: the reporter's private page."""
    link = status_link_for_token(token=token)
    if link is None:
        return _link_unknown(request)
    status_link_used(link=link, request=request)
    page = status_page_for_link(link=link)
    diary_url = reverse("intake:diary", args=[token])
    return _page(request, "intake/public/status.html", {"page": page, "diary_url": diary_url})


class DiaryView(View):
    """GET and POST /report/status/<token>/diary/: add a diary entry (date, time, what happened, a file)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if status_link_for_token(token=token) is None:
            return _link_unknown(request)
        return self._render(request, token, DiaryEntryForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        link = status_link_for_token(token=token)
        if link is None:
            return _link_unknown(request)
        form = DiaryEntryForm(request.POST, request.FILES)
        if form.is_valid():
            occurred_at = form.occurred_at()
            assert occurred_at is not None
            try:
                entry = diary_entry_add(
                    link=link,
                    occurred_at=occurred_at,
                    description=form.cleaned_data["description"],
                    file=form.cleaned_data.get("file"),
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, diary_added_message(entry))
                return HttpResponseRedirect(reverse("intake:status", args=[token]))
        return self._render(request, token, form)

    @staticmethod
    def _render(request: HttpRequest, token: str, form: DiaryEntryForm) -> HttpResponse:
        context = {"form": form, "back_url": reverse("intake:status", args=[token])}
        return _page(request, "intake/public/diary.html", context)


class LinkRequestView(View):
    """GET and POST /report/new-link/: ask for a fresh status link by reference and email (no enumeration)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request, "intake/public/link_request.html", {"form": LinkRequestForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LinkRequestForm(request.POST)
        if not form.is_valid():
            return _page(request, "intake/public/link_request.html", {"form": form})
        keys = {public_form.KIND_LINK_IP: _ip(request), public_form.KIND_LINK_EMAIL: form.cleaned_data["email"]}
        try:
            public_form.rate_limit_check(keys)
        except public_form.RateLimitedError as error:
            return _rate_limited(request, error, back_url=reverse("intake:link-request"))
        public_form.attempt_record(keys)
        status_link_request(reference=form.cleaned_data["reference"], email=form.cleaned_data["email"], request=request)
        return redirect("intake:link-sent")


def link_sent(request: HttpRequest) -> HttpResponse:
    """GET /report/new-link/sent/: the same words whether or not the details matched."""
    return _page(request, "intake/public/link_sent.html")
