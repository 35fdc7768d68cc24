"""A follow (and unfollow) button on the pages whose changes people can follow: a
consultation's page, an institution's page, and the consultations list filtered by a
domain, a county, a region or an institution."""

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


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("domain", "the consultations in the domain Education"),
        ("county", "the consultations concerning Cluj"),
        ("region", "the consultations concerning Nord-Vest"),
    ],
)
def test_the_list_filtered_by_a_domain_or_territory_offers_to_follow_it(
    client, institution, domain, county, citizen, name, words
):
    """The consultations of a domain, a county or a region (the list filtered by it) can
    be followed from that list: the follower is brought back to it, where the button
    offers to stop; a visitor is offered to sign in; the unfiltered list offers nothing."""
    targets = {"domain": domain, "county": county, "region": county.region}
    target = targets[name]
    value = {"domain": domain.slug, "county": county.code, "region": county.region.code}[name]
    url = reverse("consultations:list") + f"?{name}={value}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(url).content.decode()
    assert f"Sign in to follow {words}" in html
    client.force_login(citizen)
    assert "follow-button" not in client.get(reverse("consultations:list")).content.decode()
    html = client.get(url).content.decode()
    assert f'<input type="hidden" name="{name}" value="{target.pk}">' in html
    assert f"Follow {words}</button>" in html
    response = client.post(reverse("consultations:follow"), {name: target.pk, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    follow = Follow.objects.get(user=citizen)
    assert getattr(follow, name) == target
    html = client.get(url).content.decode()
    assert f"Stop following {words}</button>" in html
    response = client.post(reverse("consultations:unfollow", args=[follow.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert not Follow.objects.filter(user=citizen).exists()


def test_the_filtered_list_costs_one_query_more_per_button(
    client, institution, domain, citizen, django_assert_num_queries
):
    """Filtered by a domain and an institution, the list shows both buttons, each one
    query for a signed-in user, whatever the number of consultations."""
    for index in range(5):
        make_consultation(institution, title=f"Consultare {index}").domains.add(domain)
    client.force_login(citizen)
    url = reverse("consultations:list") + f"?domain={domain.slug}&institution={institution.pk}"
    client.get(url)  # the session and the caches warmed
    # session, user, the domain and the institution chosen, count, page, domains
    # prefetch, the filter form's choices, and one query per follow button (2).
    with django_assert_num_queries(11) as captured:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("follow-button") == 2
    follows = [q["sql"] for q in captured.captured_queries if "consultations_follow" in q["sql"]]
    assert len(follows) == 2
