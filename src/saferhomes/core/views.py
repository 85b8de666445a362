"""Public pages that belong to no business area: home, accessibility statement, privacy notice."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "core/home.html"


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.html"


class PrivacyNoticeView(TemplateView):
    template_name = "core/privacy.html"
