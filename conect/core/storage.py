"""Storage for files that only some people may read (uploaded registry files, import
error reports, attachments of recommendations): kept under PRIVATE_MEDIA_ROOT, which no
web server publishes, and served only through views that check the permission."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


def private_root() -> str:
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return str(root) if root else f"{str(settings.MEDIA_ROOT).rstrip('/')}-private"


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_MEDIA_ROOT, read when first used (and again
    when a test changes the setting), with no public address."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return private_root()

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public address: serve them through a view.")

    def _clear_cached_properties(self, setting, **kwargs):
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        else:
            super()._clear_cached_properties(setting, **kwargs)


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private
