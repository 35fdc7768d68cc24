"""`{% memo %}`: the parts of the layout that are the same on every page, rendered once.

The header, the public navigation and the footer are the same on every page for a given
language, except for what the page names (its address, its user). Rendered by the
template engine, they cost about a millisecond on every page: more than a page's own SQL.
So each process renders them once per language and keeps the text:

    {% memo "footer" %}...{% endmemo %}
    {% memo "header" request.resolver_match.view_name %}...{% endmemo %}

`{% fixed_url %}` does the same for the address of a page without arguments, and
`{% record_url name pk %}` for a record's page.

The key is the template and the name, the active language, the script prefix and the
values given after the name. A memoised block may read nothing else: no user, no CSRF
token, no address that the key does not name. (Django's `{% cache %}` does the same
through the shared cache, at the price of a round trip to it; this text never changes
while the process runs, so the process keeps it.) A change of settings (in tests)
forgets every block.
"""

from django import template
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from conect.core import addresses
from conect.core.addresses import record_url, record_urls  # noqa: F401 - for templates' tags
from conect.core.kept import Kept

register = template.Library()

# A few names x a few vary values x the languages: far below.
_memo = Kept(max_entries=1000)


class MemoNode(template.Node):
    # What a memo block holds is rendered once, never searched: {% extends %} looks for
    # {% block %} nodes through a layout's every node on each render, and a memo block
    # holds none (a block inside one would be drawn once for every page).
    child_nodelists = ()

    def __init__(self, nodelist, name: str, vary: list):
        self.nodelist = nodelist
        self.name = name  # with the template's name: two templates never share a block
        self.vary = vary

    def render(self, context) -> str:
        return self._kept(context, (), {})

    def _kept(self, context, answers: tuple, variables: dict) -> str:
        """The block's text for this name, language, prefix, answers and values: kept
        once rendered (with `variables` added to the context)."""
        key = (
            self.name,
            get_language(),
            get_script_prefix(),
            answers,
            *(str(value.resolve(context)) for value in self.vary),
        )
        text = _memo.get(key)
        if text is None:
            with context.push(variables):
                text = self.nodelist.render(context)
            _memo.keep(key, text)
        return text


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% memo "name" [value ...] %}')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("A {% memo %} block cannot hold a {% block %}.")
    origin = getattr(parser.origin, "name", None) or ""
    name = f"{origin}:{bits[1][1:-1]}"
    return MemoNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])


class PermissionMemoNode(MemoNode):
    """A memo block keyed by the person's answers to named permissions, which it gives the
    block as variables: one node where the navigation had a tag per permission and a
    memo keyed by their answers."""

    def __init__(self, nodelist, name: str, vary: list, permissions: list[tuple[str, str]]):
        super().__init__(nodelist, name, vary)
        self.permissions = permissions

    def render(self, context) -> str:
        user = context.get("user")
        answers = tuple(
            bool(user is not None and user.has_perm(perm)) for _, perm in self.permissions
        )
        names = [variable for variable, _ in self.permissions]
        return self._kept(context, answers, dict(zip(names, answers, strict=True)))


@register.tag
def permission_memo(parser, token):
    """`{% permission_memo "menus" [value ...] can_verify="registry.view_verification_queue"
    ... %}`: the block sees `can_verify` (the user's answer) and is rendered once per set
    of answers, values and language, as {% memo %} is."""
    usage = 'Usage: {% permission_memo "name" [value ...] variable="app.permission" ... %}'
    bits = token.split_contents()
    if len(bits) < 3 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(usage)
    vary, permissions = [], []
    for bit in bits[2:]:
        variable, named, perm = bit.partition("=")
        if not named:
            if permissions:  # the values come before the permissions
                raise template.TemplateSyntaxError(usage)
            vary.append(parser.compile_filter(bit))
            continue
        if (
            not variable.isidentifier()
            or len(perm) < 3
            or perm[0] not in "\"'"
            or perm[0] != perm[-1]
        ):
            raise template.TemplateSyntaxError(usage)
        permissions.append((variable, perm[1:-1]))
    if not permissions:
        raise template.TemplateSyntaxError(usage)
    nodelist = parser.parse(("endpermission_memo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(
            "A {% permission_memo %} block cannot hold a {% block %}."
        )
    origin = getattr(parser.origin, "name", None) or ""
    return PermissionMemoNode(nodelist, f"{origin}:{bits[1][1:-1]}", vary, permissions)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per process (reversing
    costs about 50 microseconds, and the answer never changes while the process runs):
    `{% fixed_url "account_login" %}`, or `{% fixed_url "account_login" as login_url %}`."""
    key = ("url", name, get_script_prefix(), get_urlconf())
    url = _memo.get(key)
    if url is None:
        url = _memo.keep(key, reverse(name))
    return url


register.simple_tag(record_url, name="record_url")


def forget(**kwargs) -> None:
    _memo.clear()
    addresses.forget()


setting_changed.connect(forget, dispatch_uid="conect.core.templatetags.conect_layout")
