/*
** The bytecode: one table of opcodes (QuickJS quickjs-opcode.h style). Code is an array of
** 32-bit words: the opcode, then its operands. Values are typed at compile time, so every
** opcode knows whether it handles longs or strings; the VM never checks a type.
*/
#ifndef USTAP_OPCODES_H
#define USTAP_OPCODES_H

/* Operand kinds (one letter each, in the 'operands' string):
**   i  int32 immediate          k  index of an int64 constant      s  index of a string constant
**   l  local slot               g  global slot                     t  string temp buffer of the frame
**   j  jump target (absolute)   n  count (args, keys, actions)     f  function (proto) index
**   b  builtin index            p  printf format index             r  regex index
**   v  target-variable slot     c  flag / sub-operation
** OPDEF(name, operands, stack effect (-1: varies), meaning)
*/
/* ITER's c operand: sort column (0 none, 1..9 key, 10 value) | direction | flags */
#define ITER_COL(c)   ((c) & 15)
#define ITER_DESC     0x10
#define ITER_LIMIT    0x20
#define ITER_VALCOL   10
#define STATOP_BUCKET 6
#define ITER_AGG_SHIFT 8     /* (stat_op + 1) << 8: sort a stats array by that aggregate */

#define OPCODES(OPDEF) \
	OPDEF(NOP,      "",    0,  "nothing") \
	OPDEF(PUSHI,    "i",   1,  "push long imm") \
	OPDEF(PUSHK,    "k",   1,  "push long K[k]") \
	OPDEF(PUSHS,    "s",   1,  "push string S[s]") \
	OPDEF(POP,      "",   -1,  "drop top") \
	OPDEF(DUP,      "",    1,  "push top again") \
	OPDEF(LOADL,    "l",   1,  "push local l (long or string pointer)") \
	OPDEF(STOREL,   "l",  -1,  "local l := pop (long)") \
	OPDEF(STORELS,  "l",  -1,  "copy pop into local string l's buffer") \
	OPDEF(LOADG,    "g",   1,  "push global long g") \
	OPDEF(LOADGS,   "g",   1,  "push global string g") \
	OPDEF(STOREG,   "g",  -1,  "global long g := pop") \
	OPDEF(STOREGS,  "g",  -1,  "copy pop into global string g") \
	OPDEF(APPENDL,  "l",  -1,  "local string l .= pop, in place") \
	OPDEF(ADDLI,    "li",  0,  "local long l += imm") \
	OPDEF(ADDL,     "l",  -1,  "local long l += pop") \
	OPDEF(ADDG,     "g",  -1,  "global long g += pop") \
	OPDEF(ADD,      "",   -1,  "b=pop a=pop push a+b (wrapping)") \
	OPDEF(SUB,      "",   -1,  "a-b") \
	OPDEF(MUL,      "",   -1,  "a*b") \
	OPDEF(DIV,      "",   -1,  "a/b; 0 is a soft error") \
	OPDEF(MOD,      "",   -1,  "a%b; 0 is a soft error") \
	OPDEF(MODI,     "i",   0,  "top %= imm (imm != 0)") \
	OPDEF(SHL,      "",   -1,  "a<<b") \
	OPDEF(SHR,      "",   -1,  "a>>b (arithmetic)") \
	OPDEF(SHRU,     "",   -1,  "a>>>b (logical)") \
	OPDEF(BAND,     "",   -1,  "a&b") \
	OPDEF(BOR,      "",   -1,  "a|b") \
	OPDEF(BXOR,     "",   -1,  "a^b") \
	OPDEF(NEG,      "",    0,  "-a") \
	OPDEF(BNOT,     "",    0,  "~a") \
	OPDEF(NOT,      "",    0,  "!a") \
	OPDEF(LT,       "",   -1,  "a<b") \
	OPDEF(LE,       "",   -1,  "a<=b") \
	OPDEF(GT,       "",   -1,  "a>b") \
	OPDEF(GE,       "",   -1,  "a>=b") \
	OPDEF(EQ,       "",   -1,  "a==b") \
	OPDEF(NE,       "",   -1,  "a!=b") \
	OPDEF(SCMP,     "c",  -1,  "string compare a b with op c (0 < 1 <= 2 > 3 >= 4 == 5 !=)") \
	OPDEF(CONCAT,   "t",  -1,  "temp t := a . b, push it") \
	OPDEF(JMP,      "j",   0,  "pc := j") \
	OPDEF(JZ,       "j",  -1,  "if pop == 0: pc := j") \
	OPDEF(JNZ,      "j",  -1,  "if pop != 0: pc := j") \
	OPDEF(JGELI,    "lij", 0,  "if local l >= imm: pc := j (loop test)") \
	OPDEF(ACT,      "n",   0,  "count n actions (MAXACTION)") \
	OPDEF(LOOP,     "nj",  0,  "count n actions, pc := j (loop back edge)") \
	OPDEF(CALL,     "fnt", -1, "call function f with n args on the stack; string result in temp t") \
	OPDEF(RET,      "",    0,  "return (void, or 0/\"\" for a typed function falling off)") \
	OPDEF(RETV,     "",   -1,  "return pop") \
	OPDEF(NEXTRET,  "",    0,  "'next' in a function: return (0/\"\") and let the caller try the next overload") \
	OPDEF(JNONEXT,  "j",   0,  "after a call: if it did not end with 'next': pc := j, else clear the flag") \
	OPDEF(CHKNEXT,  "",    0,  "after the last overload: 'next' is the soft error \"all functions exhausted\"") \
	OPDEF(BICALL,   "bntc", -1, "call builtin b with n args (bit i of c: arg i is a string); string result in temp t") \
	OPDEF(PRINTF,   "pnt", -1, "format p with n args into temp t, or to the output when t < 0") \
	OPDEF(AGET,     "gnt", -1, "push a[keys] (n keys popped); string copied into temp t") \
	OPDEF(ASET,     "gn", -1,  "a[keys] := pop (value pushed first, then keys)") \
	OPDEF(AADD,     "gn", -1,  "a[keys] += pop, push new value") \
	OPDEF(AINC,     "gn", -1,  "a[keys] += pop (no result)") \
	OPDEF(AIN,      "gn", -1,  "push ([keys] in a)") \
	OPDEF(ADEL,     "gn", -1,  "delete a[keys]") \
	OPDEF(AINS,     "gnc", -1, "push whether an entry matches the slice (bit i of c: column i given, n values pushed)") \
	OPDEF(ADELS,    "gnc", -1, "delete the entries matching the slice") \
	OPDEF(ACLEAR,   "g",   0,  "delete a (array, stats or scalar reset)") \
	OPDEF(SADD,     "gn", -1,  "aggregate a[keys] <<< pop") \
	OPDEF(STATOP,   "gnc", -1, "push @op(a[keys]): c 0 count 1 sum 2 min 3 max 4 avg 5 variance, 6 bucket (index popped)") \
	OPDEF(HIST,     "gnt", -1, "@hist_log/@hist_linear text of a[keys] to the output, or into temp t (t >= 0)") \
	OPDEF(ITER,     "glc", 0,  "foreach over g: sort spec c (limit popped if c&ITER_LIMIT); iterator slots l..l+2") \
	OPDEF(ITTEST,   "lj",  0,  "if iterator l is done: pc := j") \
	OPDEF(ITKEY,    "li",  1,  "push key column i of iterator l") \
	OPDEF(ITVAL,    "lt",  1,  "push the value of iterator l's entry (string copied to temp t)") \
	OPDEF(ITADV,    "l",   0,  "advance iterator l") \
	OPDEF(ITCOUNT,  "l",   0,  "count one iteration against iterator l's limit") \
	OPDEF(TRY,      "j",   0,  "enter try: a soft error jumps to j") \
	OPDEF(ENDTRY,   "",    0,  "leave the innermost try") \
	OPDEF(CATCHMSG, "t",   1,  "push the caught error message (temp t)") \
	OPDEF(TVAR,     "vnt", -1, "push $target slot v with n index longs popped") \
	OPDEF(ENTRYGET, "vt",   1, "push @entry value v saved at this call's entry (t: string temp, -1 long)") \
	OPDEF(ENTRYSET, "vc",  -1, "entry snippet: pop into @entry value v (c 1: a string)") \
	OPDEF(TVSET,    "vnc", -1, "$target slot v := value (pushed first; c 1: a string), n index longs popped") \
	OPDEF(REGEX,    "rc", -1,  "match pop against regex r; c 1 negates (!~)") \
	OPDEF(EXIT,     "",    0,  "end the handler (next)") \
	OPDEF(HALT,     "",    0,  "end of the handler")

enum opcode {
#define OPDEF_ENUM(name, ops, eff, doc) OP_##name,
	OPCODES(OPDEF_ENUM)
#undef OPDEF_ENUM
	OP__COUNT
};

struct opinfo {
	const char *name;
	const char *operands;
	int effect;
	const char *doc;
};

extern const struct opinfo op_info[OP__COUNT];

#endif
