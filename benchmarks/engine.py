"""How fast is the NumPy engine? RNN, LSTM and GRU, forward and forward+backward, vs PyTorch CPU.

Run:  python benchmarks/engine.py [--repeats N]

Prints one table per size (T steps, B sequences, D inputs, H hidden units): median milliseconds
of ``forward`` and of ``forward + backward`` in float64 and float32 and, when torch imports,
PyTorch's ``nn.RNN/LSTM/GRU`` on the same shapes and the ratio engine / torch (< 1: engine faster).

Fairness: torch gets as many threads as NumPy's BLAS uses (threadpoolctl when installed,
else the core count); torch's forward column runs under ``no_grad`` (its fastest path), its
forward+backward computes the same gradients the engine does (params, x and h0).
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


def median_ms(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` in ms; a short warm-up first, and enough inner loops to beat timer noise."""
    for _ in range(3):
        fn()
    start = time.perf_counter()
    fn()
    inner = max(1, int(0.002 / max(time.perf_counter() - start, 1e-9)))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return 1e3 * statistics.median(times)


def engine_times(kind: str, size, dtype, repeats: int) -> tuple[float, float]:
    T, B, D, H = size
    cell = getattr(rnn_core, kind)(D, H, seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((T, B, D)).astype(dtype)
    h0 = rng.standard_normal((B, H)).astype(dtype)
    dh = rng.standard_normal((T, B, H)).astype(dtype)

    def fwd_bwd():
        cell.backward(cell.forward(x, h0), dh)

    return median_ms(lambda: cell.forward(x, h0), repeats), median_ms(fwd_bwd, repeats)


def torch_times(torch, kind: str, size, dtype, repeats: int) -> tuple[float, float]:
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

    return median_ms(fwd, repeats), median_ms(fwd_bwd, repeats)


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
    return i["num_threads"], f"{i['internal_api']} {i['version']}, kernel {i.get('architecture')}, {i['num_threads']} threads"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    threads, blas = blas_info()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    print(f"numpy {np.__version__}; BLAS: {blas}")
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
                f, fb = engine_times(kind, size, dtype, args.repeats)
                row = f"{kind:5} {np.dtype(dtype).name:8} {f:8.3f} {fb:8.3f}"
                if torch is not None:
                    tf, tfb = torch_times(torch, kind, size, dtype, args.repeats)
                    row += f" {tf:10.3f} {tfb:10.3f} {f / tf:10.2f} {fb / tfb:10.2f}"
                print(row, flush=True)


if __name__ == "__main__":
    main()
