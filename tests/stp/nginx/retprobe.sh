# .call and .return on every nginx function, master and workers found without -x (the shape
# that killed workers with SIGTRAP: ngx_process_events_and_timers leaves by a tail call to
# ngx_event_process_posted, both return through one hijacked address). Requests, a reload
# (the master forks new workers inside ngx_spawn_process, its .return active) and a killed
# worker respawned; no worker may die of a signal other than our SIGKILL, nginx serves after.
. ./nginx.bash
ngx_start
"$USTAP" -e 'global c, r
probe process("/usr/sbin/nginx").function("*").call { c[pid()]++ }
probe process("/usr/sbin/nginx").function("*").return { r[pid()]++ }
probe begin { printf("ready\n") }
probe end { foreach (p in c) if (r[p]) n++; printf("returns seen in %d processes\n", n) }' \
	> "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" 8>&- &
u=$!
# on a failure: ustap goes first (a leftover tracer would reach the next test's nginx)
trap 'kill -INT $u 2>/dev/null; sleep 1; kill -KILL $u 2>/dev/null; ngx_stop' EXIT
wait_for "$TMPDIR/ustap.out" ready
ngx_ok 20
old=$(ngx_workers)
kill -HUP "$NGX_MASTER"
for i in $(seq 100); do
	[ -z "$(comm -12 <(echo "$old") <(ngx_workers))" ] && [ "$(ngx_workers | wc -l)" = 2 ] && break
	sleep 0.1
done
ngx_ok 10
kill -KILL "$(ngx_workers | head -1)"
for i in $(seq 100); do
	[ "$(ngx_workers | wc -l)" = 2 ] && grep -q "exited on signal 9" "$NGX_DIR/logs/error.log" && break
	sleep 0.1
done
ngx_ok 10
before=$(ngx_workers)
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/ustap.err")"
# stap's one warning for function("*").return: _start's return is blocklisted (3 lines)
head -1 "$TMPDIR/ustap.err" | grep -qx 'WARNING: function _start return probe is blocklisted: keyword at <input>:3:1' ||
	fail "no blocklist warning: $(head -3 "$TMPDIR/ustap.err")"
[ "$(sed 1,3d "$TMPDIR/ustap.err")" ] && fail "ustap stderr: $(sed 1,3d "$TMPDIR/ustap.err" | head -3)"
n=$(sed -n 's/returns seen in \([0-9]*\) processes/\1/p' "$TMPDIR/ustap.out")
[ "${n:-0}" -ge 4 ] || fail "returns seen in ${n:-0} processes: $(cat "$TMPDIR/ustap.out")"
bad=$(grep "exited on signal" "$NGX_DIR/logs/error.log" | grep -v "signal 9")
[ -z "$bad" ] || fail "a worker died: $bad"
ngx_ok 10
[ "$(ngx_workers)" = "$before" ] || fail "workers changed: $before -> $(ngx_workers)"
kill -0 "$NGX_MASTER" || fail "master died"
echo ok
