/* graph_layout: rings and chains land inside the area, boxes never overlap,
 * every arrow leaves its source box and ends with its head against its
 * target; what cannot fit says so, so the pane can fall back to a list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "graph_layout.h"

static int node_w[GL_MAX_BOXES];
static int label_w[8];
static struct gl_out out;

/* A ring of k nodes of label width nw, links labelled with label 0. */
static struct gl_in ring(int k, int nw, int lw)
{
	struct gl_in in;
	memset(&in, 0, sizeof in);
	for (int i = 0; i < k; i++) {
		node_w[i] = nw;
		in.ring[i] = i;
		in.ring_label[i] = 0;
		in.ring_flags[i] = 1;
	}
	label_w[0] = lw;
	in.nnodes = k;
	in.nring = k;
	in.node_w = node_w;
	in.label_w = label_w;
	return in;
}

static int inside(const struct gl_box *b, int y, int x)
{
	return y >= b->y && y < b->y + GL_BOX_H && x >= b->x && x < b->x + b->w;
}

/* Everything in h x w, no two boxes overlap, no arrow runs through a box,
 * each arrow starts beside its source and its head touches its target. */
static void check_sane(const struct gl_out *o, int h, int w)
{
	assert_true(o->fits);
	assert_true(o->h <= h && o->w <= w);
	for (int i = 0; i < o->nboxes; i++) {
		const struct gl_box *a = &o->boxes[i];
		assert_true(a->y >= 0 && a->x >= 0 && a->y + GL_BOX_H <= h && a->x + a->w <= w);
		for (int j = i + 1; j < o->nboxes; j++) {
			const struct gl_box *b = &o->boxes[j];
			int apart = a->x + a->w <= b->x || b->x + b->w <= a->x ||
			            a->y + GL_BOX_H <= b->y || b->y + GL_BOX_H <= a->y;
			assert_true(apart);
		}
	}
	for (int i = 0; i < o->nlinks; i++) {
		const struct gl_link *l = &o->links[i];
		assert_true(l->npts >= 2 && l->npts <= GL_MAX_PTS);
		for (int p = 0; p < l->npts; p++) {
			assert_true(l->pts[p].y >= 0 && l->pts[p].y < h);
			assert_true(l->pts[p].x >= 0 && l->pts[p].x < w);
			for (int b = 0; b < o->nboxes; b++)
				assert_false(inside(&o->boxes[b], l->pts[p].y, l->pts[p].x));
			if (p > 0) /* axis-aligned segments */
				assert_true(l->pts[p].y == l->pts[p - 1].y || l->pts[p].x == l->pts[p - 1].x);
		}
		/* the head, one step further in its direction, is inside the target */
		static const int dy[4] = {0, 1, 0, -1}, dx[4] = {1, 0, -1, 0};
		const struct gl_pt *e = &l->pts[l->npts - 1];
		assert_true(inside(&o->boxes[l->to], e->y + dy[l->head], e->x + dx[l->head]));
		/* the start touches the source */
		const struct gl_pt *s = &l->pts[0];
		int touches = 0;
		for (int d = 0; d < 4; d++)
			touches |= inside(&o->boxes[l->from], s->y + dy[d], s->x + dx[d]);
		assert_true(touches);
		if (l->lw > 0)
			assert_true(l->lx >= 0 && l->lx + l->lw <= w && l->ly < h);
	}
}

static void two_cycle(void **state)
{
	(void)state;
	/* T1 -> B -> T2 -> A -> T1, at 80x24's graph pane (38x8) */
	struct gl_in in = ring(4, 4, 9);
	assert_true(gl_layout(&in, 8, 38, &out));
	check_sane(&out, 8, 38);
	assert_int_equal(out.nboxes, 4);
	assert_int_equal(out.nlinks, 4);
	assert_int_equal(out.ring_rows, 2);
	/* a square: T1 top left, B top right, T2 bottom right, A bottom left */
	assert_int_equal(out.boxes[0].y, 0);
	assert_int_equal(out.boxes[1].y, 0);
	assert_true(out.boxes[1].x > out.boxes[0].x);
	assert_int_equal(out.boxes[2].x, out.boxes[1].x);
	assert_true(out.boxes[2].y > 0);
	assert_int_equal(out.boxes[3].x, out.boxes[0].x);
	/* and the labels fit */
	for (int i = 0; i < 2; i++)
		assert_int_equal(out.links[i].lw, 9);
}

