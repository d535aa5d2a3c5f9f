"""A JSON parser that refuses absurd nesting with a 400 instead of a crash."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth(value) -> int:
    """How deeply lists and objects nest (iteratively: no recursion to overflow)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON nested deeper than ``MAX_DEPTH`` levels answers 400 (``json`` itself would
    raise RecursionError, a 500, somewhere past a thousand)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(
                _("The JSON is nested too deeply (at most %(levels)s levels).")
                % {"levels": MAX_DEPTH}
            )
        return data
