# Helpers for the session shell tests (sourced). USTAP, TARGETS, TMPDIR come from tests/run.
fail() { echo "FAIL: $*" >&2; exit 1; }
# wait_for FILE TEXT: until FILE contains TEXT (10s at most)
wait_for() {
	local i
	for i in $(seq 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
}
