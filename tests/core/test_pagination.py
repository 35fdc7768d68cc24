"""The capped-count paginator: lists of a million rows show "more than 10,000"."""

import pytest

from conect.core.pagination import CappedCountPaginator
from registry.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def domains():
    Domain.objects.all().delete()
    Domain.objects.bulk_create(
        [Domain(slug=f"d{n}", name_ro=f"Domeniu {n}", name_en=f"Domain {n}") for n in range(7)]
    )
    return Domain.objects.order_by("slug")


def test_a_list_under_the_cap_is_counted_exactly(domains):
    """A queryset with fewer rows than the cap has its exact count and is not capped."""
    paginator = CappedCountPaginator(domains, 2, count_cap=10)
    assert paginator.count == 7
    assert not paginator.count_is_capped
    assert paginator.num_pages == 4


def test_a_list_over_the_cap_says_there_are_more(domains):
    """Over the cap, the count stops at the cap, says so, and the pages stop there."""
    paginator = CappedCountPaginator(domains, 2, count_cap=5)
    assert paginator.count_is_capped
    assert paginator.count == 5
    assert paginator.num_pages == 3
    assert paginator.get_page(99).number == 3
    assert [d.slug for d in paginator.get_page(1)] == ["d0", "d1"]


def test_the_count_is_one_bounded_query(domains, django_assert_num_queries):
    """The count is a single query whose inner SELECT has a LIMIT of the cap plus one."""
    paginator = CappedCountPaginator(domains, 2, count_cap=5)
    with django_assert_num_queries(1) as captured:
        assert paginator.count == 5
    assert "LIMIT 6" in captured.captured_queries[0]["sql"]


def test_a_plain_list_is_counted_as_django_does():
    """A list that is not a queryset is counted with len(), never capped."""
    paginator = CappedCountPaginator(list(range(30)), 10, count_cap=5)
    assert paginator.count == 30
    assert not paginator.count_is_capped
