# -p2 over nginx's ngx_* functions (no DWARF: symbols) lists them in address order, each with
# stap's "/* pc=.dynamic+ADDR */" note, exactly like real stap -p2 where stap is installed.
. "$SRCDIR/tests/lib.bash"
p='process("/usr/sbin/nginx").function("ngx_*")'
"$USTAP" -p2 -e "probe $p { print(1) }" > "$TMPDIR/u" || fail "ustap -p2 failed"
[ "$(wc -l < "$TMPDIR/u")" -gt 500 ] || fail "only $(wc -l < "$TMPDIR/u") lines"
grep -o 'pc=.dynamic+0x[0-9a-f]*' "$TMPDIR/u" | sed 's/.*+0x//' | while read -r x; do printf '%d\n' 0x$x; done > "$TMPDIR/pcs"
sort -n -c "$TMPDIR/pcs" 2>/dev/null || fail "not in address order"
want=$(nm -D /usr/sbin/nginx | awk '$3 == "ngx_http_process_request" { print $1 }' | sed 's/^0*//')
grep -q "function(\"ngx_http_process_request\") /\* pc=.dynamic+0x$want \*/" "$TMPDIR/u" || fail "ngx_http_process_request not at 0x$want"
if [ -x /usr/bin/stap ] && stap -p2 -e "probe $p { print(1) }" > "$TMPDIR/s" 2>/dev/null; then
	diff "$TMPDIR/s" "$TMPDIR/u" >&2 || fail "ustap -p2 differs from stap -p2"
fi
echo ok
