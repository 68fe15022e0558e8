# The two set-up commands of the README: `make site` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test test-fast validate benchmark benchmark-quick clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's packages the tests start or drive: Chromium for the browser tests (Playwright never downloads a browser
# here), faketime, which runs a build under another clock to prove it reproducible, nginx, which serves a built site
# with the shipped configuration (tests/test_nginx.py), and for the printed page: poppler-utils (pdftotext, pdfinfo,
# pdftoppm read the PDF), zbar-tools (zbarimg reads its QR code) and a Chinese font (without one Chromium prints
# Chinese as empty boxes, and the PDF has no Chinese text to find).
APT_PACKAGES := chromium faketime nginx poppler-utils zbar-tools fonts-wqy-microhei
$(VENV)/.apt-installed: Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	mkdir -p $(VENV) && touch $@

site: $(BIN)/.installed
	$(BIN)/python build.py build

# The linter first (seconds), then every test; `make test-fast` leaves out what builds whole sites or drives a browser.
test: $(BIN)/.installed $(VENV)/.apt-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow and not browser"

validate: $(BIN)/.installed
	$(BIN)/python build.py validate

# 5,000, 20,000 and 100,000 enterprises (about 19 minutes on a 2-core machine); `make benchmark-quick` stops at 5,000.
benchmark: $(BIN)/.installed $(VENV)/.apt-installed
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/bureau_speed.py

benchmark-quick: $(BIN)/.installed $(VENV)/.apt-installed
	$(BIN)/python benchmarks/run.py --quick

clean:
	rm -rf $(VENV) site build
