#!/bin/sh
# vmlinux/gen-uapi.sh KSRC DIR: install the sanitized uapi headers of the
# linux source tree KSRC and copy linux/iommufd.h and linux/vfio.h to
# DIR/linux/ (Debian 12's linux-libc-dev is too old to have them). Run by
# `make uapi KSRC=...`; never edit the results by hand.
set -eu
ksrc=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s -C "$ksrc" O="$tmp/o" headers_install INSTALL_HDR_PATH="$tmp/usr" >/dev/null
mkdir -p "$dir/linux"
for h in iommufd.h vfio.h; do
	cp "$tmp/usr/include/linux/$h" "$dir/linux/$h"
done
echo "uapi: copied linux/iommufd.h linux/vfio.h from $ksrc ($(make -s -C "$ksrc" kernelversion))"
