"""Writes of the station settings by key, for `newscast station set` and provisioning scripts."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from newscast.core.models import CoveredState, StationSettings, WeatherCity
from newscast.core.selectors import station_scalar_fields
from newscast.core.states import STATE_CODES

logger = logging.getLogger(__name__)

# The keys that are lists or files, each with the form its VALUE takes.
LIST_KEYS = {
    "covered_states": "postal codes, comma-separated: MS,AL",
    "weather_cities": "NAME,ST,LATITUDE,LONGITUDE items separated by ';'",
    "logo": "an image file's path, or '' for none",
}


def station_keys() -> dict[str, str]:
    """Every key `station set` takes -> what its value is."""
    keys = {
        field.name: str(field.help_text or field.verbose_name) for field in station_scalar_fields()
    }
    return {**keys, **LIST_KEYS}


@transaction.atomic
def station_set(station: StationSettings, key: str, value: str) -> None:
    """Set one station setting from its text form, validated as the admin validates it.

    Raises ValidationError with the reason, and changes nothing then. Lists (covered states,
    weather cities) are replaced whole, in the order given.
    """
    if key == "covered_states":
        _covered_states_set(station, value)
    elif key == "weather_cities":
        _weather_cities_set(station, value)
    elif key == "logo":
        station.logo = _logo_image(station, value) if value else None
    elif key in {field.name for field in station_scalar_fields()}:
        field = StationSettings._meta.get_field(key)
        setattr(station, key, field.to_python(value))
    else:
        raise ValidationError({key: [f"No such setting. Settings: {', '.join(station_keys())}."]})
    station.full_clean(exclude=["site"])
    # save() moves the content version (newscast/core/signals.py): pages show it at once.
    station.save()
    logger.info("core: station setting %s changed", key)


def _covered_states_set(station: StationSettings, value: str) -> None:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in STATE_CODES]
    if unknown:
        raise ValidationError(
            {"covered_states": [f"Not a state postal code: {', '.join(unknown)}."]}
        )
    # A cluster's children are replaced in memory and written by station.save().
    station.covered_states = [
        CoveredState(postal_code=code, sort_order=order)
        for order, code in enumerate(dict.fromkeys(codes))
    ]


def _weather_cities_set(station: StationSettings, value: str) -> None:
    cities = []
    for order, item in enumerate(part for part in value.split(";") if part.strip()):
        name, state, latitude, longitude = _city(item)
        city = WeatherCity(
            name=name, state=state, latitude=latitude, longitude=longitude, sort_order=order
        )
        try:
            city.full_clean(exclude=["station"])
        except ValidationError as invalid:
            raise ValidationError({"weather_cities": [f"{item.strip()!r}: {invalid}"]}) from None
        cities.append(city)
    station.weather_cities = cities


def _city(item: str) -> tuple[str, str, Decimal, Decimal]:
    parts = [part.strip() for part in item.split(",")]
    try:
        name, state, latitude, longitude = parts
        # The NWS takes at most 4 decimals (newscast/core/models/station.py, WeatherCity).
        latitude, longitude = (Decimal(latitude), Decimal(longitude))
    except (ValueError, InvalidOperation):
        raise ValidationError(
            {"weather_cities": [f"{item.strip()!r} is not NAME,ST,LATITUDE,LONGITUDE."]}
        ) from None
    if state.upper() not in STATE_CODES:
        raise ValidationError({"weather_cities": [f"{state!r} is not a state postal code."]})
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"weather_cities": [f"{item.strip()!r}: coordinates out of range."]})
    return name, state.upper(), round(latitude, 4), round(longitude, 4)


def _logo_image(station: StationSettings, path: str):
    """The file at `path`, added to the image library."""
    file = Path(path)
    if not file.is_file():
        raise ValidationError({"logo": [f"No file at {path}."]})
    upload = SimpleUploadedFile(file.name, file.read_bytes())
    try:
        # The admin's own upload checks: a known image format, within the size limits.
        checked = WagtailImageField().clean(upload)
    except ValidationError as invalid:
        raise ValidationError({"logo": invalid.messages}) from None
    image = get_image_model()(title=f"{station.station_name} logo", file=checked)
    image.save()
    return image
