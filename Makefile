# Everyday entry points. Each installs what it needs on Debian/Ubuntu
# (libhiredis-dev, libssl-dev, redis-server, redis-tools) when it is missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := libhiredis-dev libssl-dev redis-server pkg-config

.PHONY: deps build test demo chat bench clean

deps:
	@missing=""; \
	[ -f /usr/include/hiredis/hiredis.h ] || missing="$$missing libhiredis-dev"; \
	[ -f /usr/include/openssl/evp.h ] || missing="$$missing libssl-dev"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v redis-benchmark >/dev/null 2>&1 || missing="$$missing redis-tools"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Release build of the benchmark and its raw-hiredis peer, then one run
# against a private redis-server. Pass options with BENCH_ARGS, for example
# make bench BENCH_ARGS="--idle default --repetitions 5" (bench --help).
bench: deps
	$(SWIFT) build -c release --product bench
	$(SWIFT) build -c release --product hiredis-peer
	"$$($(SWIFT) build -c release --show-bin-path)/bench" $(BENCH_ARGS)

clean:
	rm -rf .build
