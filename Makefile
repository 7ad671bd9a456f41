# pollbot: `make run` sets up and runs the bot, `make test` sets up and runs every test.
SWIFT ?= swift
CONFIG ?= bot.toml
APT_PACKAGES := libsqlite3-dev libcurl4-openssl-dev libsodium-dev libcairo2-dev fonts-dejavu-core pkg-config
# A static Swift runtime maps only the code it uses: less RSS on a small VPS.
RELEASE_FLAGS := -c release --static-swift-stdlib

# make install: PREFIX for the binary and docs, DESTDIR to stage the tree elsewhere, BINARY to install an already
# built binary instead of building release.
PREFIX ?= /usr/local
DESTDIR ?=
BINARY ?=

.PHONY: deps build run test browser-test bench soak fuzz fuzz-build check-config clean install uninstall

## Install the Debian packages the native targets need (only the missing ones).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product pollbot

## Run the bot with $(CONFIG).
run: build
	@if [ ! -f "$(CONFIG)" ]; then \
		echo "No $(CONFIG) here, so this is the offline demo (paper broker, nothing leaves this machine)."; \
		echo "To run the real bot: cp etc/bot.example.toml $(CONFIG), put your token from @BotFather in it,"; \
		echo "set [storage] path, run .build/release/pollbot keygen --out master.key and set [security] key_file; then make run."; \
		echo; \
		exec .build/release/pollbot demo; \
	else \
		exec .build/release/pollbot --config $(CONFIG); \
	fi

check-config: build
	.build/release/pollbot check-config --config $(CONFIG)

## Every test: unit, integration against the in-process fakes, and the process tests of the built binary.
## Tests run at most 8 at once: hundreds of bots, fakes and child processes at the same time on 2 cores would
## turn timing into chance.
test: deps
	$(SWIFT) build --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 $(SWIFT) test --skip-build
	@if command -v chromium >/dev/null 2>&1; then SWIFT="$(SWIFT)" scripts/browser-test.sh; \
	else echo "chromium is not installed: the status page's browser test is skipped (make browser-test installs it)"; fi

## The status page rendered by a real headless Chromium; installs Debian's chromium first if it is missing.
browser-test: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES=chromium
	SWIFT="$(SWIFT)" scripts/browser-test.sh

## The throughput, steady-state latency and chart benchmarks (numbers go in BENCHMARKS.md).
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	.build/release/pollbot-bench
	.build/release/pollbot-bench steady
	.build/release/pollbot-bench charts
	.build/release/pollbot-bench analysis
	.build/release/pollbot-bench alerts
	.build/release/pollbot-bench scrape

## libFuzzer: FUZZ_SECONDS per target (FUZZ_TARGETS to pick), each from its committed corpus in Tests/Fuzz/Corpus;
## what it grows goes to .build-fuzz/corpus, crashes to .build-fuzz/crashes. Prints executions, corpus and crashes.
## A target may carry its own seconds: FUZZ_TARGETS="html:120 config:90". Debug (the targets need DEBUG and
## @testable) but optimised: -Onone ran several times fewer executions per second; -O drops Swift `assert`s, the
## invariants trap through preconditions.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= update arguments language html config openalgo chart blackscholes tzif
FUZZ_FLAGS := --scratch-path .build-fuzz-opt -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xswiftc -O
fuzz-build: deps
	POLLBOT_FUZZ=1 $(SWIFT) build $(FUZZ_FLAGS) --product pollbot-fuzz

fuzz: fuzz-build
	@FUZZ_BIN="$$(POLLBOT_FUZZ=1 $(SWIFT) build $(FUZZ_FLAGS) --show-bin-path)/pollbot-fuzz" \
		FUZZ_SECONDS="$(FUZZ_SECONDS)" sh scripts/fuzz.sh $(FUZZ_TARGETS)

## Install the binary, the systemd unit, an example config (never over an existing one) and the docs.
install: $(if $(BINARY),,build)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" BINARY="$(or $(BINARY),.build/release/pollbot)" sh scripts/install.sh

## Remove what install put there except the config, the key, the data and the pollbot user.
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/pollbot" "$(DESTDIR)/etc/systemd/system/pollbot.service"
	rm -rf "$(DESTDIR)$(PREFIX)/share/doc/pollbot"
	@echo "kept /etc/pollbot (config and key) and /var/lib/pollbot (the database); remove them by hand if you mean to"

## The chaos soak: 10,000 updates from 500 users, 100 SIGKILLs with restarts, faults on Telegram and the broker,
## 429 storms; prints its figures and exits 1 if a promise broke (figures in RELIABILITY.md). A few minutes.
soak: deps
	$(SWIFT) build --product pollbot
	$(SWIFT) build --product pollbot-soak
	.build/debug/pollbot-soak

clean:
	rm -rf .build .build-fuzz .build-fuzz-opt
