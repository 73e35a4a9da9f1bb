/*
** .function("f").label("glob"): the DW_TAG_labels of a function (its lexical blocks too; an
** inlined callee's labels are its own), by name, with their address and decl line.
*/
#include <fnmatch.h>

#include "dwarf_int.h"

/* f's DW_TAG_labels (in its lexical blocks too; an inlined callee's are its own) */
static int labels_in(Dwarf_Die *scope, const struct dw_func *f, const char *glob, dw_label_cb cb,
                     void *arg)
{
	Dwarf_Die c;
	int n = 0;
	if (dwarf_child(scope, &c) != 0)
		return 0;
	do {
		Dwarf_Attribute at;
		Dwarf_Addr pc;
		Dwarf_Word line = 0;
		const char *name;
		int tag = dwarf_tag(&c);
		if (tag == DW_TAG_lexical_block) {
			n += labels_in(&c, f, glob, cb, arg);
		} else if (tag == DW_TAG_label && dwarf_lowpc(&c, &pc) == 0 &&
		           (name = dwarf_formstring(dwarf_attr_integrate(&c, DW_AT_name, &at))) &&
		           fnmatch(glob, name, 0) == 0) {
			dwarf_formudata(dwarf_attr_integrate(&c, DW_AT_decl_line, &at), &line);
			cb(arg, f, name, (int)line, pc);
			n++;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return n;
}

int dw_labels(struct dw_module *m, const struct dw_func *f, const char *glob, dw_label_cb cb,
              void *arg)
{
	Dwarf_Die die;
	return dw_func_die(m, f, &die) ? labels_in(&die, f, glob, cb, arg) : 0;
}
