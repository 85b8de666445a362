"""Letter templates on the staff pages (/staff/documents/templates/), for holders of documents.manage_templates:
the list, and one page to write or change a template with its merge fields listed and a preview on synthetic data."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.documents import merge
from saferhomes.documents.forms import TemplateForm
from saferhomes.documents.models import Audience, LetterTemplate
from saferhomes.documents.selectors import templates_all
from saferhomes.documents.services.templates import MANAGE_TEMPLATES, letter_template_save


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    """GET: every letter template, its audience, version and whether it is in use."""
    require(request.user, MANAGE_TEMPLATES)
    return render(request, "documents/templates/list.html", {"templates": list(templates_all())})


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """GET and POST: write a new template or a new version of one; the preview merges synthetic values."""
    require(request.user, MANAGE_TEMPLATES)
    template = get_object_or_404(LetterTemplate, pk=pk) if pk is not None else None
    initial = (
        {"name": template.name, "audience": template.audience, "body": template.body, "active": template.active}
        if template
        else {"audience": Audience.REPORTER, "active": True}
    )
    form = TemplateForm(request.POST or None, initial=initial, creating=template is None)
    refused = False
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = letter_template_save(
                    actor=actor_of(request),
                    template=template,
                    key=form.cleaned_data.get("key", ""),
                    name=form.cleaned_data["name"],
                    audience=form.cleaned_data["audience"],
                    body=form.cleaned_data["body"],
                    active=form.cleaned_data["active"],
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{saved.name} saved as version {saved.version}")
                return redirect(reverse("documents:template-edit", kwargs={"pk": saved.pk}))
        refused = True
    audience = template.audience if template else Audience.REPORTER
    preview = merge.render(template.body, merge.example_values()) if template and not refused else ""
    context = {
        "template": template,
        "form": form,
        "fields": merge.fields_for(audience),
        "perpetrator_blocked": sorted(merge.PERPETRATOR_BLOCKED),
        "preview": preview,
        "versions": list(template.versions.select_related("saved_by")[:10]) if template else [],
    }
    return render(request, "documents/templates/edit.html", context)
