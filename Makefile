# gansynth developer commands. `make demo` and `make test` work on a fresh clone:
# they create .venv and install the package with torch pinned by constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := test,docs,plot,bench

# Small networks on 2-core machines: one thread per process is fastest and
# stable when another process is busy (see BENCHMARKS.md).
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: setup demo test lint pytest test-heavy test-pandas3 test-slow docs bench bench-quick clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/gansynth demo --out demo-output
	$(BIN)/gansynth ring --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# --dist loadfile keeps a test module on one worker, so a module-scoped
# fixture (a fitted model) is fitted once. Work stealing and plain load
# balancing split modules and fitted such fixtures again on the other
# worker: 1,384 CPU seconds of tests with load against 1,235 with loadfile
# (the same suite, within the same half hour).
FAST_TESTS := GANSYNTH_STRICT_SKIPS=1 $(BIN)/python -m pytest -n 2 --dist loadfile \
	-m "not slow and not heavy" --timeout=900 -rs --durations=15 \
	--doctest-modules --ignore=gansynth/__main__.py tests gansynth

pytest: $(STAMP)
	$(FAST_TESTS)

# `pip install gansynth` resolves to pandas 3; .venv holds pandas 2, because
# ctgan's rdt (the benchmarks' peer) caps pandas below 3. test-pandas3 runs
# make test's suite again with pandas 3 first on the import path (installed
# beside .venv; no other package changes), so both majors gate a change.
PANDAS3 := pandas==3.1.2
$(VENV)/pandas3/.installed: $(STAMP)
	rm -rf $(VENV)/pandas3
	$(BIN)/python -m pip install --quiet --no-deps --target $(VENV)/pandas3 $(PANDAS3)
	touch $@

test-pandas3: $(VENV)/pandas3/.installed
	PYTHONPATH=$(CURDIR)/$(VENV)/pandas3 $(BIN)/python -c \
		'import pandas, sys; print("pandas", pandas.__version__); sys.exit(pandas.__version__[0] != "3")'
	PYTHONPATH=$(CURDIR)/$(VENV)/pandas3 $(FAST_TESTS)

# The quality fits and process launches of about 8-95 s each (marked heavy):
# together some 14 CPU-minutes, which would take make test past its 10 minutes
# on 2 cores. CI runs them after make test (.ci/run); run them before pushing a
# change to training, sampling or the estimators.
test-heavy: $(STAMP)
	GANSYNTH_STRICT_SKIPS=1 $(BIN)/python -m pytest -n 2 --dist loadfile \
		-m "heavy and not slow" --timeout=900 -rs --durations=15 tests

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m "slow or cuda" --timeout=3600

docs: $(STAMP)
	rm -rf docs/_build docs/generated docs/auto_examples
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

test: lint pytest docs

bench: $(STAMP)
	$(BIN)/python benchmarks/trainer_speed.py
	$(BIN)/python benchmarks/tabular_vs_ctgan.py
	$(BIN)/python benchmarks/imbalance.py
	$(BIN)/python benchmarks/semi_supervised.py
	$(BIN)/python benchmarks/images.py
	$(BIN)/python benchmarks/timeseries.py
	$(BIN)/python benchmarks/timeseries_ucr.py
	$(BIN)/python benchmarks/scale.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/trainer_speed.py --quick
	$(BIN)/python benchmarks/tabular_vs_ctgan.py --quick
	$(BIN)/python benchmarks/imbalance.py --quick
	$(BIN)/python benchmarks/semi_supervised.py --quick
	$(BIN)/python benchmarks/images.py --quick
	$(BIN)/python benchmarks/timeseries.py --quick
	$(BIN)/python benchmarks/timeseries_ucr.py --quick
	$(BIN)/python benchmarks/scale.py --quick

clean:
	rm -rf $(VENV) docs/_build docs/generated docs/auto_examples demo-output
