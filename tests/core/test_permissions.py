"""How a view checks a permission (conect.core.permissions): sign in first, then 403."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from conect.accounts.rules import is_coordinator
from conect.core.permissions import PermissionRequiredMixin, denied, permission_required

pytestmark = pytest.mark.django_db

rules.add_perm("core_tests.see_secret", is_coordinator)
rules.add_perm("core_tests.see_own", rules.predicate(lambda user, obj: obj == user.pk))


@permission_required("core_tests.see_secret")
def secret_view(request):
    return HttpResponse("secret")


@permission_required("core_tests.see_own", fn=lambda request, pk: pk)
def own_view(request, pk):
    return HttpResponse("own")


def _request(user):
    request = RequestFactory().get("/secret/?x=1")
    request.user = user
    return request


def test_permission_grid(citizen, coordinator):
    """Anonymous: sent to sign in and back; citizen: 403; coordinator: the page."""
    response = secret_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/secret/%3Fx%3D1"
    with pytest.raises(PermissionDenied):
        secret_view(_request(citizen))
    assert secret_view(_request(coordinator)).content == b"secret"


def test_object_permission(citizen, coordinator):
    """The object from `fn` is passed to the rule."""
    assert own_view(_request(citizen), pk=citizen.pk).content == b"own"
    with pytest.raises(PermissionDenied):
        own_view(_request(citizen), pk=coordinator.pk)


def test_denied_and_the_mixin_answer_as_the_decorator(citizen):
    """After its own has_perm, a view answers with denied(): the visitor is sent to sign
    in, the signed-in user gets 403; a class-based view with the mixin does the same."""
    from django.views import View

    response = denied(_request(AnonymousUser()))
    assert response["Location"] == f"{reverse('account_login')}?next=/secret/%3Fx%3D1"
    with pytest.raises(PermissionDenied):
        denied(_request(citizen))

    class SecretView(PermissionRequiredMixin, View):
        permission_required = "core_tests.see_secret"

        def get(self, request):
            return HttpResponse("secret")

    assert SecretView.as_view()(_request(AnonymousUser())).status_code == 302
    with pytest.raises(PermissionDenied):
        SecretView.as_view()(_request(citizen))
