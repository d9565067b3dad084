"""The OpenAPI description documents the error answers every operation can give, with their body."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from .errors import ErrorSerializer

ERRORS = {
    "400": "The query string or body is not valid (code invalid, with fields).",
    "401": "The token is not valid, has expired or was revoked (or none was sent where one is needed).",
    "404": "No such object, or not one of this token's conference.",
    "429": "Too many requests; Retry-After says when to try again.",
}
TOKEN_ERRORS = {"403": "The token lacks the scope this operation needs."}
WRITE_ERRORS = {
    "409": "Refused by the booking rules; the code says why (full, overlap, started, booking_closed, …).",
    "503": "Busy or in maintenance (code busy or read_only); nothing was changed, try again.",
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if getattr(self.view, "scopes", None):
            errors.update(TOKEN_ERRORS)
        if self.method == "POST":
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = description
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified: the ETag sent in If-None-Match still holds."})
        return responses

    def get_auth(self):
        if getattr(self.view, "scopes", None):
            return [{"apiToken": []}]
        return [{"apiToken": []}, {}]
