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
