# -x on one worker: as stap's task finder in -x mode, process("PATH") probes fire in the
# target only. SIGUSR1 runs ngx_reopen_files in the master and both workers; one hit shows.
. ./nginx.bash
ngx_start
before=$(ngx_workers)
w=$(head -1 <<<"$before")
"$USTAP" -x "$w" -e 'global n
probe process("/usr/sbin/nginx").function("ngx_reopen_files") { n[pid(), pid() == target()]++ }
probe begin { printf("ready\n") }
probe end { foreach ([p, t] in n) printf("%d %d %d\n", p, t, n[p, t]) }' > "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" 8>&- &
u=$!
wait_for "$TMPDIR/ustap.out" ready
kill -USR1 "$NGX_MASTER"
for i in $(seq 50); do
	[ "$(grep -c reopening "$NGX_DIR/logs/error.log")" -ge 3 ] && break
	sleep 0.1
done
sleep 0.3
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/ustap.err")"
[ "$(grep -v ready "$TMPDIR/ustap.out")" = "$w 1 1" ] || fail "hits: $(cat "$TMPDIR/ustap.out"), want: $w 1 1"
ngx_ok 5
[ "$(ngx_workers)" = "$before" ] || fail "workers changed: $before -> $(ngx_workers)"
kill -0 "$NGX_MASTER" || fail "master died"
echo ok
