"""`manage.py runserver_with_jobs`: Django's development server with the periodic jobs
of Celery beat run in a thread of the same process (conect.core.jobs), as `make run`
starts it. For development and the demo only."""

import os

from django.core.management.commands.runserver import Command as RunserverCommand

from conect.core import jobs


class Command(RunserverCommand):
    help = "Run the development server and, in the same process, the periodic jobs."

    def inner_run(self, *args, **options):
        # With the autoreloader, inner_run runs in the reloaded child (RUN_MAIN=true);
        # without it, in the only process. Either way the jobs start once per server.
        if os.environ.get("RUN_MAIN") == "true" or not options.get("use_reloader"):
            jobs.start_in_background()
            self.stdout.write("Periodic jobs run in this process (consultations open and close).")
        super().inner_run(*args, **options)
