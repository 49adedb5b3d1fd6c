from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # One sign-in page for everyone: it has the throttling, two-factor and our design.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("innohub.api.urls")),
    path("accounts/", include("innohub.accounts.urls")),
    path("areas/", include("innohub.geo.urls")),
    path("organisations/", include("innohub.orgs.urls")),
    path("", include("innohub.services.urls_offline")),
    path("services/journeys/", include("innohub.services.urls_files")),
    path("services/", include("innohub.services.urls")),
    path("training/", include("innohub.training.urls")),
    path("network/", include("innohub.network.urls")),
    path("talent/", include("innohub.talent.urls")),
    path("insights/", include("innohub.insights.urls")),
    # /consultations/ (citizens, without an account) and /engagement/ (officers).
    path("", include("innohub.engagement.urls")),
    path("", include("innohub.pipeline.urls")),
    path("", include("innohub.core.urls")),
]

# A body too large is 413, a locked or unreachable database 503; the API's shape under /api/.
handler400 = "innohub.core.views_errors.bad_request"
handler500 = "innohub.core.views_errors.server_error"
