"""A follow (and unfollow) button on the pages whose changes people can follow: a
consultation's page and an institution's page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import notifications, services
from consultations.models import Consultation, Follow

from .conftest import make_consultation

State = Consultation.State


@pytest.mark.parametrize("kind", ["consultation", "institution"])
def test_follow_and_unfollow_from_the_page(client, institution, citizen, kind):
    """A verified user follows from the page and is brought back to it, where the button
    now offers to stop following; stopping brings them back again."""
    consultation = make_consultation(institution)
    target = consultation if kind == "consultation" else institution
    url = target.get_absolute_url()
    client.force_login(citizen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(url).content.decode()
    assert f'<input type="hidden" name="{kind}" value="{target.pk}">' in html
    assert f"Follow this {kind}" in html
    response = client.post(reverse("consultations:follow"), {kind: target.pk, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    follow = Follow.objects.get(user=citizen)
    assert getattr(follow, kind) == target
    html = client.get(url).content.decode()
    assert f"Stop following this {kind}" in html
    assert reverse("consultations:unfollow", args=[follow.pk]) in html
    response = client.post(reverse("consultations:unfollow", args=[follow.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert not Follow.objects.filter(user=citizen).exists()


def test_a_visitor_is_offered_to_sign_in(client, institution):
    """A visitor sees a link to sign in that brings them back to the page."""
    consultation = make_consultation(institution)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for target, words in ((consultation, "consultation"), (institution, "institution")):
        html = client.get(target.get_absolute_url()).content.decode()
        login = reverse("account_login") + "?next=" + target.get_absolute_url()
        assert f'href="{login}">Sign in to follow this {words}</a>' in html


def test_a_draft_cannot_be_followed(institution, citizen):
    """Only a published consultation can be followed; nothing is written otherwise."""
    draft = make_consultation(institution, state=State.DRAFT)
    with pytest.raises(ValidationError):
        services.follow_create(actor=citizen, target=draft)
    assert not Follow.objects.exists()


def test_following_a_consultation_or_its_institution_brings_its_news(
    institution, other_institution, citizen, ngo_member
):
    """Who follows a consultation hears of its changes; who follows an institution hears
    when it opens a consultation; the follower of another institution hears nothing."""
    consultation = make_consultation(institution, is_national=False)
    services.follow_create(actor=citizen, target=consultation)
    services.follow_create(actor=ngo_member, target=other_institution)
    assert set(notifications.follower_user_ids(consultation)) == {citizen.pk}
    services.follow_create(actor=ngo_member, target=institution)
    assert set(notifications.follower_user_ids(consultation)) == {citizen.pk, ngo_member.pk}


def test_the_button_costs_one_query(client, institution, citizen, django_assert_num_queries):
    """The follow button adds one query to a page for a signed-in user, none for a
    visitor."""
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template("{% load consultations_tags %}{% follow_button institution %}")
    request = RequestFactory().get("/")
    request.user = citizen
    citizen._conect_verified = True
    with django_assert_num_queries(1):
        template.render(Context({"request": request, "institution": institution}))
