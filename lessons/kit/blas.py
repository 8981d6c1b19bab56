"""One BLAS thread in the server process.

The server's matrices are small (a least-squares fit on a few thousand windows, a 16-unit cell over 200 steps):
a second BLAS thread brings nothing, and on a busy machine it costs a lot. OpenBLAS's threads wait for a free
core by spinning, so while a training worker or the rival-fitting helper uses the other core, measured on the
reference 2-core machine: the training lab's cold rerun at window 100 (one 0.008 s least-squares fit) took
0.2–2.8 s with two BLAS threads and 0.06–0.26 s with one. The workers (kit.jobs, kit.background) already run
one thread each; deploy/Dockerfile sets the same through the environment. Importing this module applies it.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

# Kept: the limits object restores the old settings only when asked to.
LIMITS = threadpool_limits(limits=1, user_api="blas")
