/* graph_layout: box placement and arrow routing. See graph_layout.h. */
#include "graph_layout.h"

#include <stddef.h>
#include <string.h>

#define VGAP 2 /* rows between two rows of boxes: the line and its head */

struct try {
	int labels; /* draw link labels */
	int rows;   /* ring rows of box slots */
};

static int add_box(struct gl_out *o, int node, int y, int x, int w)
{
	if (o->nboxes >= GL_MAX_BOXES)
		return -1;
	o->boxes[o->nboxes] = (struct gl_box){node, y, x, w};
	if (y + GL_BOX_H > o->h)
		o->h = y + GL_BOX_H;
	if (x + w > o->w)
		o->w = x + w;
	return o->nboxes++;
}

static struct gl_link *add_link(struct gl_out *o, int from, int to, unsigned flags, int label)
{
	if (o->nlinks >= GL_MAX_LINKS)
		return NULL;
	struct gl_link *l = &o->links[o->nlinks++];
	memset(l, 0, sizeof *l);
	l->from = from;
	l->to = to;
	l->flags = flags;
	l->label = label;
	return l;
}

static void pt(struct gl_link *l, int y, int x)
{
	if (l->npts < GL_MAX_PTS)
		l->pts[l->npts++] = (struct gl_pt){y, x};
}

static int label_w(const struct gl_in *in, int label)
{
	return label >= 0 && in->label_w ? in->label_w[label] : 0;
}

static void put_label(struct gl_link *l, const struct gl_in *in, int on, int y, int x, int room)
{
	int w = label_w(in, l->label);
	if (!on || w <= 0 || w > room)
		return;
	l->ly = y;
	l->lx = x;
	l->lw = w;
}

/* Ring slot s -> row and column of box slots, going round clockwise. */
static void slot(int s, int rows, int cols, int *r, int *c)
{
	if (rows == 1 || s < cols) {
		*r = 0;
		*c = s;
	} else if (s < cols + rows - 2) {
		*r = s - cols + 1;
		*c = cols - 1;
	} else if (s < 2 * cols + rows - 2) {
		*r = rows - 1;
		*c = cols - 1 - (s - cols - (rows - 2));
	} else {
		*r = rows - 2 - (s - 2 * cols - (rows - 2));
		*c = 0;
	}
}

static int ring_cols(int k, int rows)
{
	if (rows == 1)
		return k;
	int c = (k - 2 * (rows - 2) + 1) / 2;
	/* every row reached: the top row, down the right, past the corner */
	if (c < 2 || k < c + rows - 1)
		return -1;
	return c;
}

static int max_label(const struct gl_in *in, const int *labels, int n)
{
	int m = 0;
	for (int i = 0; i < n; i++)
		if (label_w(in, labels[i]) > m)
			m = label_w(in, labels[i]);
	return m;
}

static int lay_ring(const struct gl_in *in, struct try t, struct gl_out *o)
{
	int k = in->nring;
	int cols = ring_cols(k, t.rows);
	if (cols < 0)
		return -1;
	int bw = 0;
	for (int i = 0; i < k; i++)
		if (in->node_w[in->ring[i]] + 4 > bw)
			bw = in->node_w[in->ring[i]] + 4;
	int gap = 4 + (t.labels ? max_label(in, in->ring_label, k) : 0);
	int box[GL_RING_MAX];
	for (int s = 0; s < k; s++) {
		int r, c;
		slot(s, t.rows, cols, &r, &c);
		box[s] = add_box(o, in->ring[s], r * (GL_BOX_H + VGAP), c * (bw + gap), bw);
		if (box[s] < 0)
			return -1;
	}
	for (int s = 0; s < k; s++) {
		int n = (s + 1) % k;
		const struct gl_box *a = &o->boxes[box[s]], *b = &o->boxes[box[n]];
		struct gl_link *l = add_link(o, box[s], box[n], in->ring_flags[s], in->ring_label[s]);
		if (!l)
			return -1;
		int acx = a->x + a->w / 2, bcx = b->x + b->w / 2;
		if (n == 0 && (t.rows == 1 || k == 1)) {
			/* back to the start underneath the row */
			int below = a->y + GL_BOX_H + 1;
			if (k == 1) {
				pt(l, a->y + 1, a->x + a->w);
				pt(l, a->y + 1, a->x + a->w + 1);
				pt(l, below, a->x + a->w + 1);
			} else {
				pt(l, below - 1, acx);
				pt(l, below, acx);
			}
			pt(l, below, bcx);
			pt(l, below - 1, bcx);
			l->head = GL_N;
			put_label(l, in, t.labels, below, bcx + 2, (k == 1 ? a->x + a->w : acx) - bcx - 3);
			if (below + 1 > o->h)
				o->h = below + 1;
			if (k == 1 && a->x + a->w + 2 > o->w)
				o->w = a->x + a->w + 2;
		} else if (a->y == b->y && b->x > a->x) { /* along the top */
			pt(l, a->y + 1, a->x + a->w);
			pt(l, b->y + 1, b->x - 1);
			l->head = GL_E;
			put_label(l, in, t.labels, a->y + 1, a->x + a->w + 1, gap - 3);
		} else if (a->y == b->y && b->x < a->x) {
			pt(l, a->y + 1, a->x - 1); /* along the bottom, leftwards */
			pt(l, b->y + 1, b->x + b->w);
			l->head = GL_W;
			put_label(l, in, t.labels, a->y + 1, b->x + b->w + 2, gap - 3);
		} else if (a->x == b->x && b->y > a->y) { /* down the right */
			pt(l, a->y + GL_BOX_H, acx);
			pt(l, b->y - 1, bcx);
			l->head = GL_S;
			put_label(l, in, t.labels, a->y + GL_BOX_H, acx + 2, a->x + bw + gap - acx - 3);
		} else if (a->x == b->x && b->y < a->y) { /* up the left */
			pt(l, a->y - 1, acx);
			pt(l, b->y + GL_BOX_H, bcx);
			l->head = GL_N;
			put_label(l, in, t.labels, b->y + GL_BOX_H, bcx + 2, a->x + bw + gap - bcx - 3);
		} else { /* from the bottom row, past empty slots, up to the first box */
			pt(l, a->y + 1, a->x - 1);
			pt(l, a->y + 1, bcx);
			pt(l, b->y + GL_BOX_H, bcx);
			l->head = GL_N;
			put_label(l, in, t.labels, a->y + 1, bcx + 2, a->x - bcx - 4);
		}
	}
	return 0;
}

