"""The feedback's pages, the registry's institution page, the dashboard and the API:
what each shows and its query count."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from registry.map.selectors import compute_map_statistics
from surveys.feedback import selectors, services
from surveys.feedback.models import Answer, CommonService, Service

from .conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(service, other_service):
    give(service, 12, satisfaction=4, courtesy=5, comment="Bine.")
    give(other_service, 3)
    return service


def test_index_page(rated, client_en, django_assert_num_queries):
    """The national page: the monthly table beside its chart, every region and county;
    five queries, none once cached."""
    with django_assert_num_queries(5):
        response = client_en.get(reverse("feedback:index"))
    html = response.content.decode()
    assert 'data-chart="series"' in html and 'id="feedback-charts"' in html
    assert 'id="table-regions"' in html and 'id="table-counties"' in html
    assert "National level (services with no county)" in html
    assert "js/feedback.js" in html
    with django_assert_num_queries(0):
        client_en.get(reverse("feedback:index"))


def test_service_page(rated, coordinator, client_en, django_assert_num_queries):
    """A service's page: its index, its published comments with the public replies; a
    constant number of queries."""
    for answer in Answer.objects.filter(service=rated)[:5]:
        services.comment_moderate(answer=answer, actor=coordinator, decision="published")
    url = reverse("feedback:service-detail", args=[rated.code])
    with django_assert_num_queries(4):  # service, index, comments count and page
        response = client_en.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<article") == 5
    assert "100.0% satisfied answers in the last 12 months (12 answers)." in (
        response.content.decode()
    )


def test_institution_feedback_page(rated, client_en, django_assert_num_queries):
    """An institution's feedback page lists its services with their index."""
    url = reverse("feedback:institution", args=[rated.institution_id])
    with django_assert_num_queries(4):  # institution, then services, series, by service
        response = client_en.get(url)
    html = response.content.decode()
    assert rated.name in html and 'id="table-services"' in html


def test_registry_institution_page_shows_the_index(rated, client_en, django_assert_num_queries):
    """The registry's page of the institution shows its services' index and chart; the
    feedback adds three queries the first time and none once cached."""
    url = reverse("registry:institution-detail", args=[rated.institution_id])
    client_en.get(url)
    with django_assert_num_queries(4):  # the registry's own, feedback cached
        response = client_en.get(url)
    html = response.content.decode()
    assert 'id="feedback-heading"' in html and 'data-chart="feedback_series"' in html
    assert 'id="table-feedback-services"' in html


def test_dashboard_shows_the_indices(rated, coordinator, django_assert_max_num_queries):
    """The coordinators' dashboard has the feedback section: the national index by month,
    by region, the lowest institutions and the comments waiting."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    html = client.get(reverse("map:dashboard")).content.decode()
    assert 'id="table-feedback-regions"' in html and 'id="table-feedback-lowest"' in html
    assert "12 comments wait for moderation." in html
    assert 'data-chart="feedback_regions"' in html


def test_map_layer_counts_answers_by_county(rated, county):
    """The map's feedback layer counts the answers of the last 12 months in the county
    of each service; a service with no county counts at national level."""
    stats = compute_map_statistics()
    assert "feedback" in stats["layers"]
    cluj = next(c for c in stats["counties"] if c["code"] == county.code)
    assert cluj["counts"]["feedback"] == 12
    assert stats["national"]["feedback"] == 3
    assert stats["total"]["feedback"] == 15


def _row(html, table_id, name):
    """The cells after the row header `name` in the table `table_id`."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf">{re.escape(name)}</a></th>(.*?)</tr>", table, re.S)
    return re.findall(r'<td class="text-end">([^<]*)</td>', row.group(1)) if row else None


