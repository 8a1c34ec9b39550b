"""The `newscast` command: Django's management commands, plus desk words.

`newscast wire poll` runs the management command `wire_poll`, `newscast data load` runs
`datadesk_load`, `newscast weather refresh` runs `weather_refresh`, `newscast station set`
runs `station_set`; anything else is passed to Django as it is (`newscast demo`, `newscast
serve`, `newscast backup`, `newscast restore`, `newscast migrate`, `newscast check`).
No logic lives here.
"""

import os
import sys

# The desk word a user types -> the prefix of that desk's management commands.
DESK_PREFIXES = {
    "news": "news",
    "wire": "wire",
    "data": "datadesk",
    "weather": "weather",
    "closings": "closings",
    "station": "station",
}


def translate(argv: list[str]) -> list[str]:
    """Turn ["data", "load", ...] into ["datadesk_load", ...]; leave other argv alone."""
    if len(argv) >= 2 and argv[0] in DESK_PREFIXES and not argv[1].startswith("-"):
        return [f"{DESK_PREFIXES[argv[0]]}_{argv[1]}", *argv[2:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newscast", *translate(sys.argv[1:])])


if __name__ == "__main__":
    main()
