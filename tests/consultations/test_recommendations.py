"""Recommendations: sent by verified users as themselves or for their organisation,
sanitised, editable while the window is open, rate-limited, saved once per form;
reported and moderated with reasons the author sees."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from consultations import dates, services
from consultations.models import (
    Article,
    Consultation,
    ModerationLogEntry,
    Notification,
    Recommendation,
    RecommendationReport,
)

from .conftest import make_consultation, make_recommendation, pdf_bytes, upload

State = Consultation.State
Status = Recommendation.Status


def _send(consultation, author, text="<p>Propunere</p>", **extra):
    extra.setdefault("submission_key", uuid.uuid4())
    return services.recommendation_submit(
        consultation=consultation, author=author, text=text, **extra
    )


@pytest.fixture
def expired(institution):
    today = dates.local_today()
    return make_consultation(
        institution,
        opens_on=today - datetime.timedelta(days=12),
        closes_on=today - datetime.timedelta(days=1),
    )


# --- Sending -------------------------------------------------------------------------


def test_a_citizen_sends_a_public_recommendation(consultation, citizen):
    rec = _send(consultation, citizen)
    assert rec.status == Status.PUBLISHED
    assert rec.public_author == citizen.name


def test_pre_moderation_holds_the_recommendation(institution, citizen):
    consultation = make_consultation(institution, moderation=Consultation.Moderation.PRE)
    assert _send(consultation, citizen).status == Status.PENDING


def test_sending_for_an_organisation(consultation, ngo_member, citizen, organisation):
    """A member writes for their organisation, whose name is shown; others cannot."""
    rec = _send(consultation, ngo_member, organisation=organisation)
    assert rec.public_author == organisation.name
    with pytest.raises(ValidationError) as error:
        _send(consultation, citizen, organisation=organisation)
    assert "organisation" in error.value.message_dict
    assert Recommendation.objects.count() == 1


def test_a_person_may_hide_their_name(consultation, citizen):
    with translation.override("en"):
        rec = _send(consultation, citizen, hide_name=True)
        assert rec.public_author == "A person who asked not to be named"


def test_scripts_and_html_are_neutralised(consultation, citizen):
    """Scripts, event handlers, styles and javascript: links are removed; safe formatting
    stays; plain text becomes paragraphs."""
    rec = _send(
        consultation,
        citizen,
        text='<b>Bold</b><script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">x</a><p style="color:red">p</p>',
    )
    assert "<b>Bold</b>" in rec.text
    for bad in ("<script", "onerror", "javascript:", "style=", "<img"):
        assert bad not in rec.text
    plain = _send(consultation, citizen, text="Rândul 1\n\nRândul 2 <3")
    assert plain.text == "<p>Rândul 1</p>\n\n<p>Rândul 2 &lt;3</p>"


def test_an_empty_recommendation_is_refused(consultation, citizen):
    with pytest.raises(ValidationError):
        _send(consultation, citizen, text="<script>alert(1)</script>  ")
    assert not Recommendation.objects.exists()


def test_an_article_of_another_consultation_is_refused(consultation, institution, citizen):
    other = make_consultation(institution)
    article = Article.objects.create(consultation=other, position=1, label="Art. 1", text="x")
    with pytest.raises(ValidationError) as error:
        _send(consultation, citizen, article=article)
    assert "article" in error.value.message_dict


def test_attachments_are_checked_by_content(settings, consultation, citizen):
    """A real PDF is kept; a script named .pdf or a file too large is refused and leaves
    neither a recommendation nor a file behind."""
    rec = _send(consultation, citizen, attachment=upload("anexa.pdf", pdf_bytes()))
    assert rec.attachment_type == "application/pdf" and rec.attachment_name == "anexa.pdf"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(consultation, citizen, attachment=upload("anexa.pdf", b"<script>x</script>"))
    assert "not a PDF, DOCX or ODT" in str(error.value)
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 50
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(consultation, citizen, attachment=upload("mare.pdf", pdf_bytes()))
    assert "too large" in str(error.value)
    assert Recommendation.objects.count() == 1
    folder = f"consultations/{consultation.pk}/recommendations"
    stored = list((settings.PRIVATE_MEDIA_ROOT / folder).iterdir())
    assert len(stored) == 1
    assert not (settings.MEDIA_ROOT / folder).exists()  # never in the public media


def test_an_attachment_is_downloaded_only_by_who_may_see_the_recommendation(
    client, consultation, citizen, ngo_member, civil_servant
):
    """While published, anyone downloads it (as a download, never shown inline); once
    hidden, only its author and the moderators do: the public gets 404-like refusals and
    the file has no public address. The API links to the same checked download."""
    rec = _send(consultation, citizen, attachment=upload("anexa mea.pdf", pdf_bytes("secret")))
    url = reverse("consultations:recommendation-attachment", args=[rec.pk])
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "anexa" in response["Content-Disposition"]
    assert b"secret" in b"".join(response.streaming_content)
    api = client.get("/api/v1/recommendations/", {"consultation": consultation.pk})
    assert api.json()["results"][0]["attachment_url"] == f"http://testserver{url}"
    with pytest.raises(ValueError):
        rec.attachment.url  # noqa: B018 (private files have no public address)

    services.recommendation_moderate(
        recommendation=rec, actor=civil_servant, action="hide", reason="Date personale."
    )
    assert client.get(url).status_code in (302, 403, 404)  # anonymous: sign in first
    client.force_login(ngo_member)
    assert client.get(url).status_code in (403, 404)
    client.force_login(citizen)
    assert client.get(url).status_code == 200
    client.force_login(civil_servant)
    assert client.get(url).status_code == 200


def test_the_download_costs_one_query(client, consultation, citizen, django_assert_num_queries):
    rec = _send(consultation, citizen, attachment=upload("anexa.pdf", pdf_bytes()))
    url = reverse("consultations:recommendation-attachment", args=[rec.pk])
    with django_assert_num_queries(1):  # the recommendation with its consultation
        assert client.get(url).status_code == 200


def test_a_recommendation_without_attachment_has_no_download(client, consultation, citizen):
    rec = _send(consultation, citizen)
    url = reverse("consultations:recommendation-attachment", args=[rec.pk])
    assert client.get(url).status_code == 404


def test_recommendations_after_the_window_are_refused(expired, institution, citizen):
    """The last day ended: refused with the date, even before the beat closes it."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(expired, citizen)
    assert "closed at the end of" in str(error.value)
    closed = make_consultation(institution, state=State.CLOSED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(closed, citizen)
    assert "not open for recommendations" in str(error.value)
    assert not Recommendation.objects.exists()


def test_the_same_form_is_saved_once(consultation, citizen):
    key = uuid.uuid4()
    first = _send(consultation, citizen, submission_key=key)
    with pytest.raises(services.DuplicateSubmission) as duplicate:
        _send(consultation, citizen, submission_key=key)
    assert duplicate.value.recommendation == first
    assert Recommendation.objects.count() == 1


def test_sending_is_rate_limited_per_user(settings, consultation, citizen, ngo_member):
    settings.CONSULTATION_RECOMMENDATIONS_PER_HOUR = 2
    _send(consultation, citizen)
    _send(consultation, citizen)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(consultation, citizen)
    assert "in the last hour" in str(error.value)
    _send(consultation, ngo_member)  # another user is not affected
    Recommendation.objects.filter(author=citizen).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    _send(consultation, citizen)  # an hour later it works again
    assert Recommendation.objects.count() == 4


def test_who_cannot_send(consultation, civil_servant, unverified_user):
    """The owning institution's staff and unverified users cannot send."""
    for user in (civil_servant, unverified_user):
        with pytest.raises(PermissionDenied):
            _send(consultation, user)
    assert not Recommendation.objects.exists()


# --- Editing -----------------------------------------------------------------------------


def test_the_author_edits_while_the_window_is_open(consultation, citizen, ngo_member):
    rec = _send(consultation, citizen)
    services.recommendation_update(recommendation=rec, actor=citizen, text="Nou <script>x</script>")
    rec.refresh_from_db()
    assert rec.text == "<p>Nou </p>" or ("Nou" in rec.text and "<script" not in rec.text)
    assert rec.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.recommendation_update(recommendation=rec, actor=ngo_member, text="Furat")


def test_editing_after_the_window_or_once_hidden_is_refused(expired, consultation, citizen):
    old = make_recommendation(expired, citizen)
    with pytest.raises(ValidationError):
        services.recommendation_update(recommendation=old, actor=citizen, text="Prea târziu")
    hidden = make_recommendation(consultation, citizen, status=Status.HIDDEN)
    with pytest.raises(ValidationError):
        services.recommendation_update(recommendation=hidden, actor=citizen, text="Ocolire")
    old.refresh_from_db()
    hidden.refresh_from_db()
    assert "Prea târziu" not in old.text and "Ocolire" not in hidden.text


def test_under_pre_moderation_an_edit_waits_for_approval_again(institution, citizen):
    consultation = make_consultation(institution, moderation=Consultation.Moderation.PRE)
    rec = make_recommendation(consultation, citizen, status=Status.PUBLISHED)
    services.recommendation_update(recommendation=rec, actor=citizen, text="Modificat")
    rec.refresh_from_db()
    assert rec.status == Status.PENDING


# --- Reports and moderation --------------------------------------------------------------


def test_reports_raise_a_recommendation_in_the_queue(consultation, citizen, ngo_member, ngo_admin):
    from consultations import selectors

    calm = make_recommendation(consultation, citizen)
    hot = make_recommendation(consultation, citizen)
    services.recommendation_report(recommendation=hot, reporter=ngo_member, reason="Insulte")
    services.recommendation_report(recommendation=hot, reporter=ngo_admin, reason="Spam")
    services.recommendation_report(recommendation=calm, reporter=ngo_admin, reason="Off-topic")
    with pytest.raises(ValidationError):
        services.recommendation_report(recommendation=hot, reporter=ngo_member, reason="Again")
    with pytest.raises(ValidationError):
        services.recommendation_report(recommendation=hot, reporter=citizen, reason="Mine")
    assert list(selectors.moderation_queue(consultation, "reported")) == [hot, calm]
    hot.refresh_from_db()
    assert hot.report_count == 2
    assert RecommendationReport.objects.count() == 3


def test_hiding_needs_a_reason_the_author_sees(consultation, citizen, civil_servant):
    rec = make_recommendation(consultation, citizen, report_count=3)
    with pytest.raises(ValidationError):
        services.recommendation_moderate(recommendation=rec, actor=civil_servant, action="hide")
    entry = services.recommendation_moderate(
        recommendation=rec, actor=civil_servant, action="hide", reason="Date personale."
    )
    rec.refresh_from_db()
    assert rec.status == Status.HIDDEN and rec.moderation_reason == "Date personale."
    assert rec.report_count == 0
    assert entry.action == ModerationLogEntry.Action.HIDDEN
    notification = Notification.objects.get(user=citizen)
    assert notification.kind == Notification.Kind.RECOMMENDATION_MODERATED
    assert (notification.action, notification.detail) == ("hidden", "Date personale.")


def test_restore_approve_and_dismiss(institution, citizen, civil_servant):
    consultation = make_consultation(institution, moderation=Consultation.Moderation.PRE)
    pending = make_recommendation(consultation, citizen, status=Status.PENDING)
    services.recommendation_moderate(recommendation=pending, actor=civil_servant, action="approve")
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED
    services.recommendation_moderate(
        recommendation=pending, actor=civil_servant, action="hide", reason="Greșit"
    )
    services.recommendation_moderate(
        recommendation=pending, actor=civil_servant, action="restore", reason="Revizuit: ok."
    )
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED and pending.moderation_reason == "Revizuit: ok."
    reported = make_recommendation(consultation, citizen, report_count=2)
    services.recommendation_moderate(recommendation=reported, actor=civil_servant, action="dismiss")
    reported.refresh_from_db()
    assert reported.report_count == 0 and reported.status == Status.PUBLISHED
    actions = list(
        ModerationLogEntry.objects.order_by("created_at", "pk").values_list("action", flat=True)
    )
    assert actions == ["approved", "hidden", "restored", "reports_dismissed"]
    # The author heard of the first three, not of the dismissed reports.
    assert Notification.objects.filter(user=citizen).count() == 3


def test_an_action_that_does_not_apply_changes_nothing(consultation, citizen, civil_servant):
    rec = make_recommendation(consultation, citizen)
    with pytest.raises(ValidationError):
        services.recommendation_moderate(
            recommendation=rec, actor=civil_servant, action="restore", reason="x"
        )
    with pytest.raises(ValidationError):
        services.recommendation_moderate(recommendation=rec, actor=civil_servant, action="approve")
    assert not ModerationLogEntry.objects.exists()


def test_another_institution_cannot_moderate(
    consultation, citizen, other_civil_servant, coordinator
):
    rec = make_recommendation(consultation, citizen)
    for actor in (other_civil_servant, coordinator, citizen):
        with pytest.raises(PermissionDenied):
            services.recommendation_moderate(
                recommendation=rec, actor=actor, action="hide", reason="x"
            )
    rec.refresh_from_db()
    assert rec.status == Status.PUBLISHED


# --- Pages -----------------------------------------------------------------------------


def _post_recommendation(client, consultation, **extra):
    data = {"text": "<p>Din pagină</p>", "submission_key": str(uuid.uuid4())}
    data.update(extra)
    return client.post(
        reverse("consultations:recommend", args=[consultation.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_sending_from_the_page_and_sending_twice(client, consultation, citizen):
    """The page saves the recommendation once, however many times the form is sent."""
    client.force_login(citizen)
    key = str(uuid.uuid4())
    first = _post_recommendation(client, consultation, submission_key=key)
    rec = Recommendation.objects.get()
    assert first.status_code == 302 and first.url == rec.get_absolute_url()
    second = _post_recommendation(client, consultation, submission_key=key)
    assert second.status_code == 302 and second.url == rec.get_absolute_url()
    page = client.get(second.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "already sent" in page
    assert Recommendation.objects.count() == 1


def test_the_page_neutralises_scripts(client, consultation, citizen):
    client.force_login(citizen)
    _post_recommendation(client, consultation, text="<script>alert('x')</script>Text")
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "alert('x')" not in page
    assert "Text" in page


def test_the_formatting_the_form_promises_is_shown_on_the_page(client, consultation, citizen):
    """What the help text promises (paragraphs, "-" lists, **bold**, web addresses as
    links) is what readers see on the consultation's page, not the raw asterisks."""
    client.force_login(citizen)
    form = client.get(
        reverse("consultations:recommend", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "put **two asterisks** around words in bold" in form
    text = (
        "Propunem două modificări:\n- termenul de **120 de zile**;\n- un raport anual.\n\n"
        "Detalii: https://example.org/studiu"
    )
    _post_recommendation(client, consultation, text=text)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert (
        "<ul><li>termenul de <strong>120 de zile</strong>;</li><li>un raport anual.</li></ul>"
        in page
    )
    assert '<a href="https://example.org/studiu"' in page
    assert "**" not in page.split("Propunem două modificări")[1].split("</article>")[0]


def test_sending_after_the_window_from_the_page(client, expired, citizen):
    """A clear message, and nothing saved."""
    client.force_login(citizen)
    response = _post_recommendation(client, expired)
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "closed at the end of" in page
    assert not Recommendation.objects.exists()


def test_recommend_page_for_others(client, consultation, civil_servant, unverified_user):
    assert _post_recommendation(client, consultation).status_code == 302  # to sign in
    client.force_login(civil_servant)
    assert _post_recommendation(client, consultation).status_code == 403
    client.force_login(unverified_user)
    assert _post_recommendation(client, consultation).status_code == 403
    assert not Recommendation.objects.exists()


def test_editing_from_the_page(client, consultation, citizen, ngo_member):
    rec = make_recommendation(consultation, citizen)
    url = reverse("consultations:recommendation-edit", args=[rec.pk])
    client.force_login(ngo_member)
    assert client.get(url).status_code == 403
    client.force_login(citizen)
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Editat"}).status_code == 302
    rec.refresh_from_db()
    assert "Editat" in rec.text


def test_reporting_and_moderating_from_the_pages(
    client, consultation, citizen, ngo_member, civil_servant
):
    rec = make_recommendation(consultation, citizen)
    client.force_login(ngo_member)
    report_url = reverse("consultations:recommendation-report", args=[rec.pk])
    assert client.get(report_url).status_code == 200
    assert client.post(report_url, {"reason": "Injurii"}).status_code == 302
    moderate_url = reverse("consultations:moderate", args=[rec.pk])
    assert client.post(moderate_url, {"action": "hide", "reason": "x"}).status_code == 403
    client.force_login(civil_servant)
    queue = client.get(reverse("consultations:moderation", args=[consultation.pk]))
    assert [r.pk for r in queue.context["page"].object_list] == [rec.pk]
    response = client.post(moderate_url, {"action": "hide", "reason": "Limbaj.", "tab": "reported"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.HIDDEN
    log = client.get(reverse("consultations:moderation-log", args=[consultation.pk]))
    assert "Limbaj." in log.content.decode()


def test_moderation_queue_query_count(
    quiet_nav, client, consultation, citizen, civil_servant, django_assert_num_queries
):
    for index in range(60):
        make_recommendation(consultation, citizen, report_count=index % 4)
    client.force_login(civil_servant)
    url = reverse("consultations:moderation", args=[consultation.pk])
    # session, user, consultation, institution roles, counts, page count, page, and the
    # reports' reasons of the page
    with django_assert_num_queries(8):
        response = client.get(url + "?tab=all")
    assert response.status_code == 200
    reports = [r.report_count for r in response.context["page"].object_list]
    assert reports == sorted(reports, reverse=True)


def test_moderation_log_query_count(
    quiet_nav, client, consultation, citizen, civil_servant, django_assert_num_queries
):
    for _index in range(5):
        rec = make_recommendation(consultation, citizen)
        services.recommendation_moderate(
            recommendation=rec, actor=civil_servant, action="hide", reason="x"
        )
    client.force_login(civil_servant)
    # session, user, consultation, institution roles, page count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("consultations:moderation-log", args=[consultation.pk]))
    assert response.status_code == 200


def test_the_migration_moves_attachments_already_uploaded_out_of_public_media(
    settings, consultation, citizen
):
    """Files uploaded before attachments became private are moved under the same name."""
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from conect.core.storage import private_storage

    migration = importlib.import_module(
        "consultations.migrations.0002_recommendation_attachment_private"
    )
    rec = _send(consultation, citizen)
    name = f"consultations/{consultation.pk}/recommendations/old.pdf"
    default_storage.save(name, ContentFile(pdf_bytes("old")))
    Recommendation.objects.filter(pk=rec.pk).update(attachment=name)
    migration.to_private(apps, None)
    assert not default_storage.exists(name)
    assert private_storage().open(name).read() == pdf_bytes("old")
    migration.to_public(apps, None)
    assert default_storage.exists(name) and not private_storage().exists(name)
