"""Manage LMS registrations: `lti add`, `lti list`, `lti add-deployment`, and `lti genkey` for
the tool's private key."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.lti import keys
from apps.lti.models import Registration
from apps.lti.services import LtiError, deployment_add, registration_create


class Command(BaseCommand):
    help = "Register LMSes (LTI 1.3 platforms) and make the tool's key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register an LMS")
        add.add_argument("--name", required=True)
        add.add_argument("--issuer", required=True)
        add.add_argument("--client-id", required=True)
        add.add_argument("--deployment-id", action="append", required=True,
                         help="repeat for several deployments")
        add.add_argument("--auth-login-url", required=True)
        add.add_argument("--auth-token-url", required=True)
        add.add_argument("--keyset-url", required=True)
        add.add_argument("--auth-audience", default="")
        sub.add_parser("list", help="list the registered LMSes")
        dep = sub.add_parser("add-deployment", help="add a deployment id to a registration")
        dep.add_argument("--issuer", required=True)
        dep.add_argument("--client-id", required=True)
        dep.add_argument("--deployment-id", required=True)
        gen = sub.add_parser("genkey", help="write a new RSA private key (PEM) for the tool")
        gen.add_argument("--out", required=True, help="file to create (never overwritten)")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "add":
                row = registration_create(
                    name=options["name"], issuer=options["issuer"],
                    client_id=options["client_id"], deployment_ids=options["deployment_id"],
                    auth_login_url=options["auth_login_url"],
                    auth_token_url=options["auth_token_url"],
                    keyset_url=options["keyset_url"], auth_audience=options["auth_audience"])
                self.stdout.write(f"Registered {row}.")
            elif action == "add-deployment":
                row = Registration.objects.filter(issuer=options["issuer"],
                                                  client_id=options["client_id"]).first()
                if row is None:
                    raise CommandError("No registration has this issuer and client id.")
                deployment_add(registration=row, deployment_id=options["deployment_id"])
                self.stdout.write(f"Deployment {options['deployment_id']} added to {row}.")
            elif action == "list":
                rows = Registration.objects.prefetch_related("deployments")
                for row in rows:
                    ids = ", ".join(d.deployment_id for d in row.deployments.all())
                    self.stdout.write(f"{row.name}\tissuer={row.issuer}\tclient_id="
                                      f"{row.client_id}\tdeployments={ids}\tlogin="
                                      f"{row.auth_login_url}\ttoken={row.auth_token_url}\t"
                                      f"keyset={row.keyset_url}")
                if not rows:
                    self.stdout.write("No LMS is registered.")
            elif action == "genkey":
                path = Path(options["out"])
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    raise CommandError(f"{path} exists; it is never overwritten.") from None
                with os.fdopen(fd, "w") as handle:
                    handle.write(keys.generate_private_key_pem())
                self.stdout.write(f"Wrote {path}. Set LTI_PRIVATE_KEY_FILE={path}.")
        except LtiError as exc:
            raise CommandError(exc.message) from None
