"""Journey file pages. Included by the project as
`path("services/journeys/", include("innohub.services.urls_files"))`."""

from django.urls import path

from . import views_files

app_name = "journey_files"
urlpatterns = [
    path("import/", views_files.journey_import, name="import"),
    path("imports/<int:pk>/", views_files.journey_import_progress, name="import_progress"),
    path("export/", views_files.journey_export, name="export"),
    path("exports/<int:pk>/", views_files.journey_export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views_files.journey_export_download, name="export_download"),
]
