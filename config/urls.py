from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("bank/", include("apps.bank.urls")),
    path("quiz/", include("apps.quiz.urls")),
    path("play/", include("apps.matches.urls")),
    path("live/", include("apps.live.urls")),
    path("skills/", include("apps.skills.urls")),
    path("curation/", include("apps.curation.urls")),
    path("packs/", include("apps.packs.urls")),
    path("insights/", include("apps.insights.urls")),
    path("cohorts/", include("apps.cohorts.urls")),
    path("lti/", include("apps.lti.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its initialiser as a separate script, so it lives with our CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
# Every API error is JSON; an outage is 503 with Retry-After (apps.core.errors).
handler400 = "apps.core.errors.bad_request"
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"