static int lay_chain(const struct gl_in *in, const struct gl_chain *ch, int y, int labels,
                     struct gl_out *o)
{
	int x = 0, prev = -1;
	for (int i = 0; i < ch->nlead && i < 2; i++) {
		int w = in->node_w[ch->lead[i]] + 4;
		int b = add_box(o, ch->lead[i], y, x, w);
		if (b < 0)
			return -1;
		if (prev >= 0) {
			struct gl_link *l = add_link(o, prev, b, ch->lead_flags, ch->lead_label);
			if (!l)
				return -1;
			pt(l, y + 1, o->boxes[prev].x + o->boxes[prev].w);
			pt(l, y + 1, x - 1);
			l->head = GL_E;
			put_label(l, in, labels, y + 1, o->boxes[prev].x + o->boxes[prev].w + 1,
			          x - 1 - (o->boxes[prev].x + o->boxes[prev].w) - 2);
		}
		prev = b;
		if (i + 1 < ch->nlead)
			x += w + 4 + (labels ? label_w(in, ch->lead_label) : 0);
	}
	int xr = o->boxes[prev].x + o->boxes[prev].w, bx = xr + 1;
	int gap = 4 + (labels ? max_label(in, ch->target_label, ch->ntargets) : 0) + 1;
	for (int t = 0; t < ch->ntargets && t < GL_TARGETS_MAX; t++) {
		int ty = y + t * GL_BOX_H;
		int b = add_box(o, ch->targets[t], ty, xr + gap, in->node_w[ch->targets[t]] + 4);
		if (b < 0)
			return -1;
		struct gl_link *l = add_link(o, prev, b, ch->target_flags[t], ch->target_label[t]);
		if (!l)
			return -1;
		pt(l, y + 1, xr);
		if (t > 0) {
			pt(l, y + 1, bx);
			pt(l, ty + 1, bx);
		}
		pt(l, ty + 1, xr + gap - 1);
		l->head = GL_E;
		put_label(l, in, labels, ty + 1, bx + 1, gap - 4);
	}
	return 0;
}

static int attempt(const struct gl_in *in, struct try t, int h, int w, struct gl_out *o)
{
	memset(o, 0, offsetof(struct gl_out, boxes));
	o->nboxes = o->nlinks = 0;
	o->labels = t.labels;
	if (in->nring > 0) {
		if (lay_ring(in, t, o) != 0)
			return 0;
		o->ring_rows = t.rows;
	}
	for (int c = 0; c < in->nchains; c++) {
		int y = o->h > 0 ? o->h + 1 : 0;
		if (lay_chain(in, &in->chains[c], y, t.labels, o) != 0)
			return 0;
		if (o->h > h)
			return 0;
	}
	/* a label that would leave the area is dropped, not the drawing */
	for (int i = 0; i < o->nlinks; i++) {
		struct gl_link *l = &o->links[i];
		if (l->lw > 0 && l->lx + l->lw > w)
			l->lw = 0;
		else if (l->lw > 0 && l->lx + l->lw > o->w)
			o->w = l->lx + l->lw;
	}
	return o->h <= h && o->w <= w;
}

int gl_layout(const struct gl_in *in, int h, int w, struct gl_out *out)
{
	int k = in->nring;
	if (k > GL_RING_MAX || in->nchains > GL_CHAINS_MAX) {
		memset(out, 0, offsetof(struct gl_out, boxes));
		return 0;
	}
	/* labels first, then fewer rows first; a ring of one or two is a row */
	for (int labels = 1; labels >= 0; labels--) {
		if (k <= 2) {
			if (attempt(in, (struct try){labels, 1}, h, w, out))
				return out->fits = 1;
			continue;
		}
		for (int rows = 2; rows <= k / 2 + 1; rows++)
			if (attempt(in, (struct try){labels, rows}, h, w, out))
				return out->fits = 1;
	}
	memset(out, 0, offsetof(struct gl_out, boxes));
	out->nboxes = out->nlinks = 0;
	return 0;
}
