# Two commands matter: `make run` (set up everything, load the demo workspace, serve it) and
# `make test` (the whole suite, on SQLite and on a throwaway PostgreSQL server).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_DATA := $(abspath $(CURDIR)/../shared/data)
SIAGA_DATA_DIR ?= $(if $(wildcard $(SHARED_DATA)/README.md),$(SHARED_DATA),)
SIAGA_HOME ?= $(CURDIR)/var
SCOPE ?= 15.02,17.06
export SIAGA_DATA_DIR SIAGA_HOME

.PHONY: install run test lint typecheck test-deps bench bench-risk bench-classifier bench-api clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster,dense]'
	@touch $@

run: install
	@test -n "$(SIAGA_DATA_DIR)" || { echo "error: shared data not found at $(SHARED_DATA); set SIAGA_DATA_DIR" >&2; exit 1; }
	$(BIN)/siaga data check
	$(BIN)/siaga init --scope $(SCOPE)
	$(BIN)/siaga risk demo --scope $(SCOPE)
	$(BIN)/siaga model train
	$(BIN)/siaga demo
	$(BIN)/siaga users demo-admin
	$(BIN)/siaga serve

# The suite needs Debian's PostgreSQL server binaries (initdb, pg_ctl), Chromium for the browser
# tests, poppler-utils (pdftotext, pdftoppm) to read rendered PDFs, Pango for WeasyPrint, and a
# Java 17 runtime for the Spark cluster tests (when no `java` is on the PATH); install whichever
# is missing.
DEBIAN_TEST_PACKAGES := postgresql chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
test-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	for p in $(filter-out postgresql,$(DEBIAN_TEST_PACKAGES)); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check siaga tests benchmarks

typecheck: install
	$(BIN)/mypy

test: install test-deps lint typecheck
	SIAGA_REQUIRE_PG=1 SIAGA_REQUIRE_SPARK=1 $(BIN)/python -m pytest

bench: install test-deps
	$(BIN)/python benchmarks/import_national.py
	$(BIN)/python benchmarks/risk_index.py

bench-classifier: install
	$(BIN)/python benchmarks/classifier.py

bench-api: install test-deps
	$(BIN)/python benchmarks/api.py

bench-risk: install
	$(BIN)/python benchmarks/risk_index.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache siaga.egg-info

.PHONY: bench-scale
bench-scale: install test-deps
	$(BIN)/python benchmarks/scale.py

.PHONY: bench-detect
bench-detect: install
	$(BIN)/python benchmarks/detect.py

.PHONY: bench-reliability
bench-reliability: install test-deps
	$(BIN)/python benchmarks/reliability.py
