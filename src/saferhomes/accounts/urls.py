from django.urls import path

from saferhomes.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.StaffHomeView.as_view(), name="staff-home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two-factor"),
]
