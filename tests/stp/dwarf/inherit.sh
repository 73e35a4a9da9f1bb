#!/usr/bin/env bash
# C++ inheritance (DW_TAG_inheritance): ->member finds a base class's member unless the
# derived class masks it (@cast to the base reaches the masked one); $p$/$p$$ list the
# derived members, then the bases' unmasked ones, as stap's pretty printer.
g++ -x c++ -g -O0 -o "$TMPDIR/dw_inherit_cxx" "$SRCDIR/tests/targets/dw_inherit.c" || exit 1
"$USTAP" -e 'probe process(@1).function("inh_mark") {
	println($p->bar->x, " ", $p->bar->y, " ", $p->foo, " ", @cast($p, "A")->foo->y)
	println($p$)
	println($p$$)
}' -c "$TMPDIR/dw_inherit_cxx" "$TMPDIR/dw_inherit_cxx"
