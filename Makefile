# tanzuji: one Makefile for people and CI.
#   make run    set up .venv, install, load the demo province into SQLite (./var), serve it
#   make test   set up .venv, lint, type-check and run every test
#   make bench  run the engine, page and ledger benchmarks (print figures, never fail on speed)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/tanzuji/web/static/vendor
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js $(VENDOR)/axe.min.js
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
ZBARIMG := /usr/bin/zbarimg
PDFTOTEXT := /usr/bin/pdftotext
TEST_PACKAGES := chromium fonts-noto-cjk zbar-tools poppler-utils

.PHONY: run test lint typecheck pytest bench schema messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "tanzuji needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# browser assets from the npm registry (pinned in package-lock.json), served by tanzuji itself
$(ASSETS) &: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js \
	   node_modules/axe-core/axe.min.js $(VENDOR)/

# the browser tests drive Debian's chromium (never a downloaded browser), with Chinese fonts
# so that the screenshots show the pages as people see them; the label tests decode the QR code
# with zbarimg and read the PDFs' text with pdftotext
$(CHROMIUM) $(CJK_FONT) $(ZBARIMG) $(PDFTOTEXT) &:
	apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES) || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES))

# labels (CairoSVG) and disclosure reports (WeasyPrint) need Debian's cairo and pango
RUNTIME_PACKAGES := libcairo2 libpango-1.0-0 libpangoft2-1.0-0
RUNTIME_LIBS := $(VENV)/.runtime-libs
$(RUNTIME_LIBS): $(STAMP)
	$(BIN)/python -c 'import cairosvg, weasyprint' 2>/dev/null || \
	  apt-get install -y -qq --no-install-recommends $(RUNTIME_PACKAGES) || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends $(RUNTIME_PACKAGES))
	@touch $@

run: $(STAMP) $(ASSETS) $(RUNTIME_LIBS)
	$(BIN)/tanzuji demo load --if-empty
	$(BIN)/tanzuji serve --host 127.0.0.1 --port 8000

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src benchmarks

pytest: $(STAMP) $(RUNTIME_LIBS) $(ASSETS) $(CHROMIUM) $(CJK_FONT) $(ZBARIMG) $(PDFTOTEXT)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.pages
	$(BIN)/python -m benchmarks.ledger

schema: $(STAMP)
	$(BIN)/tanzuji schema src/tanzuji/schemas/product-model.schema.json
	$(BIN)/tanzuji schema --of rule src/tanzuji/schemas/rule.schema.json

# the pages' strings: extract them and merge into the Chinese catalogue (then translate the new ones)
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k gettext -o build/messages.pot --no-location .
	$(BIN)/pybabel update -i build/messages.pot -d src/tanzuji/web/locale -l zh --no-location

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info node_modules $(VENDOR)
