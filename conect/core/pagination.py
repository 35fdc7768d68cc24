"""A Paginator for lists that can match a million rows: it counts up to a cap.

An exact COUNT(*) reads every matching row (or index entry), so on a registry of
1,000,000 organisations a broad filter pays for counting hundreds of thousands of rows
to print one number. Large sites show "more than 10,000" instead; so does this:

    paginator = CappedCountPaginator(queryset, 25)
    page = paginator.get_page(request.GET.get("page"))
    # paginator.count == 10_000 and paginator.count_is_capped when there are more

The count is `SELECT COUNT(*) FROM (SELECT ... LIMIT 10001)`: the database stops after
10,001 matches. The pages stop at the cap too (400 pages of 25), which also bounds the
OFFSET a visitor can ask for; a client that needs everything has the API's cursor.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Django's Paginator, counting a queryset up to `count_cap` rows.

    `count` is at most `count_cap`; `count_is_capped` says that there are more (show
    "more than {count}"). A list that is not a queryset is counted as Django does."""

    count_cap = COUNT_CAP

    def __init__(self, *args, count_cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count_cap is not None:
            self.count_cap = count_cap

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            self.count_is_capped = False
            return super().count
        # The ordering changes nothing to a count; without it the inner SELECT needs no
        # sort, and `pk` alone keeps it narrow (an index-only scan where one exists).
        found = self.object_list.order_by().values("pk")[: self.count_cap + 1].count()
        self.count_is_capped = found > self.count_cap
        return min(found, self.count_cap)

    @cached_property
    def count_is_capped(self) -> bool:
        # Set by `count`; reading this first counts.
        self.count  # noqa: B018
        return self.__dict__["count_is_capped"]
