"""The coordinator's upload of the National NGO Registry: permissions, the upload, the
job page, its progress endpoint, the error report and the Celery task."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from registry.importer import import_job_run
from registry.models import ImportJob, Organisation
from registry.tasks import run_import_job

SAMPLE = Path(__file__).parent / "fixtures" / "ngo_registry_sample.csv"

ROLES = [
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "institution_admin",
    "coordinator",
    "superuser",
]
ALLOWED = {"coordinator", "superuser"}


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sample_upload(name="registru.csv", content=None):
    content = SAMPLE.read_bytes() if content is None else content
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def job(db, coordinator):
    return _job(coordinator, SAMPLE.read_bytes())


def _job(user, content, **extra):
    job = ImportJob(original_name="registru.csv", size=len(content), created_by=user, **extra)
    job.source_file.save("test.csv", ContentFile(content), save=False)
    job.save()
    return job


def login(client, user):
    """Sign in as a user who reads the site in English (the user's language wins over the
    browser's)."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return user


def _login(client, request, role):
    if role == "anonymous":
        return None
    return login(client, request.getfixturevalue(role))


def _urls(job):
    return [
        reverse("registry:import-list"),
        reverse("registry:import-upload"),
        reverse("registry:import-detail", args=[job.pk]),
        reverse("registry:import-progress", args=[job.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(en_client, request, job, role):
    """Only coordinators (and superusers) reach the import pages: anonymous visitors are
    sent to sign in, every other role gets 403."""
    _login(en_client, request, role)
    import_job_run(job_id=job.pk)  # finished, with an error report to download
    urls = [*_urls(job), reverse("registry:import-errors", args=[job.pk])]
    for url in urls:
        response = en_client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url
        elif role in ALLOWED:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_can_upload(
    db, en_client, request, role, django_capture_on_commit_callbacks
):
    """A forged upload by anyone but a coordinator creates no job and no organisation."""
    _login(en_client, request, role)
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(reverse("registry:import-upload"), {"file": sample_upload()})
    if role in ALLOWED:
        assert response.status_code == 302
        assert ImportJob.objects.count() == 1
    else:
        assert response.status_code in (302, 403)
        assert not ImportJob.objects.exists()
        assert not Organisation.objects.filter(status="imported").exists()


def test_upload_runs_the_import_and_shows_the_result(
    en_client, coordinator, django_capture_on_commit_callbacks
):
    """The coordinator's file is imported by the task once the upload is committed; the
    job page shows the counts and the rows with errors."""
    login(en_client, coordinator)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = en_client.post(reverse("registry:import-upload"), {"file": sample_upload()})

    assert len(callbacks) == 2  # the import task, then the map's cache after its commit
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == "succeeded"
    assert (job.created_count, job.updated_count, job.skipped_count, job.error_count) == (
        10,
        0,
        0,
        5,
    )
    assert (job.processed_rows, job.total_rows, job.percent) == (15, 15, 100)
    assert (job.encoding, job.delimiter, job.original_name) == ("utf-8-sig", ";", "registru.csv")
    assert job.created_by == coordinator
    assert Organisation.objects.filter(status="imported").count() == 10
    history = Organisation.history.filter(fiscal_code="24000016").get()
    assert history.history_user == coordinator

    page = en_client.get(job.get_absolute_url())
    html = page.content.decode()
    assert "Import of registru.csv" in html
    assert "Download the error report (CSV)" in html
    assert "The first 5 rows with errors" in html
    assert "Judeţul Atlantida" in html
    assert "import_progress.js" not in html  # finished: nothing to poll


def test_upload_dry_run_saves_nothing(en_client, coordinator, django_capture_on_commit_callbacks):
    """A dry run uploaded in the interface counts the changes and saves no organisation."""
    login(en_client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(
            reverse("registry:import-upload"), {"file": sample_upload(), "dry_run": "on"}
        )
    job = ImportJob.objects.get()
    assert (job.dry_run, job.status, job.created_count, job.error_count) == (
        True,
        "succeeded",
        10,
        5,
    )
    assert not Organisation.objects.exists()
    assert "Dry run: nothing is saved." in en_client.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00xl/workbook.xml", "This Excel file cannot be read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text (CSV) file"),
        (b"Nume;Prenume\r\nIon;Popescu\r\n", "No header row was found"),
        (b"", "The submitted file is empty."),
    ],
)
def test_upload_of_a_file_that_is_not_the_registry_is_refused(
    en_client, coordinator, content, message
):
    """The file is checked by its content, whatever its name: an Excel file, an image or a
    CSV without the register's columns gets a message and creates no job."""
    login(en_client, coordinator)
    response = en_client.post(
        reverse("registry:import-upload"), {"file": sample_upload("registru.csv", content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(REGISTRY_IMPORT_MAX_UPLOAD_SIZE=1024 * 1024)
def test_upload_over_the_size_limit_is_refused(en_client, coordinator):
    """A file over the size limit is refused with the limit in the message."""
    login(en_client, coordinator)
    content = SAMPLE.read_bytes() + b"\r\n" * (1024 * 1024)
    response = en_client.post(
        reverse("registry:import-upload"), {"file": sample_upload(content=content)}
    )
    assert "at most 1 MB. A registry file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_form_is_accessible(en_client, coordinator):
    """The form's controls have labels, and the page says what the import does."""
    login(en_client, coordinator)
    html = en_client.get(reverse("registry:import-upload")).content.decode()
    for control in ("id_file", "id_default_legal_form", "id_dry_run"):
        assert f'for="{control}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "What the import does" in html


def test_job_page_polls_its_progress_while_running(
    en_client, coordinator, job, django_assert_num_queries
):
    """A running job's page carries the progress URL for import_progress.js (no inline
    script) and costs a constant number of queries."""
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed_rows=5, total_rows=20)
    login(en_client, coordinator)

    # Session, user, the job with its uploader, and 3 for the header's navigation (roles
    # of the signed-in user, unread notifications).
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(7):
        response = en_client.get(job.get_absolute_url())

    html = response.content.decode()
    assert f'data-progress-url="{reverse("registry:import-progress", args=[job.pk])}"' in html
    assert 'data-finished="false"' in html
    assert "js/import_progress.js" in html
    assert '<progress id="import-progress-bar" class="w-100 mb-3" max="100" value="25">' in html
    assert "<script>" not in html


def test_job_list_query_count_does_not_grow(en_client, coordinator, django_assert_num_queries):
    """The list of imports costs the same queries for 2 or 12 jobs."""
    for _ in range(2):
        _job(coordinator, b"Denumire;CIF\r\n")
    login(en_client, coordinator)
    # Session, user, count, page of jobs with their uploaders, and 3 for the header.
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(8):
        en_client.get(reverse("registry:import-list"))
    for _ in range(10):
        _job(coordinator, b"Denumire;CIF\r\n")
    with django_assert_num_queries(7):  # the unread notifications are cached by now
        response = en_client.get(reverse("registry:import-list"))
    assert response.content.decode().count("registru.csv") == 12


def test_job_list_pages_newest_first_with_uploaders(en_client, coordinator):
    """25 jobs a page, the newest first; each names who uploaded it (a job run from the
    command line names no one) and links to its page."""
    coordinator.name = "Corina Coordonatoare"
    coordinator.save(update_fields=["name"])
    base = timezone.now() - timedelta(days=30)
    jobs = []
    for index in range(27):
        job = _job(coordinator if index % 2 else None, b"Denumire;CIF\r\n")
        ImportJob.objects.filter(pk=job.pk).update(
            created_at=base + timedelta(hours=index), original_name=f"registru-{index:02}.csv"
        )
        jobs.append(job)
    login(en_client, coordinator)
    first = en_client.get(reverse("registry:import-list")).text
    names = re.findall(r"registru-(\d\d)\.csv", first)
    assert names == [f"{index:02}" for index in range(26, 1, -1)]
    assert f'href="{jobs[26].get_absolute_url()}"' in first
    assert first.count("Corina Coordonatoare") == 12  # the odd ones of the 25 rows
    second = en_client.get(reverse("registry:import-list"), {"page": 2}).text
    assert re.findall(r"registru-(\d\d)\.csv", second) == ["01", "00"]


def test_job_list_row_shows_the_run_escaped(en_client, coordinator):
    """A row: the file name escaped, the dry-run mark, the status and the counts, the
    upload time in Bucharest's time."""
    job = _job(coordinator, b"Denumire;CIF\r\n", dry_run=True)
    ImportJob.objects.filter(pk=job.pk).update(
        original_name="<b>registru</b>.csv",
        status=ImportJob.Status.SUCCEEDED,
        created_count=12345,
        error_count=7,
        created_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
    )
    login(en_client, coordinator)
    html = en_client.get(reverse("registry:import-list")).text
    assert "&lt;b&gt;registru&lt;/b&gt;.csv" in html and "<b>registru" not in html
    assert '<span class="badge text-bg-secondary">dry run</span>' in html
    assert "<td>02/03/2026 00:30<div" in html  # 22:30 UTC is past midnight in Bucharest
    assert "<td>Finished</td>" in html
    assert '<td class="text-end">12345</td>' in html
    assert '<td class="text-end">7</td>' in html


def test_progress_endpoint(en_client, coordinator, job, django_assert_num_queries):
    """The progress endpoint answers the job's state, counts and percentage, uncached."""
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", processed_rows=50, total_rows=200, created_count=40, error_count=3
    )
    login(en_client, coordinator)

    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(4):
        response = en_client.get(reverse("registry:import-progress", args=[job.pk]))

    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data == {
        "status": "running",
        "status_label": "running",
        "finished": False,
        "processed": 50,
        "total": 200,
        "percent": 25,
        "created": 40,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": 3,
        "repeats": 0,
        "conflicts": 0,
        "missing": 0,
    }
    import_job_run(job_id=job.pk)
    data = en_client.get(reverse("registry:import-progress", args=[job.pk])).json()
    assert (data["finished"], data["percent"], data["status_label"]) == (True, 100, "finished")
    assert en_client.get(reverse("registry:import-progress", args=[999999])).status_code == 404


def test_error_report_download(en_client, coordinator, job):
    """The error report downloads as CSV, with one line per broken row."""
    import_job_run(job_id=job.pk)
    login(en_client, coordinator)

    response = en_client.get(reverse("registry:import-errors", args=[job.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-errors.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6
    assert lines[1].startswith("7;Cod fiscal;24000017;")


def test_job_without_errors_has_no_report(en_client, coordinator):
    """A clean import has no error report to download."""
    job = _job(coordinator, "Denumire;CIF\r\nAsociația A;24000016\r\n".encode())
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.error_report.name) == ("succeeded", 1, "")
    login(en_client, coordinator)
    assert en_client.get(reverse("registry:import-errors", args=[job.pk])).status_code == 404


def test_task_is_idempotent(job):
    """A re-delivered task finds its job finished and imports nothing twice."""
    run_import_job(job.pk)
    history = Organisation.history.count()
    job.refresh_from_db()
    finished_at = job.finished_at

    run_import_job(job.pk)

    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert Organisation.history.count() == history


def test_job_left_running_by_a_lost_worker_runs_again(job):
    """A job a lost worker left running is run again; the import changes nothing twice."""
    import_job_run(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status="running")

    job = import_job_run(job_id=job.pk)

    assert (job.status, job.created_count, job.unchanged_count) == ("succeeded", 0, 10)


def test_job_of_an_unusable_file_fails_with_its_reason(db, coordinator):
    """A job whose file is not the register fails, with the reason shown to the user in
    their language."""
    coordinator.preferred_language = "en"
    coordinator.save()
    job = _job(coordinator, b"a;b\r\n1;2\r\n")

    job = import_job_run(job_id=job.pk)

    assert job.status == "failed"
    assert job.failure_reason.startswith("No header row was found")
    assert job.finished_at is not None


def test_unexpected_failure_marks_the_job_failed(db, coordinator, monkeypatch):
    """An error on our side marks the job failed with a message that says what to do."""
    coordinator.preferred_language = "en"
    coordinator.save()
    job = _job(coordinator, SAMPLE.read_bytes())

    def boom(self, batch):
        raise RuntimeError("database went away")

    monkeypatch.setattr("registry.importer.RegistryImporter._process_batch", boom)
    job = import_job_run(job_id=job.pk)

    assert job.status == "failed"
    assert "run the import again" in job.failure_reason