def test_map_shows_the_satisfaction_index_by_region_and_county(
    rated, county, client_en, django_assert_num_queries
):
    """On the national map, the feedback layer shows the satisfaction index of each
    region and county (answers, share satisfied, averages) beside a chart, and only the
    counties of the region the map shows; the feedback adds five queries, none once
    cached. The other layers carry only a hidden link to it, and no query."""
    url = reverse("map:map")
    html = client_en.get(url).content.decode()  # the map's own numbers, now cached
    section = html.split('id="map-feedback"', 1)[1].split(">", 1)[0]
    assert " hidden" in section and "table-map-feedback-regions" not in html
    with django_assert_num_queries(0):
        client_en.get(url)

    with django_assert_num_queries(5):
        response = client_en.get(url, {"layer": "feedback"})
    html = response.content.decode()
    section = html.split('id="map-feedback"', 1)[1].split(">", 1)[0]
    assert " hidden" not in section
    assert 'data-chart="feedback_map_regions"' in html and "vendor/chart.js" in html
    region = county.region
    assert _row(html, "table-map-feedback-regions", region.name)[:3] == ["12", "100.0", "4.00"]
    assert _row(html, "table-map-feedback-regions", "Vest") == ["0", "—", "—", "—", "—", "—", "—"]
    assert _row(html, "table-map-feedback-counties", county.name)[:2] == ["12", "100.0"]
    assert _row(html, "table-map-feedback-counties", "Timiș") is not None
    assert f'href="/feedback/?county={county.code}"' in html

    with django_assert_num_queries(0):
        response = client_en.get(url, {"layer": "feedback", "region": region.code})
    html = response.content.decode()
    assert f"Counties of {region.name}" in html
    assert _row(html, "table-map-feedback-counties", county.name)[:2] == ["12", "100.0"]
    assert _row(html, "table-map-feedback-counties", "Timiș") is None


def test_staff_answers_and_csv_export(rated, city_hall_staff, client_en, django_assert_num_queries):
    """The institution's staff read its answers (a constant number of queries) and
    download them as CSV, without the e-mail addresses."""
    give(rated, 1, email="ana@example.org", comment="Vă rog să-mi răspundeți.")
    client_en.force_login(city_hall_staff)
    url = reverse("feedback:answers", args=[rated.institution_id])
    client_en.get(url)
    with django_assert_num_queries(7):  # session, user, roles, institution, count, page, nav
        response = client_en.get(url)
    assert response.status_code == 200
    csv = b"".join(
        client_en.get(
            reverse("feedback:answers-csv", args=[rated.institution_id])
        ).streaming_content
    ).decode("utf-8-sig")
    assert "Vă rog să-mi răspundeți." in csv
    assert "ana@example.org" not in csv
    assert len(csv.strip().splitlines()) == 14  # header + 13 answers


def test_other_institution_cannot_read_the_answers(rated, other_civil_servant, client_en):
    """A civil servant of another institution gets 403 on the answers and their CSV;
    a visitor is sent to sign in."""
    url = reverse("feedback:answers", args=[rated.institution_id])
    assert Client().get(url).status_code == 302
    client_en.force_login(other_civil_servant)
    assert client_en.get(url).status_code == 403
    csv = reverse("feedback:answers-csv", args=[rated.institution_id])
    assert client_en.get(csv).status_code == 403


def test_adopt_services_of_the_catalogue(city_hall, city_hall_staff, coordinator, client_en):
    """A coordinator adds a service for every city hall; the city hall adopts it once,
    in its county."""
    client_en.force_login(coordinator)
    client_en.post(
        reverse("feedback:catalogue"),
        {"name": "Certificat de urbanism", "channel": "counter", "institution_kind": "city_hall"},
    )
    common = CommonService.objects.get()
    client_en.force_login(city_hall_staff)
    response = client_en.post(
        reverse("feedback:adopt", args=[city_hall.pk]), {"common_services": [common.pk]}
    )
    assert response.status_code == 302
    service = Service.objects.get(common=common)
    assert service.institution == city_hall and service.county_id == city_hall.county_id
    page = client_en.get(reverse("feedback:adopt", args=[city_hall.pk]))
    assert "There is no service of the catalogue left to adopt." in page.content.decode()


