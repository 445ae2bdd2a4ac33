# One virtual environment for everything; `make test` and `make demo` build it on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# glibc gives freed arrays back to the OS and faults them in again on the next step;
# higher thresholds keep them in the process (see benchmarks/README.md).
export MALLOC_TRIM_THRESHOLD_ ?= 536870912
export MALLOC_MMAP_THRESHOLD_ ?= 536870912

.PHONY: venv system-deps test test-oldest-numpy lint demo demo-images graphs bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed system-deps

# graphviz's `dot` renders the computation graphs; install it where we are allowed to.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null) \
	      || echo "warning: could not install graphviz; graph rendering tests will be skipped"; \
	  else echo "warning: graphviz 'dot' not found; install it (apt-get install graphviz)"; fi; }

test: venv
	$(PY) -m pytest

# the same suite in a second environment with the oldest NumPy that pyproject.toml admits
OLDEST_NUMPY := $(shell sed -n 's/.*"numpy>=\([0-9.]*\).*/\1/p' pyproject.toml | head -n 1)
OLD_VENV ?= .venv-oldest-numpy
$(OLD_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OLD_VENV)
	$(OLD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLD_VENV)/bin/python -m pip install --quiet -e '.[dev]' 'numpy==$(OLDEST_NUMPY).*'
	touch $@

test-oldest-numpy: $(OLD_VENV)/.installed system-deps
	$(OLD_VENV)/bin/python -c 'import numpy; print("NumPy", numpy.__version__)'
	$(OLD_VENV)/bin/python -m pytest

lint: venv
	$(PY) -m ruff check autograd_core nn optim tests benchmarks
	$(PY) -m ruff format --check autograd_core nn optim tests benchmarks

demo: venv
	$(PY) -m autograd_core train --model mlp --data digits --epochs 30 --out runs/mlp
	$(PY) -m autograd_core train --model lenet --data digits --epochs 15 --out runs/lenet
	$(PY) -m autograd_core export --checkpoint runs/lenet --format onnx

# the README's pictures of the demo: curves, confusion matrix and filters of the LeNet run
demo-images: demo
	mkdir -p docs/images
	cp runs/lenet/curves.png docs/images/demo_lenet_curves.png
	cp runs/lenet/confusion_matrix.png docs/images/demo_lenet_confusion.png
	cp runs/lenet/filters.png docs/images/demo_lenet_filters.png

graphs: venv
	$(PY) -m autograd_core.graph.examples docs/images

bench: venv
	$(PY) -m pip install --quiet torch==2.13.0 micrograd || echo "PyTorch/micrograd not installed: ratios against NumPy only"
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(OLD_VENV) runs .pytest_cache
