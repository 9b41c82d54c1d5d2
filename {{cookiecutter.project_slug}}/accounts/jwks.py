"""The JSON Web Key Set at /.well-known/jwks.json: the public keys that verify the app client's access tokens{% if cookiecutter.identity_provider %}
and the ID tokens of the site's OpenID Connect provider (its discovery document points here){% endif %}.

Other services fetch it to check an access token offline: they pick the key
whose ``kid`` matches the token's header. The current signing key is always
published; during a key rotation, the previous one too (JWT_PREVIOUS_PUBLIC_KEY),
until the tokens it signed have expired.
"""

from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from . import jwt_keys
from .allauth_compat import jwk_thumbprint

# Verifiers may cache the document this long; a rotated-in key is found by its new kid.
CACHE_SECONDS = 300


def public_jwk(public_key_pem: str) -> dict[str, Any]:
    """The public key as a JWK, with the ``kid`` allauth puts in its tokens' headers (the RFC 7638 thumbprint)."""
    public_key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    jwk["kid"] = jwk_thumbprint(jwk)
    return {**jwk, "use": "sig", "alg": "RS256"}


@cache
def key_set(private_keys: tuple[str, ...], previous_public_key: str) -> dict[str, list[dict[str, Any]]]:
    """The JWKS document for the configured keys (unset ones are empty): empty when the site issues no JWTs."""
    public_keys = [jwt_keys.public_key_of(private_key) for private_key in private_keys if private_key]
    if previous_public_key:
        public_keys.append(previous_public_key)
    # One entry per key, also when two settings hold the same one.
    by_kid = {jwk["kid"]: jwk for jwk in map(public_jwk, public_keys)}
    return {"keys": list(by_kid.values())}


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    signing_keys = (settings.HEADLESS_JWT_PRIVATE_KEY,{% if cookiecutter.identity_provider %} settings.IDP_OIDC_PRIVATE_KEY{% endif %})
    document = key_set(signing_keys, settings.JWT_PREVIOUS_PUBLIC_KEY)
    response = JsonResponse(document)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    # Public keys only: any web page may read them.
    response["Access-Control-Allow-Origin"] = "*"
    return response
