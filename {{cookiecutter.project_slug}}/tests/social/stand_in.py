"""A stand-in for Google and GitHub on loopback, serving their documented OAuth endpoints over real HTTP.

Google: the authorization endpoint (it consents at once, as the user the test
chose), the token endpoint with PKCE, the user info endpoint and the
certificates that sign its ID tokens (https://www.googleapis.com/oauth2/v1/certs
format). GitHub: the authorization and token endpoints, GET /user,
GET /user/emails and "check a token" (POST /applications/{client_id}/token).
Each endpoint checks what the real one checks: the client's credentials, the
redirect URI and PKCE verifier of a code, a code or token used once or for
the right app.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass
class Identity:
    """Who the user is at the provider, and which addresses it reports."""

    id: str
    name: str
    email: str | None
    email_verified: bool = True
    login: str = "ada-lovelace"


@dataclass
class Grant:
    client_id: str
    identity: Identity
    redirect_uri: str | None = None
    code_challenge: str | None = None
    nonce: str | None = None


@dataclass
class SigningKey:
    """An RSA key and a self-signed certificate for it, as Google publishes its keys."""

    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    private_key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))

    def certificate_pem(self) -> str:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stand-in.googleapis.com")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.private_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(self.private_key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM).decode()

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})


class StandIn(ThreadingHTTPServer):
    """The providers' server on a free loopback port, and their state, which its handler reads as ``self.server``:
    registered OAuth apps, the user who consents next, issued codes and tokens, and the requests received."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.url = f"http://127.0.0.1:{self.server_port}"
        self.apps: dict[str, str] = {}  # client ID to secret, at both providers
        self.user = Identity(id="1234567890", name="Ada Lovelace", email="ada@example.com")
        self.google_key = SigningKey()
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, Grant] = {}
        self.requests: list[str] = []

    def start(self) -> StandIn:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def register_app(self, client_id: str, secret: str) -> None:
        self.apps[client_id] = secret

    def google_id_token(self, client_id: str, *, nonce: str | None = None, **overrides) -> str:
        """An ID token as Google signs it for ``client_id``; ``overrides`` change or (None) drop claims."""
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "aud": client_id,
            "azp": client_id,
            "sub": self.user.id,
            "name": self.user.name,
            "email": self.user.email,
            "email_verified": self.user.email_verified,
            "iat": now,
            "exp": now + 3600,
            "jti": secrets.token_hex(8),
            "nonce": nonce,
        }
        claims.update(overrides)
        return self.google_key.sign({key: value for key, value in claims.items() if value is not None})

    def github_access_token(self, client_id: str) -> str:
        """An access token GitHub issued to the OAuth app ``client_id`` for the current user."""
        token = "gho_" + secrets.token_urlsafe(24)
        self.access_tokens[token] = Grant(client_id=client_id, identity=self.user)
        return token


