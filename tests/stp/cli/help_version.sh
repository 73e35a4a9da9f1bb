# --help and --version print to stdout and exit 0; -h and -V are the same
. $SRCDIR/tests/lib.bash
$USTAP --version | head -1 | grep -q "ustap" || fail "--version: $($USTAP --version)"
$USTAP -V | head -1 | grep -q "ustap" || fail "-V"
$USTAP --help | grep -q "^Usage: ustap \[options\] FILE" || fail "--help"
$USTAP -h > /dev/null || fail "-h exit $?"
