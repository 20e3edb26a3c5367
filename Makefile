# Everyday entry points. Each installs what it needs on Debian/Ubuntu
# (libhiredis-dev, libssl-dev, redis-server, redis-tools) when it is missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test test-tsan test-asan fuzz fuzz-check fuzz-reply fuzz-event demo chat bench soak clean

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

# Runs the test command $(1) with TMPDIR set to a fresh folder, where the
# suites' redis-servers keep their sockets and data, then stops any server
# still running there and removes the folder. The suites stop their own
# servers; a test process that crashed, or that a sanitizer halted, cannot,
# and its servers would live on. A server's working directory is its folder.
define run_tests
	@scratch=$$(mktemp -d /tmp/redis-tests.XXXXXX); \
	TMPDIR=$$scratch $(1); status=$$?; \
	for pid in $$(pgrep -x redis-server); do \
		case "$$(readlink /proc/$$pid/cwd 2>/dev/null)" in \
			"$$scratch"/*) kill -9 $$pid ;; \
		esac; \
	done; \
	rm -rf "$$scratch"; exit $$status
endef

test: deps
	$(SWIFT) build --build-tests
	$(call run_tests,$(SWIFT) test --skip-build)

# The whole suite under ThreadSanitizer, in its own build folder. The
# suppressions cover the Swift runtime's hand-over of a resumed task, which
# TSan cannot see on Linux; the file says which reports they drop.
test-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	$(call run_tests,SANITIZER=thread \
		TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/.ci/tsan.supp \
		$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan)

# The whole suite under AddressSanitizer, which on Linux also reports leaks
# (of hiredis contexts and replies, and of Swift objects passed through C).
test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	$(call run_tests,SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp \
		$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan)

# libFuzzer targets, each run for FUZZ_SECONDS. A crash leaves its input in
# .build/fuzz/<target>/; copy it under Tests/*/Regressions/ so that the
# suite replays it (and the next run starts from it).
FUZZ_SECONDS ?= 60
FUZZ_LIMIT ?= -max_total_time=$(FUZZ_SECONDS)
# The package name lets the modules share their `package` declarations, as
# they do when SwiftPM builds them. lld, because gold warns about every
# AddressSanitizer symbol it cannot export.
FUZZ_FLAGS := -sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld \
	-package-name swift_hiredis_chat \
	-I Sources/CHiredis -I Sources/CCrypto -lhiredis -lcrypto
# hiredis 0.14 trusts a reply's element count and callocs the array up
# front, so `*888888888` asks for gigabytes: cap single allocations and let
# hiredis see NULL (its out-of-memory path) instead of counting it as a crash.
FUZZ_ASAN := allocator_may_return_null=1:max_allocation_size_mb=512
# libFuzzer reports crashes itself; Swift's backtracer, attached to the
# crashing process, can hold the run open long after it.
FUZZ_ENV := SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=$(FUZZ_ASAN)
HIREDIS_SOURCES := $(shell find Sources/Hiredis -name '*.swift')
CHAT_SOURCES := $(shell find Sources/Chat -name '*.swift')

fuzz: fuzz-reply fuzz-event

# Builds both fuzzers and runs each once over its kept inputs, without
# fuzzing: a quick check, for CI, that they still build and pass.
fuzz-check:
	$(MAKE) fuzz FUZZ_LIMIT=-runs=0

