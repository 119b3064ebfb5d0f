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

.PHONY: all setup configure build run test check-format format clients clean bench fuzz fuzz-build \
        fuzz-short corpus

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

# Sanitizer builds: leaks count, and the first UBSan report stops the test with a stack trace.
ifneq ($(SANITIZE),)
TEST_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_SHORT =
else
TEST_ENV =
FUZZ_SHORT = fuzz-short
endif

test: build clients check-format $(FUZZ_SHORT)
	@cd $(BUILD) && $(TEST_ENV) ctest --output-on-failure -j$(JOBS) --timeout 300

# The real-site corpus beside the project (../shared/corpus, or CORPUS=...): every row that fails,
# one line per course, and the total. The floor test in `make test` keeps it from going down.
CORPUS ?= ../shared/corpus
corpus: build
	@$(CORPUS)/score.sh $(BUILD)/daemon/coursecal -v

# libFuzzer targets (fuzz/): clang 14, ASan + UBSan, in their own build folder. `make fuzz` runs
# each for FUZZ_SECONDS; `make test` runs fuzz-short (10 s each) when clang++-14 is installed.
FUZZ_CXX ?= clang++-14
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = fuzz_week_page fuzz_config fuzz_pipeline fuzz_http

fuzz-build: setup
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DCOURSECAL_FUZZ=ON \
	  -DCOURSECAL_BUILD_TESTS=OFF -DCOURSECAL_WERROR=$(WERROR) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS)

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-short:
	@if command -v $(FUZZ_CXX) >/dev/null; then $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10; \
	else echo "fuzz-short: $(FUZZ_CXX) not found, skipped"; fi

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
