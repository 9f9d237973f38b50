#!/bin/sh
# Install every build and test dependency of iommutrace from Debian packages.
# Idempotent: prints nothing and installs nothing when all is present.
# Works on Debian 12 (bookworm) and newer; needs root (or sudo) only when
# something is missing.
set -eu

# Packages, sorted; one line each with the reason.
PKGS="
bash-completion
bc
bison
bpftrace
bpftool
busybox-static
ca-certificates
clang
cpio
curl
debhelper
dpkg-dev
dwarves
fakeroot
flex
gcc
gcc-multilib
gnuplot-nox
help2man
jq
kmod
libbpf-dev
libc6-dev-i386
libclang-rt-dev
libcriterion-dev
libdeflate-dev
libelf-dev
libjson-c-dev
libmicrohttpd-dev
libncurses-dev
libssl-dev
libyaml-dev
llvm
make
man-db
pkg-config
prometheus
qemu-system-x86
rsync
tmux
xz-utils
zlib1g-dev
zstd
"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: missing packages:$missing; run as root to install them" >&2
		exit 1
	}
	SUDO="sudo"
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -qq update >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get -qq install -y --no-install-recommends $missing >/dev/null
