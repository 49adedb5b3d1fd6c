from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Public, for proxies and monitoring: no sign-in, no session, no two-factor.
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz", views.healthz, name="healthz"),
]