def test_coordinator_adds_a_list_of_catalogue_services_at_once(
    city_hall, city_hall_staff, coordinator, client_en
):
    """A coordinator adds a list of services for every city hall in one step: one per
    line, blank lines and repeats dropped, those the catalogue already has for city halls
    told and left out; the city hall can then adopt each. A line too long refuses the
    whole list with a clear message and adds nothing; a civil servant cannot add."""
    CommonService.objects.create(name="Certificat de urbanism", institution_kind="city_hall")
    CommonService.objects.create(name="Avizare", institution_kind="prefecture")
    url = reverse("feedback:catalogue")
    data = {"list-institution_kind": "city_hall", "list-channel": "counter"}

    client_en.force_login(city_hall_staff)
    refused = client_en.post(url, {**data, "list-names": "Autorizație de construire"})
    assert refused.status_code == 403
    assert CommonService.objects.count() == 2

    client_en.force_login(coordinator)
    too_long = "Autorizație de construire\n" + "x" * 201
    response = client_en.post(url, {**data, "list-names": too_long})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 200 characters (it has 201)." in html
    assert CommonService.objects.count() == 2

    names = "\n".join(
        [
            "Autorizație de construire",
            "",
            "  Avizare ",  # a prefecture's service: a city hall may have one too
            "certificat de urbanism",
            "Autorizație de construire",
            "Înregistrarea nașterii",
        ]
    )
    response = client_en.post(url, {**data, "list-names": names}, follow=True)
    html = response.content.decode()
    assert "3 services were added to the catalogue." in html
    assert (
        "This service is already in the catalogue and was not added again: "
        "“certificat de urbanism”." in html
    )
    added = CommonService.objects.filter(institution_kind="city_hall", created_by=coordinator)
    assert sorted(added.values_list("name", flat=True)) == [
        "Autorizație de construire",
        "Avizare",
        "Înregistrarea nașterii",
    ]
    assert set(added.values_list("channel", flat=True)) == {"counter"}

    empty = client_en.post(url, {**data, "list-names": "\n  \n"})
    assert "Write at least one service, one per line." in empty.content.decode()
    assert CommonService.objects.count() == 5

    client_en.force_login(city_hall_staff)
    page = client_en.get(reverse("feedback:adopt", args=[city_hall.pk])).content.decode()
    assert page.count('name="common_services"') == 4


def test_coordinator_corrects_and_removes_a_catalogue_service(
    city_hall, city_hall_staff, coordinator, client_en, django_assert_num_queries
):
    """A coordinator corrects a service of the catalogue (the copies institutions adopted
    stay as they are) and takes it out of it (they keep their service and its answers);
    the kind of institutions changes only while none adopted it, with a clear message and
    nothing changed; a civil servant can do neither."""
    common = CommonService.objects.create(
        name="Certificat de urbansim", institution_kind="city_hall"
    )
    [adopted] = services.common_services_adopt(
        institution=city_hall, actor=coordinator, common_services=[common]
    )
    give(adopted, 2)
    edit = reverse("feedback:catalogue-edit", args=[common.pk])
    delete = reverse("feedback:catalogue-delete", args=[common.pk])
    data = {"name": "Certificat de urbanism", "channel": "online", "institution_kind": "city_hall"}

    client_en.force_login(city_hall_staff)
    assert client_en.get(edit).status_code == 403
    assert client_en.post(edit, data).status_code == 403
    assert client_en.post(delete).status_code == 403
    common.refresh_from_db()
    assert common.name == "Certificat de urbansim"

    client_en.force_login(coordinator)
    page = _queries_of(client_en, edit, django_assert_num_queries, 6)
    assert "1 institution adopted this service." in page.content.decode()
    response = client_en.post(edit, {**data, "institution_kind": "prefecture"})
    assert "Institutions of this kind already adopted this service" in response.content.decode()
    common.refresh_from_db()
    assert (common.name, common.institution_kind) == ("Certificat de urbansim", "city_hall")

    response = client_en.post(edit, data, follow=True)
    assert "The service of the catalogue was saved." in response.content.decode()
    common.refresh_from_db()
    assert (common.name, common.channel) == ("Certificat de urbanism", "online")
    adopted.refresh_from_db()
    assert (adopted.name, adopted.channel) == ("Certificat de urbansim", "counter")

    response = client_en.post(delete, follow=True)
    assert "“Certificat de urbanism” was taken out of the catalogue." in response.content.decode()
    assert not CommonService.objects.exists()
    adopted.refresh_from_db()
    assert adopted.common_id is None and adopted.answers.count() == 2
    assert client_en.get(edit).status_code == 404


