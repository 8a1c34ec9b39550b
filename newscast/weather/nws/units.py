"""Unit conversion for NWS QuantitativeValues, by their unitCode, never by assumption.

A QuantitativeValue is {"unitCode": "wmoUnit:degC", "value": 21.7, "qualityControl": "V"}.
Older answers say `unit:degC`; the unit is whatever follows the colon. An unknown unit raises
UnitError: silently showing kilometres as miles is worse than showing nothing.
"""

from __future__ import annotations

import math

# MADIS quality-control flags that mean "do not use": X rejected, B subjective bad.
REJECTED_QC = frozenset({"X", "B", "qc:X", "qc:B"})
# Physically plausible air temperatures; NWS passes through values like 148.89 degC.
PLAUSIBLE_CELSIUS = (-60.0, 60.0)
KM_PER_MILE = 1.609344


class UnitError(ValueError):
    """A QuantitativeValue came in a unit this code does not know how to convert."""


def unit_of(qv: dict) -> str:
    code = qv.get("unitCode") or ""
    return code.rsplit(":", 1)[-1]


def raw_value(qv: dict | None) -> float | None:
    """The number in a QuantitativeValue, or None if null, absent or rejected by QC."""
    if not isinstance(qv, dict):
        return None
    value = qv.get("value")
    if value is None or qv.get("qualityControl") in REJECTED_QC:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnitError(f"value {value!r} is not a number")
    if not math.isfinite(value):
        # Python's JSON reader lets NaN and Infinity through; no instrument measured them.
        raise UnitError(f"value {value!r} is not a finite number")
    return float(value)


def fahrenheit(qv: dict | None) -> float | None:
    """A temperature in degrees Fahrenheit; implausible readings count as missing."""
    value = raw_value(qv)
    if value is None:
        return None
    unit = unit_of(qv)
    if unit == "degC":
        celsius = value
    elif unit == "degF":
        celsius = (value - 32) * 5 / 9
    elif unit == "K":
        celsius = value - 273.15
    else:
        raise UnitError(f"unknown temperature unit {qv.get('unitCode')!r}")
    low, high = PLAUSIBLE_CELSIUS
    if not low <= celsius <= high:
        return None
    return celsius * 9 / 5 + 32


def mph(qv: dict | None) -> float | None:
    """A speed in miles per hour."""
    value = raw_value(qv)
    if value is None:
        return None
    unit = unit_of(qv)
    if unit == "km_h-1":
        return value / KM_PER_MILE
    if unit == "m_s-1":
        return value * 3600 / 1000 / KM_PER_MILE
    if unit in ("kt", "kn"):
        return value * 1.852 / KM_PER_MILE
    if unit == "mi_h-1":
        return value
    raise UnitError(f"unknown speed unit {qv.get('unitCode')!r}")


def percent(qv: dict | None) -> float | None:
    value = raw_value(qv)
    if value is None:
        return None
    if unit_of(qv) != "percent":
        raise UnitError(f"unknown percentage unit {qv.get('unitCode')!r}")
    return value if 0 <= value <= 100 else None


def degrees(qv: dict | None) -> float | None:
    """An angle (wind direction) in degrees."""
    value = raw_value(qv)
    if value is None:
        return None
    if unit_of(qv) != "degree_(angle)":
        raise UnitError(f"unknown angle unit {qv.get('unitCode')!r}")
    return value % 360


COMPASS = "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split()


def compass(direction: float | None) -> str:
    """16-point compass name of a direction in degrees ("" when unknown)."""
    if direction is None:
        return ""
    return COMPASS[int((direction % 360) / 22.5 + 0.5) % 16]


def whole(value: float | None) -> int | None:
    """Round half up for display (71.5 -> 72, -0.5 -> 0), not Python's banker's rounding."""
    if value is None:
        return None
    return math.floor(value + 0.5)
