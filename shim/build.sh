#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shim/build.sh PROFILE OUTDIR: build iommutrace_shim.ko for the test-bed
# kernel PROFILE in OUTDIR (a copy of shim/ and its uapi header: kbuild
# writes only there). The kernel tree: the iommufd profile's own build
# tree; for Debian's stock kernels, their headers packages (shim/headers.sh).
# Kernel trees under the test-bed cache are only read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=$1
out=$(realpath -m "$2")
CACHE=${IOMMUTRACE_CACHE:-$HOME/.cache/iommutrace}
kern=$CACHE/kernels/$profile/current
# the test bed's kernel: fetched or built as the guests would (tests/vm/kernel)
[[ -e $kern/kver ]] || tests/vm/kernel fetch "$profile" >/dev/null
[[ -e $kern/kver ]] || { echo "shim: no $profile kernel in $CACHE" >&2; exit 1; }
if [[ -e $kern/build ]]; then
	kdir=$(readlink -f "$kern/build")
else
	kdir=$(shim/headers.sh "$(cat "$kern/kver")")
fi
mkdir -p "$out/include" "$out/compat"
cp -p shim/*.c shim/*.h shim/Kbuild shim/conftest.sh "$out/"
cp -p shim/compat/*.h "$out/compat/"
cp -p include/iommutrace_shim.h "$out/include/"
make -s -C "$kdir" M="$out" modules
