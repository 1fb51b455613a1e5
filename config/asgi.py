import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from apps.core.sweeper import start_web_sweeper  # noqa: E402

start_web_sweeper()  # rounds close and lost work is re-sent even while the worker is down

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.core.restart import GracefulSockets, close_sockets_on_shutdown  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

close_sockets_on_shutdown()  # a stopped server closes its sockets with "reconnect" (4503)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origin checked against ALLOWED_HOSTS; sessions authenticate browsers.
        "websocket": GracefulSockets(AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)
