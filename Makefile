# pollbot: `make run` sets up and runs the bot, `make test` sets up and runs every test.
SWIFT ?= swift
CONFIG ?= bot.toml
APT_PACKAGES := libsqlite3-dev libcurl4-openssl-dev libsodium-dev libcairo2-dev fonts-dejavu-core pkg-config
# A static Swift runtime maps only the code it uses: less RSS on a small VPS.
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: deps build run test bench soak check-config clean

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

## The throughput and chart benchmarks (numbers go in BENCHMARKS.md).
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	.build/release/pollbot-bench
	.build/release/pollbot-bench charts
	.build/release/pollbot-bench analysis

## The chaos soak: 10,000 updates from 500 users, 100 SIGKILLs with restarts, faults on Telegram and the broker,
## 429 storms; prints its figures and exits 1 if a promise broke (figures in RELIABILITY.md). A few minutes.
soak: deps
	$(SWIFT) build --product pollbot
	$(SWIFT) build --product pollbot-soak
	.build/debug/pollbot-soak

clean:
	rm -rf .build
