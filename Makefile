# Sales Coach course kit.  `make start` to teach, `make test` to verify.
# Needs only Python 3.11+ and pip; everything else is installed into .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8888
PYTEST_ARGS ?= -n 2

.PHONY: start install install-test system-deps system-test-deps test demo build lint release data index clean-outputs clean classroom classroom-deps edition
STUDENTS ?= alice,bob

start: install  ## install everything and open JupyterLab on the course home
	$(VENV)/bin/salescoach lab --port $(PORT)

install: system-deps $(VENV)/.installed  ## virtual environment with the kit, JupyterLab and nbgrader's extensions

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	# build tools for `salescoach edition` (the library as a wheel, built offline)
	$(PY) -m pip install --quiet "setuptools>=77" wheel
	$(VENV)/bin/jupyter server extension enable --sys-prefix nbgrader.server_extensions.formgrader >/dev/null
	$(VENV)/bin/jupyter server extension enable --sys-prefix nbgrader.server_extensions.validate_assignment >/dev/null
	# no network at run time: JupyterLab's news announcements stay off
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1
	touch $@

install-test: $(VENV)/.installed-test classroom-deps
$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# JupyterHub (pip) and its proxy configurable-http-proxy (npm, pinned in deploy/jupyterhub/package-lock.json)
classroom-deps: $(VENV)/.installed deploy/jupyterhub/node_modules/.installed
	@$(PY) -c "import jupyterhub" 2>/dev/null || $(PY) -m pip install --quiet -e '.[classroom]'
deploy/jupyterhub/node_modules/.installed: deploy/jupyterhub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

classroom: install classroom-deps  ## a JupyterHub classroom on this machine: make classroom STUDENTS=alice,bob
	$(VENV)/bin/salescoach classroom --students $(STUDENTS)

edition: install  ## the student edition (no solutions, hidden tests or trainer notes) in build/
	$(VENV)/bin/salescoach edition

# bubblewrap sandboxes student code while `salescoach grade` runs it; a font with Chinese glyphs
# (WenQuanYi Micro Hei, 5 MB) lets the charts show their Chinese terms.  Best effort: where apt (or root or
# password-less sudo) is not available, warn and go on; the grader then says it runs without a sandbox,
# and the charts show English only.  After a new font, matplotlib's font list is rebuilt on next use.
system-deps:
	@if ! fc-list 2>/dev/null | grep -qiE "wenquanyi|noto sans cjk|source han"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo "sudo -n" ); \
	  if command -v apt-get >/dev/null 2>&1 && $$SUDO apt-get update -qq >/dev/null 2>&1 \
	     && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1; then \
	    rm -f $${MPLCONFIGDIR:-$$HOME/.cache/matplotlib}/fontlist-*.json; \
	    echo "installed fonts-wqy-microhei (Chinese labels in charts)"; \
	  else \
	    echo "WARNING: no font with Chinese glyphs is installed and none could be installed here, so charts" \
	         "show their labels in English only. Install one with your package manager" \
	         "(Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei or fonts-noto-cjk)." >&2; \
	  fi; \
	fi
	@if ! command -v bwrap >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo "sudo -n" ); \
	  if command -v apt-get >/dev/null 2>&1 && $$SUDO apt-get update -qq >/dev/null 2>&1 \
	     && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null 2>&1; then \
	    echo "installed bubblewrap (the sandbox for grading student code)"; \
	  else \
	    echo "WARNING: bubblewrap (bwrap) is not installed and could not be installed here, so 'salescoach grade'" \
	         "will run student code WITHOUT a sandbox. Install it with your package manager" \
	         "(Debian/Ubuntu: sudo apt-get install bubblewrap)." >&2; \
	  fi; \
	fi

# Debian packages the tests need, installed in one apt-get call when missing: Chromium for the browser tests
# (Playwright cannot download browsers here), PostgreSQL for the gradebook tests (they start a throwaway
# server), bubblewrap for the grader's sandbox, a CJK font for the chart tests.
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# SALESCOACH_REQUIRE_POSTGRES=1: the PostgreSQL gradebook tests fail instead of skipping when its binaries are missing
test: install-test system-test-deps  ## install everything and run the whole test suite
	SALESCOACH_REQUIRE_POSTGRES=1 $(PY) -m pytest $(PYTEST_ARGS)

demo: install  ## headless demo: build, release, autograde three sample students
	$(VENV)/bin/salescoach demo

build: install
	$(VENV)/bin/salescoach build
lint: install
	$(VENV)/bin/salescoach lint
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
