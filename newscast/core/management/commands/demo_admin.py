"""Create the demo's editor account (admin / the password in DEMO_ADMIN_PASSWORD)."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEFAULT_DEMO_PASSWORD = "newscast-demo"


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' if there is no user yet (demo only)."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_DEMO_PASSWORD)
        User.objects.create_superuser("admin", "admin@example.com", password)
        self.stdout.write(f"Demo editor: admin / {password} at /admin/")
