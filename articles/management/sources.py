"""Reading an upload for a management command: a file, or - for stdin (ingest and parse)."""

import os
import sys

from django.conf import settings

from articles.core.parsing import check_size


def read_source(source: str) -> bytes:
    """The bytes of a file or stdin, refusing one over the size limit before reading it all."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    if source == "-":
        # A pipe has no size to ask for: one byte past the limit is enough to refuse it.
        return sys.stdin.buffer.read(limit + 1)
    with open(source, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size, limit)
        return handle.read()