# hiredis' reader, the reply conversion and typed decoding: the Hiredis
# sources and the entry point as one module.
fuzz-reply: deps
	mkdir -p .build/fuzz/reply/corpus
	swiftc $(FUZZ_FLAGS) -module-name ReplyFuzzer $(HIREDIS_SOURCES) \
		Fuzz/ReplyFuzzer/ReplyFuzzer.swift -o .build/fuzz/reply/fuzzer
	cp Tests/HiredisTests/Regressions/reply/* .build/fuzz/reply/corpus/
	cd .build/fuzz/reply && $(FUZZ_ENV) \
		./fuzzer $(FUZZ_LIMIT) -max_len=4096 -malloc_limit_mb=1024 corpus

# The chat event decoder and the encode-decode round trip. The Chat sources
# import Hiredis by name, so Hiredis is built first as a module of its own;
# the Chat sources and the entry point then form the fuzzer's module.
fuzz-event: deps
	mkdir -p .build/fuzz/event/corpus
	swiftc $(FUZZ_FLAGS) -emit-library -static -emit-module -module-name Hiredis \
		-emit-module-path .build/fuzz/event/Hiredis.swiftmodule $(HIREDIS_SOURCES) \
		-o .build/fuzz/event/libHiredis.a
	swiftc $(FUZZ_FLAGS) -I .build/fuzz/event -module-name EventFuzzer $(CHAT_SOURCES) \
		Fuzz/EventFuzzer/EventFuzzer.swift .build/fuzz/event/libHiredis.a \
		-o .build/fuzz/event/fuzzer
	cp Tests/ChatTests/Regressions/event/* .build/fuzz/event/corpus/
	cd .build/fuzz/event && $(FUZZ_ENV) \
		./fuzzer $(FUZZ_LIMIT) -max_len=4096 -malloc_limit_mb=1024 \
		-dict=$(CURDIR)/Fuzz/EventFuzzer/event.dict corpus

# The main job: the chat demo, on a private redis-server unless REDIS_URL is set.
demo: deps
	$(SWIFT) build --product chat-demo
	$(SWIFT) run --skip-build chat-demo

# The terminal client: `make chat USER=alice ROOM=general` (USER is your
# login name unless given, ROOM is general). With REDIS_URL it uses that
# server. Without, every `make chat` of this checkout shares one private
# redis-server on a unix socket under .build/chat-server, so that two
# terminals can talk: the first client starts it, the last one to leave
# stops it. `trap` keeps the shell alive through Ctrl-C for that last step,
# and Ctrl-C counts as a normal way to leave.
ROOM ?= general
CHAT_SERVER := $(CURDIR)/.build/chat-server
CHAT_SOCKET := $(CHAT_SERVER)/redis.sock

chat: deps
	$(SWIFT) build --product chat
	@url="$(REDIS_URL)"; \
	if [ -z "$$url" ]; then \
		url="unix://$(CHAT_SOCKET)"; \
		mkdir -p "$(CHAT_SERVER)"; \
		redis-cli -s "$(CHAT_SOCKET)" ping >/dev/null 2>&1 || \
			redis-server --port 0 --unixsocket "$(CHAT_SOCKET)" --unixsocketperm 700 \
				--dir "$(CHAT_SERVER)" --save "" --appendonly no --daemonize yes \
				--logfile "$(CHAT_SERVER)/redis.log"; \
		for attempt in 1 2 3 4 5 6 7 8 9 10; do \
			redis-cli -s "$(CHAT_SOCKET)" ping >/dev/null 2>&1 && break; sleep 0.3; \
		done; \
	fi; \
	trap : INT TERM; \
	"$$($(SWIFT) build --show-bin-path)/chat" --url "$$url" --user "$(USER)" --room "$(ROOM)"; \
	status=$$?; [ $$status -eq 130 ] && status=0; \
	if [ -z "$(REDIS_URL)" ] && redis-cli -s "$(CHAT_SOCKET)" info clients 2>/dev/null | \
			grep -q '^connected_clients:1\b'; then \
		redis-cli -s "$(CHAT_SOCKET)" shutdown nosave >/dev/null 2>&1; \
	fi; \
	exit $$status

# The chaos soak: simulated users talk while redis-server is killed with
# SIGKILL and restarted twice and a subscriber's connection is cut; then
# every send and every delivery is checked against history. Exits non-zero
# on any lost or duplicated message. Runs SOAK_SECONDS of talk (10 to 3600),
# plus setup and checks. See SOAK.md.
SOAK_SECONDS ?= 100

soak: deps
	$(SWIFT) build --product chat-soak
	$(SWIFT) run --skip-build chat-soak --seconds $(SOAK_SECONDS)

# Release build of the benchmark and its raw-hiredis peer, then one run
# against a private redis-server. Pass options with BENCH_ARGS, for example
# make bench BENCH_ARGS="--idle default --repetitions 5" (bench --help).
bench: deps
	$(SWIFT) build -c release --product bench
	$(SWIFT) build -c release --product hiredis-peer
	"$$($(SWIFT) build -c release --show-bin-path)/bench" $(BENCH_ARGS)

clean:
	rm -rf .build
