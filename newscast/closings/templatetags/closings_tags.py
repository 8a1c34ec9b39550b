"""{% closings_mark %} for the header and {% closings_box %} for the home page: shown only while
any closing or delay is on the board (a cached count, keyed by the board version)."""

from django import template

from newscast.closings.selectors import mark_for

register = template.Library()


@register.inclusion_tag("closings/includes/mark.html", takes_context=True)
def closings_mark(context):
    mark = mark_for(context.get("request"))
    return {"count": mark.count, "is_sample": mark.is_sample}


@register.inclusion_tag("closings/includes/home_box.html", takes_context=True)
def closings_box(context):
    mark = mark_for(context.get("request"))
    return {"count": mark.count, "is_sample": mark.is_sample}
