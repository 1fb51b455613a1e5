"""Everything under /api/v1/."""

from django.urls import path

from apps.accounts import api as accounts_api
from apps.bank import api as bank_api

urlpatterns = [
    path("auth/token/", accounts_api.token, name="api-token"),
    path("me/", accounts_api.me, name="api-me"),
    path("resources/", bank_api.resource_list, name="api-resources"),
    path("topics/", bank_api.topic_list, name="api-topics"),
]
