"""The satisfaction index: share of satisfied answers, averages per indicator, monthly
with trend and count, hidden below 10 answers; kept in the monthly sums."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from surveys.feedback import selectors
from surveys.feedback.models import Answer, MonthlyIndex

from .conftest import give

pytestmark = pytest.mark.django_db


def test_no_index_below_ten_answers(service, client_en):
    """With 9 answers no share and no average is shown anywhere (page, API); the 10th
    answer makes the index appear."""
    give(service, 9, satisfaction=5)
    index = selectors.service_index(service)
    assert index["total"] == {"answers": 9, "shown": False}
    page = client_en.get(reverse("feedback:service-detail", args=[service.code]))
    assert "No index yet: it is shown from 10 answers (9 so far)." in page.content.decode()
    api = client_en.get("/api/v1/feedback/index/", {"service": service.code}).json()
    assert api["series"]["total"]["answers"] == 9
    assert api["series"]["total"]["shown"] is False
    assert "satisfied_share" not in api["series"]["total"]

    give(service, 1, satisfaction=1)
    index = selectors.service_index(service)
    assert index["total"]["shown"] is True
    assert index["total"]["satisfied_share"] == 90.0
    page = client_en.get(reverse("feedback:service-detail", args=[service.code]))
    assert "90.0% satisfied answers in the last 12 months (10 answers)." in page.content.decode()


def test_averages_per_indicator_each_with_its_own_threshold(service):
    """The average of an optional indicator is shown only when at least 10 people
    answered it; the share solved likewise."""
    give(service, 6, satisfaction=4, access=5, clarity=2, solved="yes")
    give(service, 6, satisfaction=2, access=3, solved="no")
    total = selectors.service_index(service)["total"]
    assert total["answers"] == 12
    assert total["satisfied_share"] == 50.0
    assert total["averages"]["satisfaction"] == 3.0
    assert total["averages"]["access"] == 4.0
    assert total["averages"]["clarity"] is None  # 6 answers to it
    assert total["solved_share"] == 50.0


def test_monthly_series_with_trend(service):
    """Each month has its own index and count; the trend is the change of the share of
    satisfied answers between the last two months with an index."""
    last_month = timezone.now() - timedelta(days=35)
    answers = give(service, 10, satisfaction=5) + give(service, 10, satisfaction=1)
    # Move the first ten to last month, as if given then (and their sums with them).
    Answer.objects.filter(pk__in=[a.pk for a in answers[:10]]).update(created_at=last_month)
    MonthlyIndex.objects.all().delete()
    from surveys.feedback.services import _add_to_monthly_index

    for answer in Answer.objects.select_related("service__institution__county", "service__county"):
        _add_to_monthly_index(answer, county=answer.service.county)
    series = selectors.index_series(service_id=service.pk)
    shown = [m for m in series["months"] if m["shown"]]
    assert [m["satisfied_share"] for m in shown] == [100.0, 0.0]
    assert [m["answers"] for m in shown] == [10, 10]
    assert series["trend"] == -100.0
    assert series["total"]["answers"] == 20


def test_monthly_sums_equal_the_answers(service, other_service):
    """The monthly sums kept with each answer are the sums of the answers themselves."""
    give(service, 7, satisfaction=4, courtesy=3)
    give(service, 5, satisfaction=2, timeliness=1, solved="partly")
    give(other_service, 3, satisfaction=5)
    for svc in (service, other_service):
        row = MonthlyIndex.objects.get(service=svc)
        answers = Answer.objects.filter(service=svc)
        assert row.answers == answers.count()
        assert row.satisfied == answers.filter(satisfaction__gte=4).count()
        assert row.satisfaction_sum == sum(a.satisfaction for a in answers)
        assert row.courtesy_n == answers.filter(courtesy__isnull=False).count()
        assert row.solved_n == answers.exclude(solved="").count()
    assert MonthlyIndex.objects.get(service=service).county_id == service.county_id


def test_index_by_county_and_region(service, county, client_en):
    """The national page lists each region and county with its index (Cluj's from its
    services), and ?county= shows the county's institutions."""
    give(service, 10, satisfaction=4)
    data = selectors.national_feedback()
    cluj = next(c for c in data["counties"] if c["code"] == county.code)
    assert cluj["index"]["satisfied_share"] == 100.0
    region = next(r for r in data["regions"] if r["id"] == county.region_id)
    assert region["index"]["answers"] == 10
    page = client_en.get(reverse("feedback:index"), {"county": county.code})
    html = page.content.decode()
    assert service.institution.name in html
    assert 'id="table-institutions"' in html


def test_index_is_cached_until_an_answer(service, django_assert_num_queries):
    """A second read of an index costs no query; a new answer shows at once."""
    give(service, 10)
    selectors.institution_feedback(service.institution)
    with django_assert_num_queries(0):
        selectors.institution_feedback(service.institution)
    give(service, 1)
    assert selectors.institution_feedback(service.institution)["series"]["total"]["answers"] == 11


def test_answers_by_language_are_counted_together(service):
    """The language of the form does not split the index."""
    give(service, 5, language="hu")
    give(service, 5, language="en")
    assert selectors.service_index(service)["total"]["answers"] == 10
    assert dict(Answer.objects.values_list("language").annotate(n=Count("*")).order_by()) == {
        "hu": 5,
        "en": 5,
    }
