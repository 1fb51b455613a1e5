from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts import throttle
from apps.accounts.roles import is_instructor
from apps.accounts.services import TokenLimitReached, profile_get_or_create, token_create
from apps.core.clientip import client_ip
from apps.core.ratelimit import rate_limit


class TokenThrottle(SimpleRateThrottle):
    """Per client address, on top of the per-account lock-out in apps.accounts.throttle."""

    scope = "token"

    def get_ident(self, request):
        # Not DRF's own: with NUM_PROXIES unset it keys on X-Forwarded-For as sent, which any
        # client can rotate. client_ip believes forwarded headers only from TRUSTED_PROXIES.
        return client_ip(request._request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


TokenOutput = inline_serializer("TokenOutput", {
    "token": serializers.CharField(), "expiry": serializers.DateTimeField()})
Detail = inline_serializer("Detail", {"detail": serializers.CharField()})


@extend_schema(methods=["POST"], request=TokenInput,
               responses={201: TokenOutput, 400: Detail, 401: Detail, 429: Detail},
               summary="Exchange a username and password for an expiring API token")
@extend_schema(methods=["DELETE"], request=None, responses={204: None, 401: Detail},
               summary="Revoke the token used for this request")
@api_view(["POST", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
@rate_limit("token_create", by_address=True)
def token(request: Request) -> Response:
    if request.method == "DELETE":
        return token_revoke(request)
    data = TokenInput(data=request.data)
    data.is_valid(raise_exception=True)
    username = data.validated_data["username"]
    ip = client_ip(request._request)
    if throttle.login_locked(username, ip):
        return Response({"detail": throttle.LOCKOUT_MESSAGE}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    user = authenticate(request._request, username=username,
                        password=data.validated_data["password"])
    if user is None:
        return Response({"detail": "Invalid username or password."},
                        status=status.HTTP_401_UNAUTHORIZED)
    try:
        instance, raw = token_create(user=user)
    except TokenLimitReached as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    return Response({"token": raw, "expiry": instance.expiry}, status=status.HTTP_201_CREATED)


def token_revoke(request: Request) -> Response:
    from knox.auth import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    try:
        result = TokenAuthentication().authenticate(request)
    except AuthenticationFailed as exc:
        return Response({"detail": str(exc.detail)}, status=status.HTTP_401_UNAUTHORIZED)
    if result is None:
        return Response({"detail": "Send the token to revoke in the Authorization header."},
                        status=status.HTTP_401_UNAUTHORIZED)
    _, auth_token = result
    auth_token.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


MeOutput = inline_serializer("Me", {
    "username": serializers.CharField(), "is_instructor": serializers.BooleanField(),
    "is_staff": serializers.BooleanField(), "timezone": serializers.CharField(),
    "extended_time_percent": serializers.IntegerField()})


@extend_schema(responses={200: MeOutput, 401: Detail, 403: Detail},
               summary="The signed-in account")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request: Request) -> Response:
    profile = profile_get_or_create(user=request.user)
    return Response({
        "username": request.user.username, "is_instructor": is_instructor(request.user),
        "is_staff": request.user.is_staff, "timezone": profile.timezone,
        "extended_time_percent": profile.extended_time_percent,
    })
