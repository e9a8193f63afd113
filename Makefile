# Newsroom: `make run` serves the demo, `make test` runs everything. Only python3 and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Tests run the production settings over plain HTTP with a throwaway key.
TEST_ENV := SECRET_KEY=test-only-not-a-secret HTTPS=0

.PHONY: run serve test lint bench bench-storage fidelity parser-bench loadtest screenshots clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py loaddemo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production server locally: DEBUG off, static collected, gunicorn as newsroom/gunicorn.conf.py
# sizes it. SECRET_KEY from the environment, else one made once for this checkout; plain HTTP
# on 127.0.0.1:8000 unless HTTPS=1 (behind TLS) and BIND say otherwise.
serve: $(INSTALLED)
	test -n "$$SECRET_KEY" || test -s .secret_key || (umask 077 && \
		$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key)
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" DEBUG=0 HTTPS="$${HTTPS:-0}" && \
		$(BIN)/python manage.py migrate --noinput && \
		$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
		exec $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/mypy

test: lint
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The diff engine; what an API library costs a request; search over 1,000 stories × 20
# revisions on SQLite, then on PostgreSQL (SEARCH_BENCH_DATABASE_URL; its target is there).
SEARCH_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench
bench: $(INSTALLED)
	$(BIN)/python bench/diff_bench.py
	$(BIN)/python bench/api_overhead.py
	env -u DATABASE_URL $(BIN)/python bench/search_bench.py
	DATABASE_URL=$(SEARCH_BENCH_DATABASE_URL) $(BIN)/python bench/search_bench.py
	$(BIN)/python bench/provenance_bench.py

# Not part of `make test` nor `make bench`: 1,000 revisions of a 600 KB page stored, published and
# read back, on SQLite and on PostgreSQL, beside the same on the baseline commit's code.
STORAGE_BENCH_BASELINE ?= 8182abc
bench-storage: $(INSTALLED)
	STORAGE_BENCH_BASELINE=$(STORAGE_BENCH_BASELINE) $(BIN)/python bench/storage_bench.py

# Our HTML extraction against trafilatura on ../shared/corpora/publisher-pages (not in `test`).
fidelity: $(INSTALLED)
	$(BIN)/python bench/fidelity.py

# The parser against the one on main: the 600 KB text page and hostile markup.
parser-bench: $(INSTALLED)
	$(BIN)/python bench/parser_bench.py

# Not part of `make test`: the production server under wrk (bench/loadtest.py says what it does).
loadtest: $(INSTALLED)
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .hypothesis bench/results

screenshots: $(INSTALLED)
	$(BIN)/python scripts/screenshots.py
