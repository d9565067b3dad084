from datetime import date


class IsoDateConverter:
    """A yyyy-mm-dd path segment as a date; an impossible date simply does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date) -> str:
        return value.isoformat()
