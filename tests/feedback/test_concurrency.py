"""200 people answering at the same moment: every answer is kept and counted."""

import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from surveys.feedback import selectors
from surveys.feedback.models import Answer, MonthlyIndex

SUBMISSIONS = 200
THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_submissions_none_lost(service):
    """200 answers posted at once from 20 threads (each from its own address) are all
    recorded, and the monthly sums count each one exactly once."""
    url = reverse("feedback:form", args=[service.code])
    statuses = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(index):
        try:
            start.wait()
            for i in range(SUBMISSIONS // THREADS):
                n = index * 100 + i
                client = Client(REMOTE_ADDR=f"198.18.{n // 250}.{n % 250 + 1}")
                score = (n % 5) + 1
                response = client.post(url, {"satisfaction": str(score), "access": "4"})
                with lock:
                    statuses.append(response.status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * SUBMISSIONS
    assert Answer.objects.filter(service=service).count() == SUBMISSIONS
    row = MonthlyIndex.objects.get(service=service)
    assert row.answers == SUBMISSIONS
    assert row.access_n == SUBMISSIONS
    assert row.satisfaction_sum == sum(a.satisfaction for a in Answer.objects.all())
    assert selectors.service_index(service)["total"]["answers"] == SUBMISSIONS
