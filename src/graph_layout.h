/* graph_layout: where the boxes and arrows of the wait-for graph go.
 *
 * Pure geometry, unit tested: no curses, no model, no analysis. The graph
 * pane (ui_graph.c) turns the analysis into abstract nodes (a label width
 * each), one ring (the cycle, in order) and chains (a waiting worker, the
 * object it waits on, and the workers that could release it), asks for a
 * layout in its inner area, and draws what comes back. When nothing fits it
 * says so (fits = 0) and the pane draws a list instead.
 *
 * The ring goes round a rectangle of box slots, clockwise: the top row left
 * to right, down the right column, the bottom row right to left, up the left
 * column; a ring of one or two boxes is one row with the arrow back drawn
 * underneath. Chains follow below the ring, one under another: lead boxes
 * left to right, then the releasers stacked in a column, fed by a branching
 * arrow. Boxes are three rows high (border, label, border).
 */
#ifndef LS_GRAPH_LAYOUT_H
#define LS_GRAPH_LAYOUT_H

#define GL_MAX_BOXES 160
#define GL_MAX_LINKS 160
#define GL_MAX_PTS 5
#define GL_RING_MAX 128
#define GL_CHAINS_MAX 32
#define GL_TARGETS_MAX 8
#define GL_BOX_H 3

enum gl_dir { GL_E, GL_S, GL_W, GL_N }; /* an arrow head points this way */

struct gl_pt {
	int y, x;
};

struct gl_box {
	int node; /* the caller's node index */
	int y, x, w;
};

struct gl_link {
	int from, to;   /* box indices */
	unsigned flags; /* the caller's, passed through (solid, dashed, cycle) */
	int npts;       /* >= 2: a polyline of axis-aligned segments; the head is */
	struct gl_pt pts[GL_MAX_PTS]; /* drawn on the last point, pointing `head` */
	enum gl_dir head;
	int label;      /* the caller's label index, -1: none */
	int ly, lx, lw; /* where the label goes, lw = 0: not drawn (no room) */
};

struct gl_chain {
	int nlead;        /* 1 (from) or 2 (from, via) */
	int lead[2];      /* node indices */
	int lead_label;   /* label of the link lead[0] -> lead[1], -1 none */
	unsigned lead_flags;
	int ntargets;     /* 0: the chain ends at its last lead box */
	int targets[GL_TARGETS_MAX];
	int target_label[GL_TARGETS_MAX];
	unsigned target_flags[GL_TARGETS_MAX];
};

struct gl_in {
	int nnodes;
	const int *node_w;  /* label width of each node, in columns */
	const int *label_w; /* width of each link label */
	int nring;          /* the cycle: nodes in order, each links to the next */
	int ring[GL_RING_MAX];
	int ring_label[GL_RING_MAX]; /* label of ring[i] -> ring[i+1] */
	unsigned ring_flags[GL_RING_MAX];
	int nchains;
	struct gl_chain chains[GL_CHAINS_MAX];
};

struct gl_out {
	int fits;      /* everything placed inside the area */
	int h, w;      /* the size used */
	int ring_rows; /* rows of box slots the ring took (0: no ring) */
	int labels;    /* the links carry their labels (where they fit) */
	int nboxes, nlinks;
	struct gl_box boxes[GL_MAX_BOXES];
	struct gl_link links[GL_MAX_LINKS];
};

/* Lay the graph out in an area of h rows and w columns (origin 0, 0).
 * Returns out->fits. */
int gl_layout(const struct gl_in *in, int h, int w, struct gl_out *out);

#endif
