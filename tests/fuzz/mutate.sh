#!/bin/bash
# Cheap structured mutation of the test scripts through the real binary (a sanitizer build):
# token drops, duplications, insertions, truncation, deep nesting. Reports any crash (signal),
# hang (timeout 5 s) or sanitizer report; saves the input under $OUT.
# usage: tests/fuzz/mutate.sh USTAP N [OUT]
ustap=${1:?usage: mutate.sh USTAP N [OUT]} n=${2:-500} out=${3:-/tmp/ustap-mutate}
mkdir -p "$out"
mapfile -t seeds < <(ls tests/parseok/*.stp tests/semok/*.stp tests/semko/*.stp tests/parseko/*.stp)
toks=('(' ')' '{' '}' '[' ']' ';' ',' '.' '=' '+=' '<<<' '?' ':' '$' '@' '#' '%(' '%)' '%?' '%:'
      '"' "'" '\' 'probe' 'function' 'global' 'if' 'else' 'foreach' 'in' 'delete' 'return' 'next'
      'try' 'catch' '@cast' '@defined' '@entry' '$$vars' '$1' '@1' '-9223372036854775808'
      '99999999999999999999' '0x' '1/0' 'exit()' 'printf("%s%d")' 'x' '@hist_log(x)' '[*]'
      'kernel.function("*")' 'process("/bin/true")' 'timer.ms(0)' '%{' '%}' '@define' '@a'
      'string' 'long' 'limit' 'sort' '+' '-' '++' '!' '~' '.=' '=~' '*')
for ((i = 0; i < n; i++)); do
	src=$(< "${seeds[RANDOM % ${#seeds[@]}]}")
	len=${#src}
	p=$((len ? RANDOM % len : 0)) q=$((len ? RANDOM % len : 0))
	t=${toks[RANDOM % ${#toks[@]}]}
	case $((RANDOM % 7)) in
	0) m="${src:0:p}${src:p+RANDOM%8}" ;;                       # drop a few bytes
	1) m="${src:0:p}$t${src:p}" ;;                              # insert a token
	2) m="${src:0:p}" ;;                                        # truncate
	3) m="${src:0:p}${src:q:40}${src:p}" ;;                      # duplicate a slice
	4) m="${src:0:p} $t $t $t ${src:p}" ;;
	5) d=$((RANDOM % 3000)); m="probe begin { x = $(printf '(%.0s' $(seq $d))1$(printf ')%.0s' $(seq $d)) }" ;;
	6) d=$((RANDOM % 2000)); m="probe begin { $(printf 'if (1) %.0s' $(seq $d)) x = 1 }" ;;
	esac
	timeout 5 "$ustap" -p3 -e "$m" > /dev/null 2> "$out/err"
	rc=$?
	if [ $rc -ge 124 ] || grep -Eq 'Sanitizer|runtime error:' "$out/err"; then
		f=$out/bad-$i-rc$rc.stp
		printf '%s' "$m" > "$f"
		echo "$f: exit $rc $(grep -Em1 'SUMMARY|runtime error' "$out/err")"
	fi
done
