"""Named data versions (releases): kept on disk, listed, compared. No Flask here.

- ``archive``: ``make_release`` writes a release (its dumps, checksums and record) under the
  releases folder; ``list_releases`` / ``find_release`` read them back, refusing any version that
  is not a plain version string, so nothing outside the folder is ever read.
- ``changelog``: what changed between two releases, resource by resource, from their graphs.
"""

from .archive import (
    Release,
    ReleaseError,
    find_release,
    list_releases,
    make_release,
    valid_version,
)

__all__ = [
    "Release",
    "ReleaseError",
    "find_release",
    "list_releases",
    "make_release",
    "valid_version",
]
