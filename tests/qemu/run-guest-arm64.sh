#!/bin/sh
# Boot Debian's arm64 kernel in qemu-system-aarch64 (TCG) with a busybox initramfs carrying the
# aarch64 build of ustap (make arm64), Debian's arm64 libraries, the tapset, the aarch64 test
# targets and the process tests; run them there with tests/run; print its report and power off.
#   tests/qemu/run-guest-arm64.sh BUILD_DIR ['PATTERN...']   (tests/run patterns; default stp/process)
# Exit 0 when every guest test passed, 77 when qemu or the arm64 sysroot is missing.
# QEMU_TIMEOUT (default 500 s) bounds the whole boot; GUEST_TEST_TIMEOUT (120 s) each test;
# GUEST_ONLY="process/NAME ..." copies only those tests in; GUEST_CMD runs a command instead.
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build-arm64}
PATTERN=${2:-stp/process}
case $BUILD in /*) ;; *) BUILD=$SRCDIR/$BUILD ;; esac
S=$BUILD/sysroot
QEMU=$(command -v qemu-system-aarch64) || { echo "skipped: qemu-system-aarch64 not installed (make arm64-deps)"; exit 77; }
KERNEL=$(ls "$S"/boot/vmlinuz-*-arm64 2>/dev/null | sort -V | tail -1)
[ -n "$KERNEL" ] && [ -x "$S/bin/busybox" ] && [ -x "$S/bin/bash" ] ||
	{ echo "skipped: no arm64 sysroot in $S (make arm64)"; exit 77; }
[ -x "$BUILD/ustap" ] || { echo "run-guest-arm64: no $BUILD/ustap (make arm64)" >&2; exit 2; }
command -v cpio > /dev/null || { echo "skipped: no cpio"; exit 77; }

WORK=$(mktemp -d /tmp/ustap-qemu-arm64.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
U=$R/ustap
mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp $R/etc $R/lib/aarch64-linux-gnu \
	$R/usr/lib/aarch64-linux-gnu $U/build/tests $U/tests
# GNU xargs -d for tests/run, util-linux's setpriv and flock, coreutils' dd (iflag=skip_bytes
# on /proc/PID/mem) for the shell tests
cp "$S/bin/busybox" "$S/bin/bash" "$S/usr/bin/xargs" "$S/usr/bin/setpriv" "$S/usr/bin/flock" \
	"$S/bin/dd" $R/bin/
# Debian's layout (not merged /usr): libc and friends in /lib, the rest in /usr/lib
cp -L "$S"/lib/aarch64-linux-gnu/*.so* $R/lib/aarch64-linux-gnu/
for f in "$S"/usr/lib/aarch64-linux-gnu/*.so.*; do cp -L "$f" $R/usr/lib/aarch64-linux-gnu/; done
ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 $R/lib/ld-linux-aarch64.so.1
# libc6-dbg, by build-id: libc functions by DWARF, as on a host with libc6-dbg
mkdir -p $R/usr/lib/debug && cp -r "$S/usr/lib/debug/.build-id" $R/usr/lib/debug/
cp "$BUILD/ustap" $U/build/
cp -r "$BUILD/tests/targets" $U/build/tests/
# nm for the shell tests that look up a symbol: the cross nm's answers, made here
mkdir -p $U/nm
for t in $U/build/tests/targets/*; do aarch64-linux-gnu-nm "$t" > $U/nm/${t##*/} 2>/dev/null; done
printf '#!/bin/sh\ncat "/ustap/nm/${1##*/}"\n' > $R/bin/nm
chmod +x $R/bin/nm
if [ -d "$BUILD/tests/unit" ]; then
	mkdir -p $U/build/tests/unit
	for t in "$BUILD"/tests/unit/*; do
		# x86 only: decoder tables, probes at x86 instruction offsets (test_bkpt: add+1)
		case $t in *x86*|*/test_bkpt) continue ;; esac
		[ -f "$t" ] && [ -x "$t" ] && cp "$t" $U/build/tests/unit/
	done
