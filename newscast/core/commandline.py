"""What the operators' commands share: listings as aligned columns for people or `--json`
for scripts, and a refused write told in the model's own words."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder


def add_json_flag(parser) -> None:
    parser.add_argument(
        "--json", action="store_true", dest="as_json", help="Print JSON (a list of objects)."
    )


def rows_text(rows: list[dict], columns: list[str], empty: str) -> str:
    """The rows as aligned columns under a header line, or `empty` when there are none."""
    if not rows:
        return empty
    cells = [[str(row[column]) for column in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    lines = [columns, *cells]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def rows_json(rows) -> str:
    """JSON with times in ISO 8601 (UTC shown as Z), as Django's encoder writes them."""
    return json.dumps(rows, indent=2, cls=DjangoJSONEncoder)


def validation_text(invalid) -> str:
    """A ValidationError as "url: Enter a valid URL.; slug: ..." - one part per field."""
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in invalid.message_dict.items()
    )
