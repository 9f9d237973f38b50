# shellcheck shell=bash
# Sourced by tests/host/run: the build keeps its own flags when CFLAGS is
# given on the command line (make test-unit CFLAGS=-O0 must still build).
expect build-cflags-kept 0 'std=gnu11 .*-Werror .*-Iinclude' \
	make -n -B OUTPUT="$tmp/build" CFLAGS=-O0 "$tmp/build/user/lib/log.o"
