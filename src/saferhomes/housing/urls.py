from django.urls import path

from saferhomes.housing import views

app_name = "housing"

urlpatterns = [
    path("properties/", views.property_list, name="property-list"),
    path("properties/<int:pk>/", views.property_view, name="property-detail"),
    path("people/<int:pk>/", views.person_view, name="person-detail"),
]
