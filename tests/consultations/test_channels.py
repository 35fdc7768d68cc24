"""Recommendations from every channel: received by e-mail, post, at a debate, by phone or
in person, recorded by the institution's staff, answered like the others and counted in
the synthesis, the scoreboard and the annual report."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from consultations import dates, selectors, services
from consultations.models import Channel, Consultation, Recommendation

from .conftest import make_consultation, make_recommendation, pdf_bytes, upload

State = Consultation.State
ROLES = [
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "coordinator",
]


def _record(consultation, actor, **extra):
    values = {
        "consultation": consultation,
        "actor": actor,
        "channel": Channel.EMAIL,
        "received_on": dates.local_today(),
        "text": "Propunem eliminarea alineatului 3.",
        "sender_name": "Ana Popescu",
    }
    values.update(extra)
    return services.recommendation_record(**values)


@pytest.fixture
def users(citizen, ngo_member, ngo_admin, civil_servant, other_civil_servant, coordinator):
    return {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "ngo_member": ngo_member,
        "ngo_admin": ngo_admin,
        "civil_servant": civil_servant,
        "other_civil_servant": other_civil_servant,
        "coordinator": coordinator,
    }


def test_recording_grid_of_roles_and_states(users, institution):
    """Only the owning institution's civil servants record, and only while the
    consultation is open, closed or under analysis: the permission and the service agree
    for every role in every state, and a refusal writes nothing."""
    for state in State.values:
        consultation = make_consultation(institution, state=state)
        for role in ROLES:
            user = users[role]
            expected = role == "civil_servant" and state in (
                State.OPEN,
                State.CLOSED,
                State.UNDER_ANALYSIS,
            )
            assert user.has_perm("consultations.record_recommendation", consultation) is expected, (
                role,
                state,
            )
            if role == "anonymous":
                continue
            before = Recommendation.objects.count()
            if expected:
                _record(consultation, user, received_on=consultation.opens_on)
                assert Recommendation.objects.count() == before + 1
            else:
                with pytest.raises((PermissionDenied, ValidationError)):
                    _record(consultation, user, received_on=consultation.opens_on)
                assert Recommendation.objects.count() == before


def test_a_person_is_named_only_with_consent(consultation, civil_servant):
    """A citizen's e-mailed recommendation is published under their name only if they
    agreed; otherwise as "a person", with the text."""
    anonymous = _record(consultation, civil_servant)
    named = _record(consultation, civil_servant, name_consent=True)
    with translation.override("en"):
        assert anonymous.public_author == "A person"
    assert named.public_author == "Ana Popescu"
    assert anonymous.status == Recommendation.Status.PUBLISHED
    assert anonymous.recorded_by == civil_servant and anonymous.author is None


def test_an_organisation_from_the_registry_or_as_written(consultation, civil_servant, organisation):
    """An organisation is linked to the registry when it is there, or named as written;
    its name is public either way."""
    linked = _record(consultation, civil_servant, organisation=organisation, sender_name="")
    written = _record(
        consultation, civil_servant, sender_name="Sindicatul X", sender_is_organisation=True
    )
    assert linked.organisation == organisation and linked.public_author == organisation.name
    assert written.public_author == "Sindicatul X"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"channel": Channel.ONLINE}, "channel"),
        ({"received_on": None}, "received_on"),
        ({"sender_name": "  "}, "sender_name"),
    ],
)
def test_bad_input_is_refused_with_a_message(consultation, civil_servant, extra, field):
    with pytest.raises(ValidationError) as error:
        _record(consultation, civil_servant, **extra)
    assert field in error.value.message_dict
    assert not Recommendation.objects.exists()


def test_the_date_received_is_within_the_consultation(consultation, civil_servant):
    """Not in the future, not before the consultation opened."""
    for day in (
        dates.local_today() + datetime.timedelta(days=1),
        consultation.opens_on - datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as error:
            _record(consultation, civil_servant, received_on=day)
        assert "received_on" in error.value.message_dict
    assert not Recommendation.objects.exists()


def test_recorded_ones_go_through_the_same_dispositions_and_synthesis(
    institution, civil_servant, citizen
):
    """Recorded while under analysis, answered with the others, and in the synthesis
    with its channel."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    online = make_recommendation(consultation, citizen)
    letter = _record(
        consultation, civil_servant, channel=Channel.POST, received_on=consultation.closes_on
    )
    answered = services.recommendations_answer(
        consultation=consultation,
        actor=civil_servant,
        recommendation_ids=[online.pk, letter.pk],
        disposition="rejected",
        justification="Contravine legii.",
    )
    assert answered == 2
    synthesis = selectors.synthesis(consultation)
    assert synthesis.total == 2 and synthesis.counts["rejected"] == 2
    # counted on the day it was received
    letter.refresh_from_db()
    assert timezone.localdate(letter.created_at) == consultation.closes_on


