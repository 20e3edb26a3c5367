# Everyday entry points. Each installs what it needs on Debian/Ubuntu
# (libhiredis-dev, libssl-dev, redis-server) when it is missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := libhiredis-dev libssl-dev redis-server pkg-config

.PHONY: deps build test test-tsan test-asan demo chat bench clean

deps:
	@missing=""; \
	[ -f /usr/include/hiredis/hiredis.h ] || missing="$$missing libhiredis-dev"; \
	[ -f /usr/include/openssl/evp.h ] || missing="$$missing libssl-dev"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
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

# The whole suite under ThreadSanitizer, in its own build folder.
test-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	TSAN_OPTIONS=halt_on_error=1 \
		$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan

# The whole suite under AddressSanitizer, which on Linux also reports leaks
# (of hiredis contexts and replies, and of Swift objects passed through C).
test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp \
		$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan

clean:
	rm -rf .build
