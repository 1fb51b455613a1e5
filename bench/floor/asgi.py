"""The floor over ASGI: the one-INSERT view for HTTP, and a bare websocket relay through the
same channel layer as the platform (Redis when REDIS_URL is set): a socket joins the group named
in its URL, and whatever a socket sends is sent to its whole group, with no database, no
authentication and no rendering. The live and match benchmarks divide their push latencies by
this relay's, measured in the same run."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")
django_app = get_asgi_application()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Relay(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = "relay-" + self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send(self.group, {"type": "relay", "body": content})

    async def relay(self, event):
        await self.send_json(event["body"])


application = ProtocolTypeRouter({
    "http": django_app,
    "websocket": URLRouter([path("ws/relay/<str:group>/", Relay.as_asgi())]),
})
