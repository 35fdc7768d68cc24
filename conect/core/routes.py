"""Routes grouped by their first segment, so that resolving an address tries a few
prefixes and then the routes of one of them, not every route of an application in turn.

Django resolves a path by trying each route of a list in order: the 70 routes of the
registry cost a page a match attempt each before its own (a few microseconds each, on
every request). `by_first_segment(urlpatterns)` nests the routes that share a literal first
segment ("structures/...") under one `path("structures/", include([...]))`; their names,
their addresses and the view each address reaches are the same.
"""

from django.urls import include, path
from django.urls.resolvers import RoutePattern, URLPattern


def _first_segment(pattern) -> str | None:
    if not isinstance(pattern, URLPattern) or not isinstance(pattern.pattern, RoutePattern):
        return None
    head, slash, _ = str(pattern.pattern).partition("/")
    return f"{head}/" if slash and head and "<" not in head else None


def by_first_segment(patterns: list) -> list:
    """The routes, those that share a literal first segment nested under it. Only when
    every route starts with a literal segment: a route that starts with a converter could
    match the same address as a later route of another segment, and then the order of the
    list decides, which grouping would change."""
    if any(_first_segment(pattern) is None for pattern in patterns):
        return list(patterns)
    groups: dict[str, list] = {}
    for pattern in patterns:
        groups.setdefault(_first_segment(pattern), []).append(pattern)
    nested = []
    for first, members in groups.items():
        if len(members) == 1:
            nested += members
            continue
        inner = [
            path(
                str(member.pattern)[len(first) :],
                member.callback,
                member.default_args,
                name=member.name,
            )
            for member in members
        ]
        nested.append(path(first, include(inner)))
    return nested
