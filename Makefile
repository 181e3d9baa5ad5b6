# The two commands of the README, and the targets behind them.
#
#   make run     build, then run the blink demo on the host (Ctrl-C stops it;
#                make run ARGS="--seconds 10" stops by itself)
#   make test    build everything and run every test: the host suite plain,
#                under valgrind, under ASan+UBSan, on the ucontext switch,
#                the threaded tests under ThreadSanitizer, cross-built for
#                aarch64 under qemu, the RP2040 firmware in the emulator, and
#                the fuzzers for 60 s each, and the Cortex-M33 firmware
#                under qemu
#   make test-lwip  the lwIP TCP transport's tests (lwIP from the vendored
#                pico-sdk), plain, under valgrind and under ASan+UBSan, the
#                LED page in Chromium served over lwIP on a TAP device (as
#                root), and the Pico W web server built (make firmware-pico-w)
#   make run-webserver  the LED web server on http://127.0.0.1:8080
#   make bench   benchmarks beside CPython asyncio (not part of make test);
#                make bench-net: TCP echo and HTTP against CPython and nginx
#                make bench-net-idle: the web server's RSS per idle connection
#                make bench-lwip: HTTP keep-alive over lwIP beside sockets
#   make fuzz    the libFuzzer targets, 60 s each (also part of make test)
#   make firmware  the RP2040 firmware (.elf, .bin, .uf2) in build-rp2040/
#   make bench-rp2040  cycle counts and sizes of the firmware, in the emulator
#   make flash   copies the blink firmware (or UF2=path/to/app.uf2) onto a Pico
#                in BOOTSEL mode (its RPI-RP2 / RP2350 drive), else prints the
#                picotool and openocd commands
#   make bench-pico-sdk  the pico-sdk port beside the bare-metal port (cycles,
#                blink sizes against sleep_ms and async_context), in the emulator
#   make test-pico-sdk  the pico-sdk port and examples/pico-sdk, built against
#                $PICO_SDK_PATH (or the SDK in ../shared/vendor) and run in
#                the emulator (part of make test; skipped without a pico-sdk)
#   make test-m33  the Cortex-M33 (Pico 2's CPU) switch and port under qemu
#   make bench-m33  instructions per asyncio_yield on the Cortex-M33, in qemu

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
CTEST ?= ctest --output-on-failure -j$(JOBS)
ARGS ?=

.PHONY: all run run-webserver test test-host test-lwip test-asan test-ucontext test-poll test-tsan test-aarch64 test-firmware test-pico-sdk test-fuzz test-e2e fuzz deps \
        firmware firmware-pico-w flash bench bench-rp2040 bench-pico-sdk bench-net bench-net-idle bench-lwip clean test-m33 bench-m33

all: build/Makefile
	$(CMAKE) --build build -j$(JOBS)

build/Makefile:
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo

run: build/Makefile
	$(CMAKE) --build build -j$(JOBS) --target blink
	./build/examples/blink $(ARGS)

run-webserver: build/Makefile
	$(CMAKE) --build build -j$(JOBS) --target webserver
	./build/examples/webserver/webserver --host 127.0.0.1 --port 8080 $(ARGS)

test: test-host test-asan test-ucontext test-poll test-tsan test-aarch64 test-lwip test-e2e test-fuzz test-firmware test-m33 test-pico-sdk

test-host: build/Makefile
	$(CMAKE) --build build -j$(JOBS)
	cd build && $(CTEST)

test-asan:
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCASYNCIO_SANITIZE=ON
	$(CMAKE) --build build-asan -j$(JOBS)
	cd build-asan && $(CTEST)

test-ucontext:
	$(CMAKE) -S . -B build-ucontext -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASYNCIO_UCONTEXT=ON
	$(CMAKE) --build build-ucontext -j$(JOBS)
	cd build-ucontext && $(CTEST)

# The poll(2) poller instead of epoll (valgrind runs cover the epoll build).
test-poll:
	$(CMAKE) -S . -B build-poll -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASYNCIO_POLLER=poll
	$(CMAKE) --build build-poll -j$(JOBS)
	cd build-poll && $(CTEST) -LE valgrind

test-tsan:
	$(CMAKE) -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASYNCIO_TSAN=ON
	$(CMAKE) --build build-tsan -j$(JOBS)
	cd build-tsan && $(CTEST) -L threads

# The aarch64 switch, cross-compiled and run under qemu-user.
test-aarch64:
	tools/install-aarch64-deps.sh
	$(CMAKE) -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(CMAKE) --build build-aarch64 -j$(JOBS)
	cd build-aarch64 && $(CTEST)

# The LED web server's page in headless Chromium (Debian's chromium, driven by
# playwright-core from npm; tests/e2e/install.sh sets both up once).
test-e2e: build/Makefile
	sh tests/e2e/install.sh
	$(CMAKE) --build build -j$(JOBS) --target webserver sensor-display
	node --test tests/e2e/webserver.test.mjs

