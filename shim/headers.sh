#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shim/headers.sh KVER: a kernel tree to build the shim against, for a
# Debian stock kernel `uname -r` KVER, from Debian's linux-headers-KVER,
# its -common and linux-kbuild packages of that exact version; prints it.
# Kept in ${IOMMUTRACE_SHIM_CACHE:-~/.cache/iommutrace-shim}/KVER (the
# headers Makefile's include pointed at the extracted -common). Package
# lists: a private copy of the test bed's (tests/vm/kernel), else a
# private apt-get update of tests/vm/apt-sources.list; the system's apt
# configuration and the test-bed cache are never written.
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/vm" && pwd)
kver=$1
[[ $kver =~ ^[0-9][0-9a-z.+~-]*-amd64$ ]] || { echo "shim: headers: not a Debian amd64 release: '$kver'" >&2; exit 1; }
CACHE=${IOMMUTRACE_SHIM_CACHE:-$HOME/.cache/iommutrace-shim}
TB_LISTS=${IOMMUTRACE_CACHE:-$HOME/.cache/iommutrace}/apt/lists
dir=$CACHE/$kver
kdir=$dir/root/usr/src/linux-headers-$kver
if [[ -e $dir/.complete ]]; then
	echo "$kdir"
	exit 0
fi
apt_dir=$CACHE/apt
apt_q() {
	local tool=$1
	shift
	"$tool" -q -o Dir::Etc::SourceList="$VM_DIR/apt-sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::State::status=/dev/null \
		-o Dir::Cache="$apt_dir/cache" -o APT::Architecture=amd64 -o Acquire::Languages=none \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs"
if ! ls "$apt_dir"/lists/*_Packages* >/dev/null 2>&1; then
	if ls "$TB_LISTS"/*_Packages* >/dev/null 2>&1; then
		cp "$TB_LISTS"/*_InRelease "$TB_LISTS"/*_Packages* "$apt_dir/lists/"
	else
		apt_q apt-get update >"$dir/update.log" 2>&1 || { echo "shim: headers: apt-get update failed ($dir/update.log)" >&2; exit 1; }
	fi
fi
base=${kver%-amd64}
# 6.1.0-57-amd64: common 6.1.0-57-common, kbuild 6.1; later: kbuild of the same base
kb=linux-kbuild-$base
[[ $base =~ ^([0-9]+\.[0-9]+)\.0-[0-9]+$ ]] && kb=linux-kbuild-${BASH_REMATCH[1]}
pkgs=("linux-headers-$kver" "linux-headers-$base-common" "$kb")
for p in "${pkgs[@]}"; do
	apt_q apt-cache show "$p" >/dev/null 2>&1 ||
		{ echo "shim: headers: $p is not in the archive (lists in $apt_dir/lists)" >&2; exit 1; }
done
(cd "$dir/debs" && apt_q apt-get download "${pkgs[@]}" >"$dir/download.log" 2>&1) ||
	{ echo "shim: headers: download of ${pkgs[*]} failed ($dir/download.log)" >&2; exit 1; }
rm -rf "$dir/root"
for f in "$dir"/debs/*.deb; do dpkg-deb -x "$f" "$dir/root"; done
sed -i -e "s|^include /usr/src/|include $dir/root/usr/src/|" \
	-e "s|^KBUILD_OUTPUT=/usr/src/|KBUILD_OUTPUT=$dir/root/usr/src/|" "$kdir/Makefile"
# the kbuild tools must run here (trixie's need a newer glibc than bookworm's)
if "$kdir/scripts/basic/fixdep" </dev/null 2>&1 | grep -q 'GLIBC_\|not found\|cannot execute'; then
	echo "shim: headers: $kb's tools do not run on this host" >&2
	exit 1
fi
touch "$dir/.complete"
echo "$kdir"
