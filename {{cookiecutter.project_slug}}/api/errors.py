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
