# coursecal: `make run` and `make test` work on a fresh Debian 12 machine from a clean clone.
# Both install what is missing (scripts/setup-deps.sh), configure and build first.

SANITIZE ?=
ifeq ($(SANITIZE),)
BUILD ?= build
else
BUILD ?= build-$(subst $(comma),-,$(SANITIZE))
endif
comma := ,
JOBS ?= 2
# CI builds with -Werror; locally warnings stay warnings.
ifeq ($(CI),true)
WERROR ?= ON
else
WERROR ?= OFF
endif
CONFIG ?= examples/coursecal.yaml
LISTEN ?= 127.0.0.1:8080

SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

.PHONY: all setup configure build run test check-format format clients clean bench

all: build

setup:
	@bash scripts/setup-deps.sh

configure: setup
	@cmake -S . -B $(BUILD) -DCOURSECAL_WERROR=$(WERROR) -DCOURSECAL_SANITIZE=$(SANITIZE) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# The JavaScript client test (ical.js, the parser inside Thunderbird), pinned by its lockfile.
clients: setup
	@cd tests/clients && npm ci --no-audit --no-fund --silent

run: build
	@echo "== coursecal check -c $(CONFIG)"
	@$(BUILD)/daemon/coursecal check -c $(CONFIG)
	@echo "== coursecal serve -c $(CONFIG) (Ctrl-C to stop)"
	@$(BUILD)/daemon/coursecal serve -c $(CONFIG) --listen $(LISTEN)

test: build clients check-format
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 300

# Benchmarks against nginx and python3-icalendar (bench/run.sh; N=1000 courses by default). Not
# part of `test`; installs the bench-only tools (nginx-light, wrk, hyperfine, python3-icalendar).
bench: setup
	@bash scripts/setup-deps.sh --bench
	@bash bench/run.sh

check-format:
	@clang-format --dry-run --Werror $(SOURCES) && echo "clang-format: ok"

format:
	@clang-format -i $(SOURCES)

clean:
	rm -rf build build-*
