"""Checks shared by the desks' writes."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Django's URLField also takes ftp:// and ftps://, which no feed or source client reads.
_HTTP_URL = URLValidator(schemes=["http", "https"])


def validate_http_url(url: str, field: str) -> None:
    """Raise ValidationError({field: ...}) unless url is an http:// or https:// address."""
    try:
        _HTTP_URL(url)
    except ValidationError:
        raise ValidationError({field: ["Enter an http:// or https:// address."]}) from None


def video_address_validate(value: str) -> None:
    """An https:// address or a path on this site ("/static/..."): a page served over
    https cannot play http video, and javascript: or data: addresses have no place here."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if not value.startswith("https://"):
        raise ValidationError("Use an https:// address, or a path on this site starting with /.")
    URLValidator(schemes=["https"])(value)
