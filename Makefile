# The two set-up commands of the README: `make site` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test validate benchmark clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

site: $(BIN)/.installed
	$(BIN)/python build.py build

test: $(BIN)/.installed /usr/bin/chromium
	$(BIN)/python -m pytest

validate: $(BIN)/.installed
	$(BIN)/python build.py validate

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/validate_speed.py
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/search_payload.py
	$(BIN)/python benchmarks/bureau_speed.py

clean:
	rm -rf $(VENV) site build