static void philosophers_5(void **state)
{
	(void)state;
	/* P1 F2 P2 F3 ... P5 F1: ten boxes round a rectangle */
	struct gl_in in = ring(10, 4, 9);
	assert_true(gl_layout(&in, 24, 66, &out));
	check_sane(&out, 24, 66);
	assert_int_equal(out.nboxes, 10);
	assert_int_equal(out.nlinks, 10);
	assert_true(out.ring_rows >= 2);
}

static void ten_workers(void **state)
{
	(void)state;
	/* objects and workers as boxes: twenty do not fit at 120x40's pane */
	struct gl_in full = ring(20, 5, 9);
	assert_false(gl_layout(&full, 20, 66, &out));
	assert_int_equal(out.nboxes, 0);
	/* ten workers with the forks on the arrows do */
	struct gl_in compact = ring(10, 5, 3);
	assert_true(gl_layout(&compact, 20, 66, &out));
	check_sane(&out, 20, 66);
	assert_int_equal(out.nboxes, 10);
}

static void too_small_falls_back(void **state)
{
	(void)state;
	struct gl_in in = ring(4, 4, 9);
	assert_false(gl_layout(&in, 5, 38, &out));
	assert_false(gl_layout(&in, 20, 12, &out));
	assert_false(out.fits);
	/* narrower: the labels go first, the drawing stays */
	assert_true(gl_layout(&in, 8, 22, &out));
	check_sane(&out, 8, 22);
	for (int i = 0; i < out.nlinks; i++)
		assert_int_equal(out.links[i].lw, 0);
}

static void small_rings(void **state)
{
	(void)state;
	/* a worker relocking its own lock: T1 -> A -> T1, one row and back under */
	struct gl_in two = ring(2, 2, 7);
	assert_true(gl_layout(&two, 10, 40, &out));
	check_sane(&out, 10, 40);
	assert_int_equal(out.ring_rows, 1);
	assert_int_equal(out.h, GL_BOX_H + 2);
	/* a worker joining itself */
	struct gl_in one = ring(1, 2, 4);
	assert_true(gl_layout(&one, 10, 40, &out));
	assert_int_equal(out.nlinks, 1);
	assert_int_equal(out.links[0].from, out.links[0].to);
	/* an odd ring (joins have no object between): the way back passes
	 * the empty slot */
	struct gl_in three = ring(3, 2, 4);
	assert_true(gl_layout(&three, 10, 40, &out));
	check_sane(&out, 10, 40);
	struct gl_in seven = ring(7, 3, 4);
	assert_true(gl_layout(&seven, 30, 60, &out));
	check_sane(&out, 30, 60);
}

static void chains_fan_out(void **state)
{
	(void)state;
	/* T3 waits for sem, which T1, T2 or T4 could post; under a 2-cycle */
	struct gl_in in = ring(4, 2, 9);
	for (int i = 4; i < 9; i++)
		node_w[i] = 3;
	in.nnodes = 9;
	label_w[1] = 9;
	in.nchains = 1;
	struct gl_chain *ch = &in.chains[0];
	ch->nlead = 2;
	ch->lead[0] = 4;
	ch->lead[1] = 5;
	ch->lead_label = 0;
	ch->ntargets = 3;
	for (int t = 0; t < 3; t++) {
		ch->targets[t] = 6 + t;
		ch->target_label[t] = 1;
	}
	assert_true(gl_layout(&in, 30, 60, &out));
	check_sane(&out, 30, 60);
	assert_int_equal(out.nboxes, 4 + 5);
	assert_int_equal(out.nlinks, 4 + 1 + 3);
	/* the targets stand in one column, one under another, below the ring */
	const struct gl_box *t0 = &out.boxes[6], *t2 = &out.boxes[8];
	assert_int_equal(t0->x, t2->x);
	assert_int_equal(t2->y, t0->y + 2 * GL_BOX_H);
	assert_true(out.boxes[4].y > out.boxes[3].y);
	/* a chain alone starts at the top */
	in.nring = 0;
	assert_true(gl_layout(&in, 30, 60, &out));
	check_sane(&out, 30, 60);
	assert_int_equal(out.boxes[0].y, 0);
	/* and too many targets for the height: no fit */
	assert_false(gl_layout(&in, 6, 60, &out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_cycle),
		cmocka_unit_test(philosophers_5),
		cmocka_unit_test(ten_workers),
		cmocka_unit_test(too_small_falls_back),
		cmocka_unit_test(small_rings),
		cmocka_unit_test(chains_fan_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
