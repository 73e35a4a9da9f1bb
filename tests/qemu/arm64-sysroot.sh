#!/bin/sh
# An arm64 Debian sysroot for cross-building ustap and booting it in qemu-system-aarch64:
# the arm64 .debs of ustap's libraries (and their -dev parts), libc, busybox-static and the
# kernel, fetched with `apt-get download` (no root: dpkg --add-architecture arm64 and
# apt-get update must have been done) and unpacked with dpkg -x into DIR.
#   tests/qemu/arm64-sysroot.sh DIR     (exit 0: DIR/.done exists; 77: arm64 packages unavailable)
set -eu
DIR=$1
[ -f "$DIR/.done" ] && exit 0
PKGS="libc6 libc6-dev libc6-dbg linux-libc-dev libgcc-s1 libgcc-12-dev libelf1 libelf-dev libdw1 libdw-dev libunwind8 libunwind-dev
      libpfm4 libpfm4-dev zlib1g zlib1g-dev liblzma5 liblzma-dev libbz2-1.0 libzstd1
      systemtap-sdt-dev busybox-static bash libtinfo6 findutils util-linux libcap-ng0 coreutils"
dpkg --print-foreign-architectures | grep -qx arm64 || { echo "no arm64 architecture in dpkg"; exit 77; }
kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
[ -n "$kpkg" ] || { echo "no linux-image-arm64:arm64 in the apt lists"; exit 77; }
mkdir -p "$DIR/debs"
cd "$DIR/debs"
for p in $PKGS $kpkg; do
	ls ${p}_*_arm64.deb > /dev/null 2>&1 && continue
	apt-get download -q "$p:arm64" > /dev/null 2>&1 || { echo "apt-get download $p:arm64 failed"; exit 77; }
done
for d in *.deb; do dpkg -x "$d" ..; done
cd ..
# absolute symlinks (libfoo.so -> /lib/...) re-aimed inside the sysroot
find . -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in /*) ln -sfn "$PWD$t" "$l" ;; esac
done
touch .done
