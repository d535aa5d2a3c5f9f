"""What a server process does once it has loaded, before its first request."""

from __future__ import annotations

import gc

import pytest

from server.warmup import warm_up


@pytest.fixture
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_loaded_stays_out_of_the_collectors_full_sweeps(thawed):
    warm_up()
    assert gc.get_freeze_count() > 0
