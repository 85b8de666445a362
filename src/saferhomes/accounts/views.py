"""Placeholder views; the accounts capability replaces these."""

from django.contrib.auth import views as auth_views
from django.views.generic import TemplateView


class StaffHomeView(TemplateView):
    template_name = "accounts/staff_home.html"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"


class SignOutView(auth_views.LogoutView):
    pass


class TwoFactorView(TemplateView):
    template_name = "accounts/two_factor.html"
