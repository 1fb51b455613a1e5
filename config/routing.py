"""Websocket routes. Each app that pushes live updates adds its consumer here."""

from django.urls import path

from apps.live.consumers import LiveConsumer
from apps.matches.consumers import MatchConsumer

websocket_urlpatterns = [
    path("ws/matches/<uuid:public_id>/", MatchConsumer.as_asgi()),
    path("ws/live/<uuid:public_id>/", LiveConsumer.as_asgi()),
]
