"""python manage.py oidc_client create|list|delete: the sites and apps that sign their users in with this one."""

from urllib.parse import urlsplit

from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.models import Client
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

SCOPES = ["openid", "profile", "email"]


class Command(BaseCommand):
    help = (
        "Registers, lists and removes the OpenID Connect clients of this site. `create` prints the new client's "
        "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET in .env format, for the client's settings; the secret is shown once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Register a client and print its ID and secret.")
        create.add_argument("--name", required=True, help="Shown to users on the consent page.")
        create.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            dest="redirect_uris",
            help="Where the client receives the authorization code, e.g. "
            "https://app.example.org/accounts/oidc/oidc/login/callback/ (repeat for several).",
        )
        create.add_argument(
            "--post-logout-redirect-uri",
            action="append",
            default=[],
            dest="post_logout_redirect_uris",
            help="Where the client may send users after logging them out here (repeat for several).",
        )
        create.add_argument(
            "--public",
            action="store_true",
            help="A client that cannot keep a secret (a single-page or mobile app): no secret, PKCE required.",
        )
        create.add_argument(
            "--skip-consent",
            action="store_true",
            help="Do not ask users to consent: only for your own first-party sites and apps.",
        )
        actions.add_parser("list", help="List the clients: ID, type, name, redirect URIs.")
        delete = actions.add_parser("delete", help="Remove a client; its tokens stop working.")
        delete.add_argument("client_id")

    def handle(self, *args, action: str, **options) -> None:
        {"create": self.create_client, "list": self.list_clients, "delete": self.delete_client}[action](**options)

    @transaction.atomic
    def create_client(
        self,
        *,
        name: str,
        redirect_uris: list[str],
        post_logout_redirect_uris: list[str],
        public: bool,
        skip_consent: bool,
        **options,
    ) -> None:
        problems = [problem for uri in redirect_uris + post_logout_redirect_uris for problem in uri_problems(uri)]
        if problems:
            raise CommandError("\n".join(problems))
        client = Client(
            name=name,
            type=Client.Type.PUBLIC if public else Client.Type.CONFIDENTIAL,
            skip_consent=skip_consent,
        )
        client.set_redirect_uris(redirect_uris)
        client.set_post_logout_redirect_uris(post_logout_redirect_uris)
        client.set_scopes(SCOPES)
        client.set_default_scopes(["openid"])
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN])
        client.set_response_types([Client.ResponseType.CODE])
        # A public client keeps the random secret it was made with, which nobody knows.
        secret = None if public else get_adapter().generate_client_secret()
        if secret:
            client.set_secret(secret)
        try:
            client.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        client.save()
        self.stdout.write(f"OIDC_CLIENT_ID={client.id}")
        if secret:
            self.stdout.write(f"OIDC_CLIENT_SECRET={secret}")
            self.stderr.write("The secret is shown only now; this site keeps a hash of it.")

    def list_clients(self, **options) -> None:
        for client in Client.objects.order_by("created_at"):
            uris = " ".join(client.get_redirect_uris())
            self.stdout.write(f"{client.id}\t{client.type}\t{client.name}\t{uris}")

    def delete_client(self, *, client_id: str, **options) -> None:
        deleted, _ = Client.objects.filter(id=client_id).delete()
        if not deleted:
            raise CommandError(f"There is no client with the ID {client_id!r}; `oidc_client list` shows them.")
        self.stdout.write(f"Deleted the client {client_id}.")


def uri_problems(uri: str) -> list[str]:
    """Why ``uri`` cannot be a redirect URI: absolute, with a host for http(s), and no fragment (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    if not parts.scheme or (parts.scheme in ("http", "https") and not parts.hostname):
        return [f"{uri!r} is not an absolute URL; give one such as https://app.example.org/callback."]
    if parts.fragment:
        return [f"{uri!r} has a fragment (#...), which redirect URIs may not have."]
    return []
