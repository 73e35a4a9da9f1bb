# -l on the stripped binary lists its dynamic ngx_* symbols exactly as real stap does
# (stap's -l works here: it needs no kernel module). Without stap, the dynamic symbol table.
. "$SRCDIR/tests/lib.bash"
p='process("/usr/sbin/nginx").function("ngx_*")'
"$USTAP" -l "$p" > "$TMPDIR/u" || fail "ustap -l failed"
if [ -x /usr/bin/stap ]; then
	stap -l "$p" > "$TMPDIR/s" 2>/dev/null || fail "stap -l failed"
else
	nm -D --defined-only /usr/sbin/nginx | awk '$2 ~ /[TtWi]/ && $3 ~ /^ngx_/ {print "process(\"/usr/sbin/nginx\").function(\"" $3 "\")"}' | sort -u > "$TMPDIR/s"
fi
[ "$(wc -l < "$TMPDIR/u")" -gt 500 ] || fail "only $(wc -l < "$TMPDIR/u") lines"
diff "$TMPDIR/s" "$TMPDIR/u" >&2 || fail "ustap -l differs from stap -l"
grep -qx 'process("/usr/sbin/nginx").function("ngx_http_process_request")' "$TMPDIR/u" || fail "no ngx_http_process_request"
echo ok