class ProviderHandler(BaseHTTPRequestHandler):
    """Answers one request to either provider, with the state kept on the server."""

    server: StandIn

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append(f"{method} {parts.path}")
        self.query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length).decode() if length else ""
        routes = {
            ("GET", "/google/authorize"): self.google_authorize,
            ("POST", "/google/token"): self.google_token,
            ("GET", "/google/userinfo"): self.google_userinfo,
            ("GET", "/google/certs"): self.google_certs,
            ("GET", "/github/login/oauth/authorize"): self.authorize,
            ("POST", "/github/login/oauth/access_token"): self.github_token,
            ("GET", "/github/api/v3/user"): self.github_user,
            ("GET", "/github/api/v3/user/emails"): self.github_emails,
        }
        if method == "POST" and parts.path.startswith("/github/api/v3/applications/"):
            return self.github_check_token(parts.path.split("/")[-2])
        route = routes.get((method, parts.path))
        if route is None:
            return self.answer(404, {"message": "Not Found"})
        return route()

    def answer(self, status: int, data: dict | list) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body).items()}

    def google_authorize(self) -> None:
        """This site asks Google for PKCE; a request without it is refused, so a test would notice."""
        if self.query.get("code_challenge_method") != "S256" or not self.query.get("code_challenge"):
            return self.answer(400, {"error": "invalid_request", "error_description": "PKCE required"})
        return self.authorize()

    def authorize(self) -> None:
        """The user consents at once: back to the redirect URI with a code and the state."""
        query = self.query
        if query.get("client_id") not in self.server.apps:
            return self.answer(400, {"error": "invalid_client"})
        code = secrets.token_urlsafe(16)
        self.server.codes[code] = Grant(
            client_id=query["client_id"],
            identity=self.server.user,
            redirect_uri=query.get("redirect_uri"),
            code_challenge=query.get("code_challenge"),
            nonce=query.get("nonce"),
        )
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def redeem_code(self) -> Grant | None:
        """The grant of a valid code, redeemed once, for the app that authenticates, or None."""
        form = self.form()
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization := self.headers.get("Authorization", "").removeprefix("Basic "):
            client_id, _, secret = base64.b64decode(authorization).decode().partition(":")
        grant = self.server.codes.pop(form.get("code", ""), None)
        if grant is None or self.server.apps.get(client_id) != secret or grant.client_id != client_id:
            return None
        if grant.redirect_uri != form.get("redirect_uri"):
            return None
        if grant.code_challenge:
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if challenge != grant.code_challenge:
                return None
        return grant

    def google_token(self) -> None:
        grant = self.redeem_code()
        if grant is None:
            return self.answer(400, {"error": "invalid_grant"})
        access_token = "ya29." + secrets.token_urlsafe(24)
        self.server.access_tokens[access_token] = grant
        id_token = self.server.google_id_token(grant.client_id, nonce=grant.nonce)
        self.answer(
            200,
            {"access_token": access_token, "expires_in": 3599, "token_type": "Bearer", "id_token": id_token},
        )

    def google_userinfo(self) -> None:
        grant = self.server.access_tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
        if grant is None:
            return self.answer(401, {"error": "invalid_token"})
        user = grant.identity
        self.answer(200, {"id": user.id, "name": user.name, "email": user.email, "verified_email": True})

    def google_certs(self) -> None:
        self.answer(200, {self.server.google_key.kid: self.server.google_key.certificate_pem()})

    def github_token(self) -> None:
        grant = self.redeem_code()
        if grant is None:
            # GitHub answers a bad code with 200 and an error field.
            return self.answer(200, {"error": "bad_verification_code"})
        token = self.server.github_access_token(grant.client_id)
        self.answer(200, {"access_token": token, "token_type": "bearer", "scope": "user:email"})

    def github_grant(self) -> Grant | None:
        return self.server.access_tokens.get(self.headers.get("Authorization", "").removeprefix("token "))

    def github_user(self) -> None:
        grant = self.github_grant()
        if grant is None:
            return self.answer(401, {"message": "Bad credentials"})
        user = grant.identity
        self.answer(200, {"id": int(user.id), "login": user.login, "name": user.name, "email": None})

    def github_emails(self) -> None:
        grant = self.github_grant()
        if grant is None:
            return self.answer(401, {"message": "Bad credentials"})
        user = grant.identity
        emails = [] if user.email is None else [{"email": user.email, "primary": True, "verified": user.email_verified}]
        self.answer(200, emails)

    def github_check_token(self, client_id: str) -> None:
        authorization = self.headers.get("Authorization", "").removeprefix("Basic ")
        given_id, _, secret = base64.b64decode(authorization).decode().partition(":")
        if given_id != client_id or self.server.apps.get(client_id) != secret:
            return self.answer(401, {"message": "Bad credentials"})
        token = json.loads(self.body or "{}").get("access_token", "")
        grant = self.server.access_tokens.get(token)
        if grant is None or grant.client_id != client_id:
            return self.answer(404, {"message": "Not Found"})
        self.answer(200, {"token": token, "app": {"client_id": client_id}, "user": {"id": int(grant.identity.id)}})