fi
cp -r "$SRCDIR/tapset" $U/tapset
cp "$SRCDIR/tests/run" "$SRCDIR/tests/lib.bash" $U/tests/
cp -r "$SRCDIR/tests/stp" "$SRCDIR/tests/unit" $U/tests/
rm -rf $U/tests/stp/nginx
# what this guest cannot do, whatever the arch: a skip-if with the reason, in the guest's copy
guest_skip() {
	[ -f $U/tests/stp/$1.stp ] || [ -f $U/tests/stp/$1.sh ] || return 0
	printf '# %s\ntrue\n' "$2" > $U/tests/stp/$1.skip-if
}
guest_skip process/hugetlb "guest kernel 6.1: ptrace (FOLL_FORCE) writes into hugetlb text fail with EIO"
guest_skip process/zombie_pid "no pgrep (procps) in the guest"
guest_skip process/rpath_rel "no gcc in the guest"
# GUEST_ONLY="process/NAME ...": exactly these tests (tests/run patterns are substrings)
if [ -n "${GUEST_ONLY:-}" ]; then
	mv $U/tests/stp $U/tests/all; mkdir $U/tests/stp
	for t in $GUEST_ONLY; do
		mkdir -p $U/tests/stp/${t%/*}
		cp $U/tests/all/$t.* $U/tests/stp/${t%/*}/
	done
	rm -rf $U/tests/all
fi
# GUEST_CMD: a shell command to run in the guest instead of the tests (debugging)
[ -n "${GUEST_CMD:-}" ] && printf '%s\n' "$GUEST_CMD" > $U/cmd
echo ustap-arm64 > $R/etc/hostname
echo 'root:x:0:0:root:/:/bin/sh' > $R/etc/passwd
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> $R/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > $R/etc/group
cat > $R/init <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp
mount -t proc none /proc; mount -t sysfs none /sys; mount -t devtmpfs none /dev
mount -t tmpfs none /tmp; ln -s /proc/self/fd /dev/fd
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
echo "guest: \$(uname -m) \$(uname -r), \$(grep -c ^processor /proc/cpuinfo) cpus, up \$(cut -d' ' -f1 /proc/uptime)s"
cd /ustap
export BUILD=/ustap/build USTAP=/ustap/build/ustap TARGETS=/ustap/build/tests/targets SRCDIR=/ustap
if [ -f /ustap/cmd ]; then bash /ustap/cmd > /tmp/report 2>&1; echo "cmd exit \$?" >> /tmp/report
else
	p=0; f=0; k=0
	for pat in $PATTERN; do
		JOBS=${GUEST_JOBS:-2} TEST_TIMEOUT=${GUEST_TEST_TIMEOUT:-120} VERBOSE=1 bash tests/run "\$pat" > /tmp/r 2>&1
		sed '\$d' /tmp/r >> /tmp/report
		set -- \$(tail -1 /tmp/r | tr -dc '0-9 ')
		p=\$((p + \${1:-0})); f=\$((f + \${2:-0})); k=\$((k + \${3:-0}))
	done
	echo "\$p passed, \$f failed, \$k skipped" >> /tmp/report
fi
sed 's/^/GUEST: /' /tmp/report
echo "GUEST-RESULT: \$(tail -1 /tmp/report), up \$(cut -d' ' -f1 /proc/uptime)s"
poweroff -f
INIT
chmod +x $R/init
(cd $R && find . | cpio -o -H newc 2>/dev/null | gzip -1) > $WORK/initrd.gz

# cortex-a57: TCG emulates it faster than -cpu max (no pointer authentication, no SVE)
timeout -k 5 "${QEMU_TIMEOUT:-500}" "$QEMU" -M virt -cpu cortex-a57 -accel tcg -m 1024 -smp 2 \
	-nographic -no-reboot -kernel "$KERNEL" -initrd $WORK/initrd.gz \
	-append 'console=ttyAMA0 quiet loglevel=3 panic=-1 rdinit=/init' > $WORK/console 2>&1
rc=$?
tr -d '\r' < $WORK/console | grep -E '^(guest:|GUEST)'
line=$(tr -d '\r' < $WORK/console | grep '^GUEST-RESULT:')
[ -n "$line" ] || { echo "run-guest-arm64: no result from the guest (qemu exit $rc)"; tr -d '\r' < $WORK/console | tail -20; exit 1; }
case "$line" in *" 0 failed"*) exit 0 ;; *) exit 1 ;; esac
