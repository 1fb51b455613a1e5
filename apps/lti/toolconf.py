"""PyLTI1p3 wired to this project: registrations from the database, launch data (nonces, state,
decoded launches) in the database, outbound HTTP with timeouts, access tokens cached, and every
refusal of the library turned into a `LaunchRefused` with a status and a short explanation.

The library does the protocol work (OIDC login, JWT signature, registration, deployment and
message checks); this module adds what it leaves to the tool: state and nonce spent once
(`UsedLaunch`), `exp`/`iat` required, `aud` holding the client id and `azp` checked."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment as PyDeployment
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration as PyRegistration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config.abstract import ToolConfAbstract

from apps.lti import keys
from apps.lti.models import Deployment, LaunchValue, Registration, UsedLaunch

LAUNCH_DATA_SECONDS = 2 * 3600  # a deep-linking picker stays usable this long
KEYSET_CACHE_SECONDS = 3600


class LaunchRefused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


# --- outbound HTTP ----------------------------------------------------------------------------

class _BoundedSession(requests.Session):
    """Every call to a platform has a timeout and follows no redirects (a key set or token URL
    that redirects elsewhere is a misconfiguration, not something to chase)."""

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_HTTP_TIMEOUT_SECONDS)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)


def http_session() -> requests.Session:
    """The session for calls to platforms (tests replace it to answer from an in-process
    platform)."""
    session = _BoundedSession()
    session.headers["User-Agent"] = "supply-chain-arena-lti"
    return session


def token_cache_key(issuer: str, client_id: str, scopes) -> str:
    raw = "|".join([issuer, client_id, *sorted(scopes)])
    return "lti-token:" + hashlib.sha256(raw.encode()).hexdigest()


class CachedServiceConnector(ServiceConnector):
    """Access tokens are reused across requests and tasks for most of their hour (the library
    caches them only per connector object)."""

    def get_access_token(self, scopes) -> str:
        reg = self._registration
        key = token_cache_key(reg.get_issuer() or "", reg.get_client_id() or "", scopes)
        token = cache.get(key)
        if token:
            return token
        token = super().get_access_token(scopes)
        cache.set(key, token, 50 * 60)  # tokens last an hour (1EdTech security framework)
        return token


def service_connector(row: Registration) -> CachedServiceConnector:
    return CachedServiceConnector(to_library(row), http_session())


# --- registrations ------------------------------------------------------------------------------

def to_library(row: Registration) -> PyRegistration:
    reg = (PyRegistration().set_issuer(row.issuer).set_client_id(row.client_id)
           .set_auth_login_url(row.auth_login_url).set_auth_token_url(row.auth_token_url)
           .set_key_set_url(row.keyset_url).set_tool_private_key(keys.private_key_pem())
           .set_tool_public_key(keys.public_key_pem()))
    if row.auth_audience:
        reg.set_auth_audience(row.auth_audience)
    reg.row = row  # the view needs the database row back
    return reg


class DbToolConf(ToolConfAbstract):
    """Registrations by (issuer, client id): an issuer may hold several client ids."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return None

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        rows = Registration.objects.filter(issuer=iss)
        if client_id:
            rows = rows.filter(client_id=client_id)
        rows = list(rows[:2])
        # Without a client id (it is optional in the login request) the issuer must be unambiguous.
        return to_library(rows[0]) if len(rows) == 1 else None

    def find_deployment(self, iss, deployment_id):
        return None

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        if Deployment.objects.filter(registration__issuer=iss, registration__client_id=client_id,
                                     deployment_id=deployment_id).exists():
            return PyDeployment().set_deployment_id(deployment_id)
        return None


# --- launch data storage --------------------------------------------------------------------------

class DbLaunchStorage(LaunchDataStorage):
    """Keys are bound to the browser by a session-id cookie on HTTPS (SameSite=None, so it
    survives the cross-site POST from the LMS), as PyLTI1p3's cache storage does."""

    def get_session_cookie_name(self):
        if self._request is None or not self._request.is_secure():
            return None
        return super().get_session_cookie_name()

    def _row(self, key: str):
        return LaunchValue.objects.filter(key=self._prepare_key(key)[:255],
                                          expires_at__gt=timezone.now()).first()

    def get_value(self, key: str):
        row = self._row(key)
        return row.value if row else None

    def set_value(self, key: str, value, exp=None) -> None:
        now = timezone.now()
        LaunchValue.objects.filter(expires_at__lte=now).delete()  # the sweep: one indexed delete
        LaunchValue.objects.update_or_create(
            key=self._prepare_key(key)[:255],
            defaults={"value": value, "expires_at": now + timedelta(
                seconds=exp or LAUNCH_DATA_SECONDS)})

    def check_value(self, key: str) -> bool:
        return self._row(key) is not None

    def remove_value(self, key: str) -> None:
        LaunchValue.objects.filter(key=self._prepare_key(key)[:255]).delete()

    def can_set_keys_expiration(self) -> bool:
        return True


# --- login and launch -------------------------------------------------------------------------------

