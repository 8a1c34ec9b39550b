"""JSON from outside sources, refused when it is nested deeper than any real feed needs.

Python's parser would recurse until a RecursionError; a ninjs item or an API answer is a few
levels deep, so anything past JSON_MAX_DEPTH is a broken or hostile answer, refused in one line.
"""

from __future__ import annotations

import json

JSON_MAX_DEPTH = 64


class JSONTooDeep(ValueError):
    """The JSON nests more than the allowed number of arrays and objects."""


def json_depth_exceeds(data, max_depth: int) -> bool:
    """True if data nests lists/dicts deeper than max_depth (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def json_parse(text: str | bytes, *, max_depth: int = JSON_MAX_DEPTH):
    """json.loads, raising JSONTooDeep past max_depth (or json.JSONDecodeError as usual)."""
    message = f"the JSON is nested deeper than {max_depth} levels"
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise JSONTooDeep(message) from exc
    if json_depth_exceeds(data, max_depth):
        raise JSONTooDeep(message)
    return data
