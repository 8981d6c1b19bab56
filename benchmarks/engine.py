"""How fast is the NumPy engine? RNN, LSTM and GRU, forward and forward+backward, vs PyTorch CPU.

Run:  python benchmarks/engine.py [--repeats N] [--cpu-time]

Prints one table per size (T steps, B sequences, D inputs, H hidden units): median milliseconds
of ``forward`` and of ``forward + backward`` in float64 and float32 and, when torch imports,
PyTorch's ``nn.RNN/LSTM/GRU`` on the same shapes and the ratio engine / torch (< 1: engine faster).

Fairness: torch gets as many threads as NumPy's BLAS uses (threadpoolctl when installed,
else the core count); torch's forward column runs under ``no_grad`` (its fastest path), its
forward+backward computes the same gradients the engine does (params, x and h0).

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set on a machine, slow a current NumPy; to benchmark
without them unset both for this command only (``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE``);
the header line shows which OpenBLAS kernel was used.

``--cpu-time``: on a machine shared with other busy processes wall time mostly measures the
neighbours. This mode runs both libraries on one thread (NumPy's BLAS through threadpoolctl,
``torch.set_num_threads(1)``) and times the CPU time of that thread instead, which load barely
moves: a steadier engine / torch ratio, though not the two-thread speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import rnn_core  # noqa: E402

SIZES = ((200, 32, 8, 64), (50, 1, 1, 8))  # (T, B, D, H): the large size and the demo size
CELLS = ("RNN", "LSTM", "GRU")
DTYPES = (np.float64, np.float32)


def median_ms(fns: list, repeats: int, clock=time.perf_counter) -> list[float]:
    """Median time in ms (wall time, or ``clock``) of each function in ``fns``, one function at a time.

    Each gets a short warm-up and enough inner loops per repeat to beat timer noise. The libraries'
    thread pools spin for a while after working, so a pause before each function keeps NumPy's BLAS
    threads and torch's OpenMP threads from competing for the two cores.
    """
    out = []
    for fn in fns:
        time.sleep(0.05)
        for _ in range(3):
            fn()
        start = clock()
        fn()
        inner = max(1, int(0.002 / max(clock() - start, 1e-9)))
        times = []
        for _ in range(repeats):
            start = clock()
            for _ in range(inner):
                fn()
            times.append((clock() - start) / inner)
        out.append(1e3 * statistics.median(times))
    return out


def engine_fns(kind: str, size, dtype) -> list:
    """forward, and forward + backward, of our cell on random data of the given size."""
    T, B, D, H = size
    cell = getattr(rnn_core, kind)(D, H, seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((T, B, D)).astype(dtype)
    h0 = rng.standard_normal((B, H)).astype(dtype)
    dh = rng.standard_normal((T, B, H)).astype(dtype)

    def fwd_bwd():
        cell.backward(cell.forward(x, h0), dh)

    return [lambda: cell.forward(x, h0), fwd_bwd]


def torch_fns(torch, kind: str, size, dtype) -> list:
    """The same two measurements for torch.nn.RNN / LSTM / GRU: forward under no_grad; forward + backward
    computing the gradients our backward returns (parameters, x and h0)."""
    T, B, D, H = size
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    torch.manual_seed(0)
    net = getattr(torch.nn, kind)(D, H).to(tdtype)
    x = torch.randn(T, B, D, dtype=tdtype, requires_grad=True)
    h0 = torch.randn(1, B, H, dtype=tdtype, requires_grad=True)
    state = (h0, torch.randn(1, B, H, dtype=tdtype, requires_grad=True)) if kind == "LSTM" else h0
    dh = torch.randn(T, B, H, dtype=tdtype)

    def fwd():
        with torch.no_grad():
            net(x, state)

    def fwd_bwd():
        out, _ = net(x, state)
        torch.autograd.grad(out, [x, h0, *net.parameters()], dh)

    return [fwd, fwd_bwd]


def blas_info() -> tuple[int, str]:
    """(threads, description) of the BLAS NumPy calls, via threadpoolctl when it is installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1, "threadpoolctl not installed"
    info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not info:
        return os.cpu_count() or 1, "no BLAS found"
    i = info[0]
    kernel = f"{i['internal_api']} {i['version']}, kernel {i.get('architecture')}"
    return i["num_threads"], f"{kernel}, {i['num_threads']} threads"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cpu-time", action="store_true", help="one thread each, CPU time of that thread")
    args = parser.parse_args()
    clock = time.perf_counter
    if args.cpu_time:
        from threadpoolctl import threadpool_limits  # needed for this mode

        threadpool_limits(1)
        clock = time.thread_time
    threads, blas = blas_info()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    print(f"numpy {np.__version__}; BLAS: {blas}; timing: {'CPU time of one thread' if args.cpu_time else 'wall'}")
    print("env: " + ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")))
    if torch is not None:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads (matched to NumPy's BLAS)")
    else:
        print("torch not installed: engine columns only")
    for size in SIZES:
        T, B, D, H = size
        print(f"\nT={T}, B={B}, D={D}, H={H}  (median ms of {args.repeats} repeats; ratio = engine / torch)")
        head = f"{'cell':5} {'dtype':8} {'fwd':>8} {'fwd+bwd':>8}"
        if torch is not None:
            head += f" {'torch fwd':>10} {'torch f+b':>10} {'fwd ratio':>10} {'f+b ratio':>10}"
        print(head)
        print("-" * len(head))
        for kind in CELLS:
            for dtype in DTYPES:
                fns = engine_fns(kind, size, dtype) + ([] if torch is None else torch_fns(torch, kind, size, dtype))
                f, fb, *ref = median_ms(fns, args.repeats, clock)
                row = f"{kind:5} {np.dtype(dtype).name:8} {f:8.3f} {fb:8.3f}"
                if ref:
                    tf, tfb = ref
                    row += f" {tf:10.3f} {tfb:10.3f} {f / tf:10.2f} {fb / tfb:10.2f}"
                print(row, flush=True)


if __name__ == "__main__":
    main()
