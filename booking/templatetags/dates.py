"""Days written the way each language writes them ({% load dates %})."""

from __future__ import annotations

from django import template

from booking import dates

register = template.Library()


@register.filter
def long_date(value):
    return dates.formatted(value, dates.LONG_DATE) if value else ""


@register.filter
def full_date(value):
    return dates.formatted(value, dates.DATE) if value else ""


@register.filter
def month_day(value):
    return dates.formatted(value, dates.MONTH_DAY) if value else ""


@register.filter
def short_day(value):
    return dates.formatted(value, dates.SHORT_DAY) if value else ""
