"""The recorder's installable, offline layer (offline.py): at the site's root, since a service
worker controls only what lies below its own address."""

from django.urls import path

from . import views_offline as offline

app_name = "offline"
urlpatterns = [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("services/journeys/offline/", offline.offline_page, name="page"),
]