# The lwIP transport (label lwip): lwIP built from pico-sdk's lib/lwip
# (unpacked from the vendored release into the build tree), its tests plain
# and under valgrind; the web page in Chromium over lwIP on a TAP device
# (skipped unless root); the tests under ASan+UBSan; the Pico W build.
test-lwip:
	$(CMAKE) -S . -B build-lwip -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASYNCIO_LWIP=ON
	$(CMAKE) --build build-lwip -j$(JOBS) --target lwip-tests
	cd build-lwip && $(CTEST) -L lwip
	JOBS=$(JOBS) sh tests/lwip/e2e_tap.sh build-lwip
	$(CMAKE) -S . -B build-lwip-asan -DCMAKE_BUILD_TYPE=Debug -DCASYNCIO_SANITIZE=ON -DCASYNCIO_LWIP=ON
	$(CMAKE) --build build-lwip-asan -j$(JOBS) --target lwip-tests
	cd build-lwip-asan && $(CTEST) -L lwip
	JOBS=$(JOBS) sh bench/lwip/pico_w_size.sh

# The LED web server for the Pico W and pico-sdk's lwIP httpd, built in one
# tree (build-pico-w-size/): flash and static RAM of each.
firmware-pico-w:
	JOBS=$(JOBS) sh bench/lwip/pico_w_size.sh

# libFuzzer on the HTTP parser and the stream readers, 60 s each.
test-fuzz fuzz:
	sh fuzz/run.sh 60

deps:
	@if [ -x tools/install-deps.sh ]; then tools/install-deps.sh; fi

firmware: deps
	$(CMAKE) -S . -B build-rp2040 -DCASYNCIO_PORT=rp2040 \
	    -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/arm-none-eabi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel
	$(CMAKE) --build build-rp2040 -j$(JOBS)

UF2 ?=
flash:
	@if [ -z "$(UF2)" ]; then $(MAKE) --no-print-directory firmware >/dev/null; fi
	tools/flash.sh $(if $(UF2),$(UF2),build-rp2040/examples/blink.uf2)

test-firmware: firmware
	cd build-rp2040 && $(CTEST)

# pico-sdk found, unpacked, configured and built once (tests/pico-sdk/run.sh);
# ctest label pico-sdk.
test-pico-sdk:
	JOBS=$(JOBS) tests/pico-sdk/run.sh

bench-pico-sdk:
	JOBS=$(JOBS) bench/pico-sdk/run.sh

bench-rp2040: deps
	$(CMAKE) -S . -B build-rp2040 -DCASYNCIO_PORT=rp2040 -DCASYNCIO_BUILD_BENCH=ON \
	    -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/arm-none-eabi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel
	$(CMAKE) --build build-rp2040 -j$(JOBS) --target bench-rp2040

# The Cortex-M33 port (src/port/mps2-an505) and armv8m.S under
# qemu-system-arm's mps2-an505, built for each floating-point ABI: hard,
# softfp (pico-sdk's for the RP2350) and soft (no FPU registers to save).
M33_FLOAT_ABIS ?= hard softfp soft
M33_CONFIGURE = $(CMAKE) -S . -B build-m33-$$abi -DCASYNCIO_PORT=mps2-an505 -DCASYNCIO_FLOAT_ABI=$$abi \
	    -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/arm-none-eabi-m33.cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo

test-m33:
	tools/install-m33-deps.sh
	for abi in $(M33_FLOAT_ABIS); do \
	    $(M33_CONFIGURE) && $(CMAKE) --build build-m33-$$abi -j$(JOBS) && \
	    (cd build-m33-$$abi && $(CTEST)) || exit 1; \
	done

bench-m33:
	tools/install-m33-deps.sh
	for abi in hard soft; do \
	    $(M33_CONFIGURE) && $(CMAKE) --build build-m33-$$abi -j$(JOBS) --target m33_bench_yield && \
	    tests/m33/run.sh qemu-system-arm build-m33-$$abi/tests/m33/m33_bench_yield.elf 0 || exit 1; \
	done

bench-net:
	sh bench/net/run.sh 5

bench-net-idle:
	sh bench/net/idle_rss.sh

bench-lwip:
	sh bench/lwip/run.sh 3

bench:
	$(CMAKE) -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCASYNCIO_BUILD_TESTS=OFF -DCASYNCIO_BUILD_EXAMPLES=OFF -DCASYNCIO_BUILD_BENCH=ON
	$(CMAKE) --build build-bench -j$(JOBS)
	python3 bench/run.py --bin-dir build-bench/bench

clean:
	rm -rf build build-asan build-ucontext build-tsan build-aarch64 build-rp2040 build-bench build-m33-* build-pico-sdk build-lwip build-lwip-asan build-pico-w-size
