"""The OpenAPI schema validates, documents every operation and error in both languages,
its readers work under the Content-Security-Policy, and a property-based run of the
schema (schemathesis) finds no server error."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    """`spectacular --validate --fail-on-warn` passes (CI runs this test)."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/institutions/",
        "/api/v1/officials/",
        "/api/v1/structures/",
        "/api/v1/regions/",
        "/api/v1/counties/{code}/",
        "/api/v1/domains/",
        "/api/v1/map/",
    ):
        assert path in paths, path
    assert "patch" in paths["/api/v1/organisations/{id}/"]
    assert "Error" in schema["components"]["schemas"]
    assert "ApiToken" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_every_operation_documents_its_errors_and_parameters():
    """Each operation has a summary, its error answers in the error shape, and every
    parameter has a description."""
    schema = yaml.safe_load(Client().get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            for code in ("401", "406", "429"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (method, path, parameter["name"])
    listing = schema["paths"]["/api/v1/organisations/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names >= {
        "q",
        "region",
        "county",
        "domain",
        "legal_form",
        "status",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "pagination",
        "format",
    }


@pytest.mark.django_db
def test_schema_in_both_languages():
    """The schema's texts follow Accept-Language or ?lang=."""
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/schema/", {"format": "json"}).json()
    assert english["paths"]["/api/v1/organisations/"]["get"]["summary"] == "List organisations"
    assert english["info"]["description"].startswith("Open data of CONECT")
    assert "60 requests per minute" in english["info"]["description"]
    romanian = Client().get("/api/v1/schema/", {"format": "json", "lang": "ro"})
    assert romanian.status_code == 200


@pytest.mark.django_db
def test_docs_pages_work_under_the_csp():
    """Swagger UI and Redoc are served from local files, with no inline script; Swagger's
    page has no inline style either and its start-up script is a same-origin file; only
    Redoc's page relaxes the policy, for styles and blob workers."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    swagger = client.get("/api/v1/docs/swagger/")
    assert swagger.status_code == 200
    html = swagger.content.decode()
    policy = swagger["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attrs and body.strip() == "" for attrs, body in scripts)
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    script_url = re.findall(r'<script src="([^"]+\?[^"]*script[^"]*)"', html)[0]
    init = client.get(script_url.replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    schema_url = re.search(r'url: "([^"]+)"', init.content.decode()).group(1)
    assert schema_url.encode().decode("unicode_escape") == "/api/v1/schema/?lang=en"
    for static in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert static.startswith("/static/drf_spectacular_sidecar/") or static.startswith(
            "/static/css/"
        )

    redoc = client.get("/api/v1/docs/")
    assert redoc.status_code == 200
    html = redoc.content.decode()
    assert "fonts.googleapis" not in html and "https://" not in html
    assert re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S) == [
        (' src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"', "")
    ]
    policy = redoc["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "blob:" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_descriptions_are_in_the_readers_language(client, db):
    """A list's description is made of several translated parts: each reader gets all of
    them in their language, whichever language was asked for first."""
    path = "/api/v1/organisations/"
    romanian = client.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="ro")
    english = client.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    ro = romanian.json()["paths"][path]["get"]["description"]
    en = english.json()["paths"][path]["get"]["description"]
    assert ro.startswith("ONG-urile verificate") and "paginare pe numere de pagină" in ro
    assert en.startswith("Verified NGOs") and "Page-number pagination" in en
    assert "left out unless `registry_state` asks for them" in en
