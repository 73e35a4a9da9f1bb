/* Base-class members for ->member and $var$ (built as C++ by tests/stp/dwarf/inherit.sh:
   B derives from A and masks A::foo; as C, the same layout without inheritance). */
struct point {
	int x, y;
};

struct A {
	struct point foo, bar;
};

#ifdef __cplusplus
struct B : A {
	int foo;
};
#else
struct B {
	struct A base;
	int foo;
};
#endif

static struct B b;

int __attribute__((noinline)) inh_mark(struct B *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
	return p->foo;
}

int main(void)
{
#ifdef __cplusplus
	b.A::foo.x = 1;
	b.A::foo.y = 2;
	b.bar.x = 3;
	b.bar.y = 4;
#else
	b.base.foo.x = 1;
	b.base.foo.y = 2;
	b.base.bar.x = 3;
	b.base.bar.y = 4;
#endif
	b.foo = 42;
	return inh_mark(&b) != 42;
}
