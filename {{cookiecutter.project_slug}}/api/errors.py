"""The error envelope (core/errors.py) described for the project API's OpenAPI document."""

from ninja import Schema


class Error(Schema):
    message: str
    code: str
    param: str | None = None


class Errors(Schema):
    """The envelope's shape, for the OpenAPI document."""

    status: int
    errors: list[Error]


# The error answers every authenticated endpoint of the project API can give, for its OpenAPI description.
NOT_AUTHENTICATED = {401: Errors}
INVALID_INPUT = {400: Errors, 401: Errors, 403: Errors}


class Flow(Schema):
    id: str
    types: list[str] | None = None


class Flows(Schema):
    flows: list[Flow]


class ReauthenticationRequired(Errors):
    """A 401: not logged in (no ``data``), or logged in and asked to reauthenticate with one of ``data.flows`` first."""

    data: Flows | None = None
    meta: dict | None = None


# The error answers of an endpoint that needs a recent reauthentication (api/reauthentication.py).
REAUTHENTICATION_REQUIRED = {401: ReauthenticationRequired, 403: Errors}
