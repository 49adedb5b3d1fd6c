"""The project's URLs (and error handlers) plus one view that fails, for the 500 page."""

from django.urls import path

from innohub import urls as project

handler400 = getattr(project, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(project, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(project, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(project, "handler500", "django.views.defaults.server_error")


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", boom), *project.urlpatterns]
