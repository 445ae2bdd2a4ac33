#!/usr/bin/env bash
# Everything a lent CUDA machine should check, in one run (the machine has CuPy, PyTorch,
# NumPy, pytest and hypothesis but no network): the environment, the gpu-marked tests on the real
# GPU, the whole suite, benchmarks/bench_gpu.py against PyTorch's eager CUDA, and the GPU lesson
# (notebook 10, its code cells run in order in one namespace). Logs go to $OUT (or ./gpu-out).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" MPLBACKEND=Agg
PY=${PYTHON:-python3}
status=0

$PY - <<'PY' 2>&1 | tee "$OUT/env.txt"
import platform, numpy, cupy
print("python", platform.python_version(), "numpy", numpy.__version__, "cupy", cupy.__version__)
print("GPUs:", cupy.cuda.runtime.getDeviceCount(),
      cupy.cuda.runtime.getDeviceProperties(0)["name"].decode())
try:
    import torch
    print("torch", torch.__version__, "cuda", torch.cuda.is_available())
except ImportError:
    print("torch not installed")
PY

# the gpu tests on the real device first (they are the point of the run), then everything
timeout 240 $PY -m pytest -p no:cacheprovider -q -m gpu -n 8 tests 2>&1 | tail -n 40 \
  | tee "$OUT/gpu_tests.txt" || status=1
timeout 200 $PY -m pytest -p no:cacheprovider -q -m "not gpu" -n 8 --ignore=tests/test_notebooks.py \
  tests 2>&1 | tail -n 40 | tee "$OUT/cpu_tests.txt" || status=1
timeout 120 $PY benchmarks/bench_gpu.py 2>&1 | tee "$OUT/bench_gpu.txt" || status=1
timeout 120 $PY - <<'PY' 2>&1 | tail -n 60 | tee "$OUT/notebook_10.txt" || status=1
import json, os
os.chdir("notebooks")
cells = json.load(open("10_gpu.ipynb"))["cells"]
namespace = {"__name__": "__main__"}
for i, cell in enumerate(cells):
    if cell["cell_type"] == "code":
        source = "".join(cell["source"])
        if source.lstrip().startswith(("%", "!")):
            continue
        exec(compile(source, f"10_gpu.ipynb cell {i}", "exec"), namespace)
print("notebook 10: every code cell ran")
PY
exit $status
