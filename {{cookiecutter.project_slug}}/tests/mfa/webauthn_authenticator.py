"""A software passkey authenticator: real keys, real attestation and assertion data, checked by py_webauthn.

It plays the browser and the platform authenticator together: it takes the
options the API hands out, makes a P-256 key with ``cryptography``, signs, and
encodes with fido2's CBOR. Before a response leaves, py_webauthn (a WebAuthn
implementation of its own, not the fido2 library the site verifies with)
checks it against the origin and relying party it was made for. A test
therefore cannot pass because this authenticator and the server share a
mistake.
"""

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2 import cbor
from webauthn import verify_authentication_response, verify_registration_response

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL_DATA = 0x40
ES256 = -7  # COSE: ECDSA with SHA-256 on P-256
AAGUID = bytes(16)  # A software authenticator has no model to name.


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    discoverable: bool
    sign_count: int = 0

    def public_key(self) -> bytes:
        """The public key as a COSE key, the form it takes in the attestation."""
        numbers = self.private_key.public_key().public_numbers()
        return cbor.encode(
            {1: 2, 3: ES256, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))


class SoftwareAuthenticator:
    def __init__(self) -> None:
        self.credentials: list[Credential] = []

    def create(self, creation_options: dict, *, origin: str, rp_id: str | None = None) -> dict:
        """navigator.credentials.create() on a page at ``origin``: a new passkey, as JSON for the API.

        ``rp_id`` makes the authenticator claim another relying party than the
        options name, as no honest browser would.
        """
        options = creation_options["publicKey"]
        rp_id = rp_id or options["rp"]["id"]
        selection = options.get("authenticatorSelection") or {}
        credential = Credential(
            id=secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=decode(options["user"]["id"]),
            discoverable=selection.get("residentKey") == "required",
        )
        client_data = _client_data("webauthn.create", options["challenge"], origin)
        authenticator_data = (
            _authenticator_data(rp_id, USER_PRESENT | USER_VERIFIED | ATTESTED_CREDENTIAL_DATA, credential.sign_count)
            + AAGUID
            + struct.pack(">H", len(credential.id))
            + credential.id
            + credential.public_key()
        )
        # "packed" self-attestation: the new key signs its own registration.
        signature = credential.sign(authenticator_data + hashlib.sha256(client_data).digest())
        attestation = {"fmt": "packed", "attStmt": {"alg": ES256, "sig": signature}, "authData": authenticator_data}
        response = {
            "id": encode(credential.id),
            "rawId": encode(credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": encode(client_data),
                "attestationObject": encode(cbor.encode(attestation)),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": credential.discoverable}},
            "authenticatorAttachment": "platform",
        }
        verify_registration_response(
            credential=response,
            expected_challenge=decode(options["challenge"]),
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=True,
        )
        self.credentials.append(credential)
        return response

    def get(self, request_options: dict, *, origin: str, rp_id: str | None = None) -> dict:
        """navigator.credentials.get() on a page at ``origin``: an assertion by a passkey the options allow.

        With no credentials listed (a passkey login), any discoverable passkey of
        the relying party answers. ``rp_id`` works as in ``create``.
        """
        options = request_options["publicKey"]
        credential = self.credential_for(options)
        rp_id = rp_id or options["rpId"]
        credential.sign_count += 1
        client_data = _client_data("webauthn.get", options["challenge"], origin)
        authenticator_data = _authenticator_data(rp_id, USER_PRESENT | USER_VERIFIED, credential.sign_count)
        signature = credential.sign(authenticator_data + hashlib.sha256(client_data).digest())
        response = {
            "id": encode(credential.id),
            "rawId": encode(credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": encode(client_data),
                "authenticatorData": encode(authenticator_data),
                "signature": encode(signature),
                "userHandle": encode(credential.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
        verify_authentication_response(
            credential=response,
            expected_challenge=decode(options["challenge"]),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=credential.public_key(),
            credential_current_sign_count=credential.sign_count - 1,
            require_user_verification=True,
        )
        return response

    def credential_for(self, options: dict) -> Credential:
        allowed = [decode(descriptor["id"]) for descriptor in options.get("allowCredentials") or []]
        for credential in reversed(self.credentials):
            if credential.rp_id != options["rpId"]:
                continue
            if credential.id in allowed or (not allowed and credential.discoverable):
                return credential
        raise LookupError(f"No passkey here for {options['rpId']} that the options allow.")


def _client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()


def _authenticator_data(rp_id: str, flags: int, sign_count: int) -> bytes:
    return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count)
