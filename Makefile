# Two entry points for a fresh machine (see README):
#   make seeds   set up, build the seed graph (out/), load it into the database
#   make test    set up, install the browser for the page tests, run the test suite
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup seeds test bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	@echo "installing kg and its test tools into $(VENV): about a minute on a fresh machine"
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

seeds: setup
	$(BIN)/kg build seeds -o out
	$(BIN)/kg load out/graph.json

# pytest exits 5 when it collects no test: that is not a failure of the suite.
test: setup
	sh tests/browser_setup.sh
	$(BIN)/pytest -q || [ $$? -eq 5 ]

clean:
	rm -rf out .pytest_cache