def test_staff_add_a_service(city_hall, city_hall_staff, client_en):
    """The institution's staff add a service with its channel, place and responsible."""
    client_en.force_login(city_hall_staff)
    response = client_en.post(
        reverse("feedback:service-create", args=[city_hall.pk]),
        {
            "name": "Înregistrarea nașterii",
            "channel": "counter",
            "county": city_hall.county_id,
            "locality": "Cluj-Napoca",
            "responsible": "Serviciul Stare Civilă",
            "poster_language": "hu",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Înregistrarea nașterii")
    assert service.poster_language == "hu" and service.responsible == "Serviciul Stare Civilă"


def test_api_services_with_their_index(rated, client_en, django_assert_num_queries):
    """The API lists services with their 12-month index, never single answers or
    addresses."""
    with django_assert_num_queries(3):  # count, page, the page's indices
        data = client_en.get("/api/v1/feedback/services/").json()
    first = next(s for s in data["results"] if s["code"] == rated.code)
    assert first["index"]["answers"] == 12 and first["index"]["satisfied_share"] == 100.0
    other = next(s for s in data["results"] if s["code"] != rated.code)
    assert other["index"] == {"answers": 3, "shown": False}
    body = str(data)
    assert "Bine." not in body and "email" not in body


def test_api_services_filtered_by_institution_area_and_channel(
    rated, county, client_en, django_assert_num_queries
):
    """An API client lists the services of one institution, county, region or channel,
    each with its index; an unknown county is refused with a message that names it, and
    a filter that matches nothing gives an empty list."""
    online = Service.objects.create(
        institution=rated.institution, name="Depunerea online", channel="online", county=county
    )
    url = "/api/v1/feedback/services/"

    def codes(params):
        return sorted(s["code"] for s in client_en.get(url, params).json()["results"])

    assert codes({"institution": rated.institution_id}) == sorted([rated.code, online.code])
    assert codes({"county": county.code}) == sorted([rated.code, online.code])
    assert codes({"region": county.region.code}) == sorted([rated.code, online.code])
    assert codes({"region": "RO42"}) == []
    assert codes({"channel": "online"}) == [online.code]
    assert codes({"institution": 999999}) == []
    with django_assert_num_queries(4):  # the county, count, page, the page's indices
        data = client_en.get(url, {"county": county.code, "channel": "counter"}).json()
    assert [s["code"] for s in data["results"]] == [rated.code]
    assert data["results"][0]["index"]["answers"] == 12
    refused = client_en.get(url, {"county": "RO999"})
    assert refused.status_code == 400
    assert "county" in refused.content.decode()
    assert "Select a valid choice" in refused.content.decode()


def test_api_index_by_scope(rated, county, client_en):
    """The index by month of the country, a county, an institution or a service; an
    unknown one is a 404 in JSON."""
    national = client_en.get("/api/v1/feedback/index/").json()
    assert {"series", "regions", "counties", "national_level"} <= set(national)
    by_county = client_en.get("/api/v1/feedback/index/", {"county": county.code}).json()
    assert by_county["series"]["total"]["answers"] == 12
    by_institution = client_en.get(
        "/api/v1/feedback/index/", {"institution": rated.institution_id}
    ).json()
    assert by_institution["series"]["total"]["satisfied_share"] == 100.0
    assert client_en.get("/api/v1/feedback/index/", {"service": "nope"}).status_code == 404


def test_openapi_schema_describes_the_feedback(client_en):
    """The OpenAPI schema documents both feedback endpoints."""
    cache.clear()
    schema = client_en.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/feedback/services/" in schema and "/api/v1/feedback/index/" in schema


def _queries_of(client, url, django_assert_num_queries, n):
    client.get(url)  # the session and the navigation's caches
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_moderation_queue_query_count(rated, coordinator, django_assert_num_queries):
    """The moderation queue costs the same with 12 or 30 waiting comments."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    url = reverse("feedback:moderation")
    first = _queries_of(client, url, django_assert_num_queries, 7)
    assert first.content.decode().count("<blockquote") == 12
    give(rated, 18, comment="Alt comentariu.")
    _queries_of(client, url, django_assert_num_queries, 7)


def test_catalogue_and_adopt_query_counts(
    city_hall, city_hall_staff, coordinator, django_assert_num_queries
):
    """The catalogue and the page to adopt from it cost the same whatever their size."""
    for n in range(3):
        CommonService.objects.create(name=f"Serviciu {n}", institution_kind="city_hall")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    _queries_of(client, reverse("feedback:catalogue"), django_assert_num_queries, 6)
    for n in range(3, 10):
        CommonService.objects.create(name=f"Serviciu {n}", institution_kind="city_hall")
    _queries_of(client, reverse("feedback:catalogue"), django_assert_num_queries, 6)
    client.force_login(city_hall_staff)
    page = _queries_of(
        client, reverse("feedback:adopt", args=[city_hall.pk]), django_assert_num_queries, 7
    )
    assert page.content.decode().count('name="common_services"') == 10


def test_reply_form_query_count(rated, city_hall_staff, django_assert_num_queries):
    """The reply form reads the answer with its service, institution and reply at once."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city_hall_staff)
    answer = Answer.objects.filter(service=rated).first()
    _queries_of(client, reverse("feedback:reply", args=[answer.pk]), django_assert_num_queries, 5)


def test_api_index_query_count(rated, client_en, django_assert_num_queries):
    """The API's national index: five queries, none once cached."""
    with django_assert_num_queries(5):
        client_en.get("/api/v1/feedback/index/")
    with django_assert_num_queries(0):
        client_en.get("/api/v1/feedback/index/")


def test_moving_a_service_moves_its_index(rated, city_hall_staff, client_en):
    """A service moved to another county (its edit page) takes its past answers with it
    in the indices by county."""
    from registry.models import County

    bihor = County.objects.get(code="RO111")
    client_en.force_login(city_hall_staff)
    page = client_en.get(reverse("feedback:service-edit", args=[rated.code]))
    assert page.status_code == 200
    response = client_en.post(
        reverse("feedback:service-edit", args=[rated.code]),
        {
            "name": rated.name,
            "channel": "counter",
            "county": bihor.pk,
            "locality": "Oradea",
            "responsible": "",
            "poster_language": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    counties = {c["code"]: c["index"]["answers"] for c in selectors.national_feedback()["counties"]}
    assert counties["RO111"] == 12 and counties["RO113"] == 0


def test_thanks_and_qr_query_counts(rated, client_en, django_assert_num_queries):
    """The thanks page and the QR code read the service only."""
    with django_assert_num_queries(1):
        client_en.get(reverse("feedback:thanks", args=[rated.code]))
    with django_assert_num_queries(1):
        client_en.get(reverse("feedback:service-qr", args=[rated.code]))
