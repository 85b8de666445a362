from django.urls import path

from saferhomes.cases.views import calendar as views

app_name = "working_calendar"

urlpatterns = [
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/change/", views.CalendarChangeView.as_view(), name="calendar-change"),
    path("calendar/closures/add/", views.ClosureAddView.as_view(), name="closure-add"),
    path("calendar/closures/<int:pk>/remove/", views.ClosureRemoveView.as_view(), name="closure-remove"),
    path("calendar/recalculate/", views.RecalculateView.as_view(), name="recalculate"),
]
