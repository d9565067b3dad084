"""Path converters for the project's URLs; importing this module registers them."""

from datetime import date

from django.urls import register_converter


class IsoDateConverter:
    """A yyyy-mm-dd path segment as a date; an impossible date simply does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date) -> str:
        return value.isoformat()


class _TextConverter:
    """A path segment passed through as text; subclasses set the pattern it must match."""

    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PublicCodeConverter(_TextConverter):
    """A seminar's short public code. Anything else (slashes, NUL bytes, very long strings) is a 404."""

    regex = r"[A-Za-z0-9]{1,12}"


class TokenConverter(_TextConverter):
    """URL-safe random tokens (claim links, calendar feeds): letters, digits, - and _, at most 100."""

    regex = r"[A-Za-z0-9_-]{1,100}"


class CheckpointConverter(_TextConverter):
    """A door checkpoint key such as entrance-2016-02-03 or seminar-ABC123."""

    regex = r"[A-Za-z0-9-]{1,64}"


register_converter(IsoDateConverter, "isodate")
register_converter(PublicCodeConverter, "code")
register_converter(TokenConverter, "token")
register_converter(CheckpointConverter, "checkpoint")
