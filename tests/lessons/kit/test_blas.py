"""kit.blas: the server runs one BLAS thread (two spin against a busy worker: a 0.008 s fit took up to 2.8 s)."""

from __future__ import annotations

from threadpoolctl import threadpool_info


def test_importing_the_app_kit_leaves_one_blas_thread():
    import lessons.kit.blas  # noqa: F401 - app.py imports it for the server

    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
