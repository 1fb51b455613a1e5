"""Step 1: registrations (command and staff page) and the tool's key set with rotation."""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from jwcrypto.jwk import JWK

from apps.lti.models import Registration
from tests.lti.platform import rsa_pem, tool_key_pair

pytestmark = pytest.mark.django_db

ADD = ["lti", "add", "--name", "Moodle", "--issuer", "https://moodle.example.edu",
       "--client-id", "abc123", "--deployment-id", "1", "--deployment-id", "2",
       "--auth-login-url", "https://moodle.example.edu/mod/lti/auth.php",
       "--auth-token-url", "https://moodle.example.edu/mod/lti/token.php",
       "--keyset-url", "https://moodle.example.edu/mod/lti/certs.php"]


def test_it_publishes_the_tool_key_with_its_thumbprint_as_kid(client):
    keys = client.get("/lti/jwks/").json()["keys"]
    assert len(keys) == 1
    expected = JWK.from_pem(tool_key_pair()[1].encode())
    assert keys[0]["kid"] == expected.thumbprint()
    assert keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig" and "d" not in keys[0]


def test_it_publishes_the_previous_key_after_a_rotation(client, settings):
    old_private, old_public = tool_key_pair()
    new_private, new_public = rsa_pem()
    settings.LTI_PRIVATE_KEY = new_private
    settings.LTI_PREVIOUS_KEY = old_public
    kids = [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]]
    assert kids == [JWK.from_pem(new_public.encode()).thumbprint(),
                    JWK.from_pem(old_public.encode()).thumbprint()]
    settings.LTI_PREVIOUS_KEY = old_private  # the old private PEM works too; only its public half is published
    published = client.get("/lti/jwks/").json()["keys"]
    assert [k["kid"] for k in published] == kids and all("d" not in k for k in published)


def test_it_reads_the_key_from_a_file(client, settings, tmp_path):
    call_command("lti", "genkey", "--out", str(tmp_path / "tool.pem"))
    assert oct(os.stat(tmp_path / "tool.pem").st_mode & 0o777) == "0o600"
    settings.LTI_PRIVATE_KEY = ""
    settings.LTI_PRIVATE_KEY_FILE = str(tmp_path / "tool.pem")
    kid = client.get("/lti/jwks/").json()["keys"][0]["kid"]
    assert kid != JWK.from_pem(tool_key_pair()[1].encode()).thumbprint()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("lti", "genkey", "--out", str(tmp_path / "tool.pem"))


def test_it_answers_503_without_a_key(client, settings):
    settings.LTI_PRIVATE_KEY = ""
    assert client.get("/lti/jwks/").status_code == 503
    response = client.get("/lti/login/", {"iss": "https://x.example", "login_hint": "1",
                                          "target_link_uri": "http://testserver/lti/launch/"})
    assert response.status_code == 503 and b"not set up" in response.content


def test_it_adds_and_lists_registrations_side_by_side(capsys):
    call_command(*ADD)
    call_command(*[a if a != "abc123" else "second" for a in ADD])
    call_command("lti", "add-deployment", "--issuer", "https://moodle.example.edu",
                 "--client-id", "second", "--deployment-id", "3")
    call_command("lti", "list")
    out = capsys.readouterr().out
    assert "client_id=abc123\tdeployments=1, 2" in out
    assert "client_id=second\tdeployments=1, 2, 3" in out
    assert Registration.objects.count() == 2


@pytest.mark.parametrize("change, message", [
    (("abc123", "abc123"), "registered already"),
    (("https://moodle.example.edu/mod/lti/certs.php", "not a url"), "Key set URL: not a URL"),
    (("Moodle", "x" * 121), "Name: 1 to 120"),
    (("abc123", "c" * 256), "Client id"),
    (("https://moodle.example.edu", "https://moodle.example.edu/" + "i" * 250), "Issuer: at most"),
])
def test_it_refuses_bad_registrations(change, message):
    call_command(*ADD)
    old, new = change
    with pytest.raises(CommandError, match=message):
        call_command(*[new if a == old else a for a in ADD])


def test_it_shows_the_tool_configuration_to_staff_only(client, world):
    call_command(*ADD)
    client.force_login(world["staff"])
    page = client.get("/lti/config/").content.decode()
    for value in ("http://testserver/lti/login/", "http://testserver/lti/launch/",
                  "http://testserver/lti/deep-link/", "http://testserver/lti/jwks/",
                  "https://moodle.example.edu/mod/lti/token.php", "abc123"):
        assert value in page
    for role in ("instructor", "learner"):
        client.force_login(world[role])
        assert client.get("/lti/config/").status_code == 404
    client.logout()
    assert client.get("/lti/config/").status_code == 404


@pytest.mark.parametrize("name, value, message", [
    ("LTI_PRIVATE_KEY", "not a key", "not a PEM private key"),
    ("LTI_PRIVATE_KEY_FILE", "/nonexistent/tool.pem", "cannot read"),
    ("LTI_PREVIOUS_KEY", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----",
     "LTI_PREVIOUS_KEY is not a PEM key"),
])
def test_it_refuses_a_key_it_cannot_read_loudly(settings, name, value, message):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if name == "LTI_PRIVATE_KEY_FILE":
        settings.LTI_PRIVATE_KEY = ""
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        apps.get_app_config("lti").ready()  # what a process does at start


def test_it_refuses_a_short_or_non_rsa_key(settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.core.exceptions import ImproperlyConfigured

    from apps.lti import keys

    settings.LTI_PRIVATE_KEY = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    with pytest.raises(ImproperlyConfigured, match="RSA key of 2048 bits"):
        keys.private_key_pem()


def test_it_reads_a_key_written_on_one_line(client, settings):
    """An environment variable often holds the PEM with its newlines written as \\n."""
    settings.LTI_PRIVATE_KEY = tool_key_pair()[0].replace("\n", "\\n")
    kid = client.get("/lti/jwks/").json()["keys"][0]["kid"]
    assert kid == JWK.from_pem(tool_key_pair()[1].encode()).thumbprint()


PAGE_FORM = {"name": "Canvas", "issuer": "https://canvas.instructure.com",
             "client_id": "10000000000001", "deployment_ids": "1:abc, 2:def",
             "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
             "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
             "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks"}


def test_it_registers_an_lms_from_the_staff_page(client, world):
    client.force_login(world["staff"])
    response = client.post("/lti/config/", PAGE_FORM, follow=True)
    assert "Registered Canvas." in response.content.decode()
    row = Registration.objects.get()
    assert [d.deployment_id for d in row.deployments.all()] == ["1:abc", "2:def"]
    again = client.post("/lti/config/", PAGE_FORM)
    assert again.status_code == 400 and "registered already" in again.content.decode()


@pytest.mark.parametrize("change, message", [
    ({"issuer": "not a url"}, "Enter a valid URL"),
    ({"client_id": "c" * 256}, "at most 255 characters"),
    ({"deployment_ids": " , "}, "Deployment ids: 1 to 50"),
])
def test_it_refuses_a_bad_registration_on_the_page(client, world, change, message):
    client.force_login(world["staff"])
    response = client.post("/lti/config/", {**PAGE_FORM, **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_it_lets_only_staff_register(client, world):
    client.force_login(world["instructor"])
    assert client.post("/lti/config/", PAGE_FORM).status_code == 404
    assert not Registration.objects.exists()
