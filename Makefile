# Sales Coach course kit.  `make start` to teach, `make test` to verify.
# Needs only Python 3.11+ and pip; everything else is installed into .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8888
PYTEST_ARGS ?= -n 2

.PHONY: start install install-test system-test-deps test demo build check release data index clean-outputs clean

start: install  ## install everything and open JupyterLab on the course home
	$(VENV)/bin/salescoach lab --port $(PORT)

install: $(VENV)/.installed  ## virtual environment with the kit, JupyterLab and nbgrader's extensions

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	$(VENV)/bin/jupyter server extension enable --sys-prefix nbgrader.server_extensions.formgrader >/dev/null
	$(VENV)/bin/jupyter server extension enable --sys-prefix nbgrader.server_extensions.validate_assignment >/dev/null
	# no network at run time: JupyterLab's news announcements stay off
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
system-test-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

test: install-test system-test-deps  ## install everything and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

demo: install  ## headless demo: build, release, autograde three sample students
	$(VENV)/bin/salescoach demo

build: install
	$(VENV)/bin/salescoach build
check: install
	$(VENV)/bin/salescoach check
release: install
	$(VENV)/bin/salescoach release
data: install
	$(VENV)/bin/salescoach data
index: install
	$(VENV)/bin/salescoach index
clean-outputs: install
	$(VENV)/bin/salescoach clean

clean:
	rm -rf build .pytest_cache .hypothesis
