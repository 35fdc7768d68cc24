"""Demo data for the embedded mode: users of every role. Safe to run again.

The registry issue extends this with organisations and institutions and a --scale option.
"""

import secrets

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from conect.accounts.models import User

DEMO_USERS = [
    ("coordonator@conect.demo", "Ioana Coordonator", {"is_coordinator": True}),
    ("cetatean@conect.demo", "Ion Cetățean", {}),
]


class Command(BaseCommand):
    help = "Load a small demo data set: users of every role (passwords printed once)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        for email, name, extra in DEMO_USERS:
            if User.objects.filter(email=email).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(email=email, password=password, name=name, **extra)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            created.append((email, password))
        if created:
            self.stdout.write("Demo accounts (the passwords are shown only this once):")
            for email, password in created:
                self.stdout.write(f"  {email}  {password}")
        else:
            self.stdout.write("Demo data already loaded.")