class ToolLogin(DjangoOIDCLogin):
    def __init__(self, request):
        storage = DbLaunchStorage()
        super().__init__(request, DbToolConf(), launch_data_storage=storage)
        self.set_launch_data_storage(storage)  # the library attaches it only when redirecting
        self.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)

    def redirect_to_platform(self, launch_url: str):
        try:
            return self.redirect(launch_url)
        except OIDCException as exc:
            text = str(exc)
            if "registration" in text:
                raise LaunchRefused("This LMS (issuer and client id) is not registered with "
                                    "this tool.") from None
            raise LaunchRefused(f"The login request is incomplete: {text}.", 400) from None


def _spend(value: str) -> None:
    # A spent value older than a day can go: its nonce expired from the launch storage long ago,
    # so a replay of it fails the nonce check anyway.
    UsedLaunch.objects.filter(used_at__lt=timezone.now() - timedelta(days=1)).delete()
    try:
        with transaction.atomic():
            UsedLaunch.objects.create(value=hashlib.sha256(value.encode()).hexdigest())
    except IntegrityError:
        raise LaunchRefused("This launch was already used (its state or nonce was replayed). "
                            "Start it again from the LMS.") from None


class ToolLaunch(DjangoMessageLaunch):
    def __init__(self, request, tool_config=None, session_service=None, cookie_service=None,
                 launch_data_storage=None, requests_session=None):
        # The library's signature, since its from_cache() builds instances with it.
        try:
            super().__init__(request, tool_config or DbToolConf(),
                             session_service=session_service, cookie_service=cookie_service,
                             launch_data_storage=launch_data_storage or DbLaunchStorage(),
                             requests_session=requests_session or http_session())
        except LtiException:  # on HTTPS: the browser did not send the login's session cookie
            raise LaunchRefused("This browser did not keep the cookie the login set (third-party "
                                "cookies blocked?); open the activity in a new window.") from None
        self.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})
        self.set_public_key_caching(DbLaunchStorage(), KEYSET_CACHE_SECONDS)

    @classmethod
    def restore(cls, request, launch_id: str) -> ToolLaunch:
        """A launch validated earlier (the deep-linking picker posts its id back)."""
        if not launch_id.startswith("lti1p3-launch-") or len(launch_id) > 60:
            raise LaunchRefused("Unknown launch.", 400)
        try:
            return cls.from_cache(launch_id, request, DbToolConf())
        except LtiException:
            raise LaunchRefused("This launch has expired or is unknown; start again from the "
                                "LMS.", 400) from None

    def get_public_key(self):
        """The platform's key set is cached; a token signed with a key the cached set does not
        hold (the platform rotated its key) fetches the set once more before refusing."""
        try:
            return super().get_public_key()
        except LtiException:
            url = self._registration.get_key_set_url() or ""
            storage = self._public_key_cache_data_storage
            if storage is None:
                raise
            digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
            storage.remove_value("key-set-url-" + digest)  # the library's cache key
            self._registration.set_key_set(None)
            return super().get_public_key()

    def get_service_connector(self) -> ServiceConnector:
        return CachedServiceConnector(self._registration, self._requests_session)

    # Each step of the library's validate(), with its refusal explained.
    def validate_state(self):
        try:
            return super().validate_state()
        except LtiException:
            raise LaunchRefused("The launch's state is missing or does not match this browser's "
                                "login; start again from the LMS.") from None

    def validate_jwt_format(self):
        try:
            return super().validate_jwt_format()
        except LtiException:
            raise LaunchRefused("The launch carries no readable id_token.", 400) from None

    def validate_nonce(self):
        try:
            return super().validate_nonce()
        except LtiException:
            raise LaunchRefused("The launch's nonce was not issued by this tool's login (or has "
                                "expired or been used).") from None

    def validate_registration(self):
        try:
            super().validate_registration()
        except LtiException:
            raise LaunchRefused("This LMS (issuer and client id) is not registered with this "
                                "tool.") from None
        body = self._jwt.get("body", {})
        aud = body.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        client_id = self._registration.get_client_id()
        if client_id not in auds:
            raise LaunchRefused("The launch is addressed to another tool (aud).")
        azp = body.get("azp")
        if (len(auds) > 1 and azp is None) or (azp is not None and azp != client_id):
            raise LaunchRefused("The launch's authorized party (azp) is not this tool.")
        return self

    def validate_jwt_signature(self):
        try:
            return super().validate_jwt_signature()
        except LtiException as exc:
            if isinstance(exc.__cause__, jwt.ExpiredSignatureError):
                raise LaunchRefused("The launch token has expired; start again from the "
                                    "LMS.") from None
            if isinstance(exc.__cause__, jwt.MissingRequiredClaimError):
                raise LaunchRefused("The launch token has no expiry (exp/iat).") from None
            raise LaunchRefused("The launch token's signature does not verify against the "
                                "LMS's registered key set.") from None

    def validate_deployment(self):
        try:
            return super().validate_deployment()
        except LtiException:
            raise LaunchRefused("This deployment of the tool is not registered for this "
                                "LMS.") from None

    def validate_message(self):
        try:
            return super().validate_message()
        except LtiException as exc:
            raise LaunchRefused(f"The LTI message is not one this tool accepts ({exc}).",
                                400) from None

    def validate(self):
        super().validate()
        body = self._jwt["body"]
        _spend("state:" + (self._get_request_param("state") or ""))
        _spend("nonce:" + body["iss"] + ":" + body["nonce"])
        return self

    @property
    def registration_row(self) -> Registration:
        return self._registration.row