def test_the_recording_page(client, consultation, civil_servant, citizen):
    """The staff record one from the consultation's page; an unnamed person shows as "a
    person", with the channel; a citizen is refused the page."""
    url = reverse("consultations:recommendation-record", args=[consultation.pk])
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(civil_servant)
    assert client.get(url).status_code == 200
    data = {
        "channel": "post",
        "received_on": dates.local_today().isoformat(),
        "sender_name": "Ion Ionescu",
        "text": "Scrisoare: propunem un termen mai lung.",
        "attachments": [
            upload("scrisoare.pdf", pdf_bytes("pagina 1")),
            upload("pagina2.pdf", pdf_bytes("pagina 2")),
        ],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.channel == "post" and recommendation.attachment_name == "scrisoare.pdf"
    client.logout()
    page = client.get(consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A person" in page and "Ion Ionescu" not in page
    assert "Received by post on" in page


def test_the_recording_form_shows_errors_in_words(client, consultation, civil_servant):
    """An empty form is answered with the server's messages (no browser validation)."""
    client.force_login(civil_servant)
    url = reverse("consultations:recommendation-record", args=[consultation.pk])
    response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose how the recommendation was received." in content
    assert "novalidate" in content
    assert not Recommendation.objects.exists()


def test_synthesis_csv_for_a_romanian_reader(client, institution, civil_servant, citizen):
    """`;`-separated, with translated headers and values and the channel of each."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    _record(consultation, civil_servant, channel=Channel.PHONE, received_on=consultation.opens_on)
    civil_servant.preferred_language = "ro"
    civil_servant.save(update_fields=["preferred_language"])
    client.force_login(civil_servant)
    response = client.get(
        reverse("consultations:synthesis-csv", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="ro"
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    with translation.override("ro"):
        assert rows[0][0] == translation.gettext("Number")
        assert rows[0][4] == translation.gettext("Received")
        assert rows[1][4] == str(Channel.PHONE.label)
        assert rows[1][1] == translation.gettext("General")
    assert len(rows[0]) == 9


def test_scoreboard_counts_every_channel_and_the_online_ones(
    client, consultation, civil_servant, citizen, quiet_nav
):
    make_recommendation(consultation, citizen)
    make_recommendation(consultation, citizen, status=Recommendation.Status.HIDDEN)
    _record(consultation, civil_servant)
    _record(consultation, civil_servant, channel=Channel.DEBATE)
    row = selectors.scoreboard(consultation.institution_id).get()
    assert (row.recommendations_received, row.recommendations_online) == (3, 1)
    page = client.get(reverse("consultations:scoreboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "(33%)" in page.content.decode()


def test_detail_page_queries_do_not_grow_with_recorded_ones(
    quiet_nav, client, consultation, citizen, civil_servant, django_assert_num_queries
):
    """Recorded recommendations are on the same page at the same cost."""
    for index in range(30):
        make_recommendation(consultation, citizen)
        _record(consultation, civil_servant, name_consent=index % 2 == 0)
    # The page's lookups of other apps cached (page 2: page 1's list is not).
    client.get(consultation.get_absolute_url(), {"page": 2})
    with django_assert_num_queries(12):
        response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


def test_a_citizen_finds_the_recommendation_they_sent_by_email(
    quiet_nav, client, consultation, citizen, civil_servant, django_assert_num_queries
):
    """Among the others, the person who e-mailed a recommendation finds it on the
    consultation's page by how it came and a few of its words, typed with or without
    diacritics; a channel that does not exist is ignored; the same queries as the page
    without the search."""
    for _index in range(30):
        make_recommendation(consultation, citizen)
    _record(consultation, civil_servant, text="Școlile să primească fonduri pentru transport.")
    _record(consultation, civil_servant, text="Școlile să aibă psiholog.", channel=Channel.POST)
    _record(consultation, civil_servant, text="Alt subiect.")
    url = consultation.get_absolute_url()
    client.get(url)  # the page's lookups of other apps cached
    with django_assert_num_queries(12):
        response = client.get(url, {"channel": "email", "q": "scolile FONDURI"})
    found = response.context["page"].object_list
    assert [r.text for r in found] == ["<p>Școlile să primească fonduri pentru transport.</p>"]
    html = response.content.decode()
    assert '<option value="email" selected>' in html and 'value="scolile FONDURI"' in html
    response = client.get(url, {"channel": "fax", "q": "școlile"})
    assert len(response.context["page"].object_list) == 2
    response = client.get(url, {"channel": "post"})
    assert [r.channel for r in response.context["page"].object_list] == ["post"]


def test_published_synthesis_is_served_from_the_cache_until_moderated(
    quiet_nav,
    client,
    institution,
    civil_servant,
    citizen,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """A published synthesis of many recommendations (some recorded) is read once, then
    served from the shared cache; hiding one afterwards shows at once."""
    consultation = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    recs = [make_recommendation(consultation, citizen) for _n in range(20)]
    for _n in range(10):
        make_recommendation(consultation, None, channel=Channel.EMAIL, sender_name="X")
    url = reverse("consultations:synthesis", args=[consultation.pk])
    # consultation, then the synthesis: recommendations, articles, hidden count
    with django_assert_num_queries(4):
        first = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "30 published recommendations" in first.content.decode()
    with django_assert_num_queries(1):
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_moderate(
            recommendation=recs[0], actor=civil_servant, action="hide", reason="Ofensator."
        )
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "29 published recommendations" in again


def test_organisation_suggestions_for_the_recording_staff(
    client, consultation, civil_servant, citizen, organisation
):
    """The staff find the sender among the registry's organisations by a few letters;
    nobody else may ask."""
    organisation.search_name = "asociatia exemplu"  # as the registry's services fold it
    organisation.save(update_fields=["search_name"])
    url = reverse("consultations:organisation-options", args=[consultation.pk])
    client.force_login(citizen)
    assert client.get(url, {"q": "exemplu"}).status_code == 403
    client.force_login(civil_servant)
    found = client.get(url, {"q": "exemplu"}).json()
    assert found == [{"id": organisation.pk, "label": organisation.name}]


def test_the_api_says_how_each_recommendation_came(client, consultation, civil_servant, citizen):
    make_recommendation(consultation, citizen)
    _record(consultation, civil_servant, channel=Channel.POST)
    response = client.get("/api/v1/recommendations/", {"consultation": consultation.pk})
    channels = sorted(r["channel"] for r in response.json()["results"])
    assert channels == ["online", "post"]


def test_the_api_finds_them_by_channel_and_words_and_exports_the_channel(
    client, consultation, civil_servant, citizen, django_assert_num_queries
):
    """The API filters the recommendations as the page does (?channel=, ?q= without
    diacritics) at the same cost, its CSV says how and when each one was received, and
    a channel that does not exist is refused with a message."""
    make_recommendation(consultation, citizen)
    _record(consultation, civil_servant, text="Școlile rurale au nevoie de microbuze.")
    _record(consultation, civil_servant, text="Altceva.", channel=Channel.POST)
    url = "/api/v1/recommendations/"
    client.get(url)  # the API's lookups of other apps cached
    with django_assert_num_queries(2):
        rows = client.get(url, {"channel": "email", "q": "scolile RURALE"}).json()["results"]
    assert [r["channel"] for r in rows] == ["email"]
    assert "microbuze" in rows[0]["text"]
    refused = client.get(url, {"channel": "fax"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "channel" in refused.json()["error"]["details"]
    response = client.get(url, {"format": "csv", "channel": "post"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    header = lines[0].split(",")
    assert "channel" in header and "received_on" in header
    row = dict(zip(header, lines[1].split(","), strict=False))
    assert row["channel"] == "post" and row["received_on"] == dates.local_today().isoformat()


def test_every_file_of_a_letter_and_who_may_download_it(
    client, consultation, civil_servant, citizen
):
    """A letter's pages are all kept; anyone downloads them while the recommendation is
    public, only the institution once it is hidden; a bad file keeps nothing."""
    recommendation = _record(
        consultation,
        civil_servant,
        attachments=[upload(f"p{n}.pdf", pdf_bytes(f"pagina {n}")) for n in range(3)],
    )
    files = list(recommendation.files.all())
    assert recommendation.attachment_name == "p0.pdf" and [f.name for f in files] == [
        "p1.pdf",
        "p2.pdf",
    ]
    listing = client.get(reverse("consultations:recommendation-files", args=[recommendation.pk]))
    assert "p2.pdf" in listing.content.decode()
    download = reverse("consultations:recommendation-file", args=[files[0].pk])
    assert client.get(download).status_code == 200
    services.recommendation_moderate(
        recommendation=recommendation, actor=civil_servant, action="hide", reason="Date."
    )
    client.force_login(citizen)
    assert client.get(download).status_code == 403
    with pytest.raises(ValidationError):
        _record(
            consultation,
            civil_servant,
            attachments=[upload("a.pdf", pdf_bytes()), upload("b.exe", b"MZ\x90\x00")],
        )
    assert Recommendation.objects.count() == 1
