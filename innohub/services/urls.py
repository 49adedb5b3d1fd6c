from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("<int:pk>/", views.service_detail, name="service_detail"),
    path("<int:pk>/maps/<str:variant>/", views.map_editor, name="map_editor"),
    path("<int:pk>/journeys/", views.service_journeys, name="service_journeys"),
    path("journeys/new/", views.journey_start, name="journey_start"),
    path("journeys/drafts/", views.my_drafts, name="my_drafts"),
    path("journeys/mine/", views.my_journeys, name="my_journeys"),
    path("journeys/<int:pk>/", views.journey_detail, name="journey_detail"),
    path("journeys/<int:pk>/steps/", views.journey_record, name="journey_record"),
    path(
        "journeys/<int:pk>/steps/<int:step_pk>/remove/",
        views.journey_remove_step,
        name="journey_remove_step",
    ),
    path(
        "journeys/<int:pk>/steps/<int:step_pk>/edit/",
        views.journey_edit_step,
        name="journey_edit_step",
    ),
    path("journeys/<int:pk>/finish/", views.journey_finish, name="journey_finish"),
    path("journeys/<int:pk>/discard/", views.journey_discard, name="journey_discard"),
]
