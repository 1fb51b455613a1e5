"""Websocket routes. Each app that pushes live updates adds its consumer here."""

websocket_urlpatterns: list = []
