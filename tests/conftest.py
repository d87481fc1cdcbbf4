"""Fixtures more than one test module needs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.batch import local_cluster


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """The address of a Dask cluster of two worker processes, started once for the run."""
    with local_cluster() as address:
        yield address
