"""The demo guide offers the three downloadable templates the guide promises."""

import pytest
from django.urls import reverse

from guide.demo import seed_guide_demo
from guide.models import TemplateFile

pytestmark = pytest.mark.django_db


def test_demo_guide_offers_announcement_synthesis_and_minutes(client, coordinator):
    """The demo guide's consultation section offers an announcement and a synthesis to
    download, its debates section the minutes of a debate; each is a PDF document."""
    seed_guide_demo()
    templates = {t.title_ro: t.section.key for t in TemplateFile.objects.select_related("section")}
    assert templates == {
        "Model de anunț privind consultarea publică": "consultations",
        "Model de sinteză a recomandărilor": "consultations",
        "Model de minută a dezbaterii publice": "debates",
    }
    page = client.get(reverse("guide:section", args=["debates"])).content.decode()
    minutes = TemplateFile.objects.get(section__key="debates")
    assert minutes.get_absolute_url() in page
    assert "Model de minută a dezbaterii publice" in page
    for template in TemplateFile.objects.all():
        response = client.get(template.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
