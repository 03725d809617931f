/* ui_graph: the wait-for graph pane. Workers (square boxes) and objects
 * (round boxes) joined by arrows: a worker waits for an object, the object
 * is held by (or could be released by) a worker. Definite edges are solid,
 * possible ones dashed; the cycle is drawn heavy, in the cycle role (bold,
 * reverse) and its boxes carry the alarm glyph, so it never relies on
 * colour. When the full drawing does not fit, objects move onto the arrows
 * as labels; when that does not fit either, the pane lists the edges in
 * words (analysis_edge_text).
 *
 * A pure function of (model, analysis, view): it reads the analysis only,
 * geometry comes from graph_layout.c, drawing goes through ui_draw.h.
 */
#include <stdio.h>
#include <string.h>

#include "graph_layout.h"
#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

#define NODES_MAX GL_MAX_BOXES
#define LABELS_MAX 64
#define CANVAS_H 120
#define CANVAS_W 320

enum { LF_DEFINITE = 1, LF_CYCLE = 2 }; /* link flags handed to the layout */

struct gnode {
	int is_object, id; /* id -1: nobody */
	char text[LS_NAME_MAX + 48];
};

struct graph {
	int nnodes, nlabels;
	/* a node already has a box: an edge that would draw it again is said in
	 * words under the drawing instead (each worker and object drawn once) */
	unsigned char placed[NODES_MAX];
	int nwords;
	int words[AN_EDGES_MAX]; /* edge indices */
	struct gnode node[NODES_MAX];
	int node_w[NODES_MAX];
	const char *label[LABELS_MAX];
	int label_w[LABELS_MAX];
	struct gl_in in;
	struct gl_out out;
};

static int node_of(const struct ui_ctx *c, struct graph *g, int is_object, int id, int pids)
{
	for (int i = 0; i < g->nnodes; i++)
		if (g->node[i].is_object == is_object && g->node[i].id == id)
			return i;
	if (g->nnodes >= NODES_MAX)
		return -1;
	struct gnode *n = &g->node[g->nnodes];
	n->is_object = is_object;
	n->id = id;
	const char *name = id < 0            ? _("nobody")
	                   : is_object       ? model_object_name(c->m, id)
	                                     : model_worker_name(c->m, id);
	char named[LS_NAME_MAX + 32];
	const struct m_worker *w = is_object ? NULL : model_worker(c->m, id);
	if (pids && w && w->kind == LS_WK_PROCESS && w->pid) /* a cycle across processes names them */
		snprintf(named, sizeof named, _("%s (pid %lld)"), name, (long long)w->pid);
	else
		snprintf(named, sizeof named, "%s", name);
	if (id >= 0 && analysis_in_cycle(c->an, is_object, id))
		snprintf(n->text, sizeof n->text, "%s %s", draw_glyph(G_ALARM), named);
	else
		snprintf(n->text, sizeof n->text, "%s", named);
	g->node_w[g->nnodes] = text_width(n->text);
	return g->nnodes++;
}

/* Whether (is_object, id) already has a box; "nobody" may repeat. */
static int placed(const struct graph *g, int is_object, int id)
{
	if (id < 0)
		return 0;
	for (int i = 0; i < g->nnodes; i++)
		if (g->node[i].is_object == is_object && g->node[i].id == id)
			return g->placed[i];
	return 0;
}

static int label_of(struct graph *g, const char *s)
{
	for (int i = 0; i < g->nlabels; i++)
		if (strcmp(g->label[i], s) == 0)
			return i;
	if (g->nlabels >= LABELS_MAX)
		return -1;
	g->label[g->nlabels] = s;
	g->label_w[g->nlabels] = text_width(s);
	return g->nlabels++;
}

static unsigned link_flags(unsigned an_flags)
{
	return (an_flags & AN_E_DEFINITE ? LF_DEFINITE : 0) | (an_flags & AN_E_IN_CYCLE ? LF_CYCLE : 0);
}

/* The edge from -> via -> to, or NULL. */
static const struct an_edge *find_edge(const struct analysis *an, int from, int via, int to)
{
	for (int i = 0; i < an->nedges; i++) {
		const struct an_edge *e = &an->edges[i];
		if (e->from == from && e->via == via && (to < 0 || e->to == to))
			return e;
	}
	return NULL;
}

/* Turn the analysis into nodes, a ring and chains. compact: objects are not
 * boxes but labels on the arrows between workers; pids: process workers
 * show their pid. Returns -1 when the graph is too big to draw at all. */
static int build(const struct ui_ctx *c, struct graph *g, int compact, int pids)
{
	const struct analysis *an = c->an;
	memset(&g->in, 0, sizeof g->in);
	memset(g->placed, 0, sizeof g->placed);
	g->nnodes = g->nlabels = g->nwords = 0;
	const char *waits = _("waits for");
	/* the ring */
	int n = an->ncycle;
	for (int i = 0; i < n; i++) {
		const struct ls_node *a = &an->cycle[i];
		if (compact && a->is_object)
			continue;
		if (g->in.nring >= GL_RING_MAX)
			return -1;
		int k = g->in.nring++;
		g->in.ring[k] = node_of(c, g, a->is_object, a->id, pids);
		const struct ls_node *b = &an->cycle[(i + 1) % n];
		const struct an_edge *e = NULL;
		int label = -1;
		if (!a->is_object) {
			int via = b->is_object ? b->id : -1;
			int to = b->is_object ? an->cycle[(i + 2) % n].id : b->id;
			e = find_edge(an, a->id, via, to);
			if (compact)
				label = via >= 0 ? label_of(g, model_object_name(c->m, via))
				                 : label_of(g, e ? _(e->label) : "");
			else
				label = b->is_object ? label_of(g, waits) : label_of(g, e ? _(e->label) : "");
		} else {
			e = find_edge(an, an->cycle[(i + n - 1) % n].id, a->id, b->id);
			label = label_of(g, e ? _(e->label) : "");
		}
		g->in.ring_label[k] = label;
		g->in.ring_flags[k] = e ? link_flags(e->flags) : LF_CYCLE;
		if (g->in.ring[k] < 0)
			return -1;
		g->placed[g->in.ring[k]] = 1;
	}
	/* the other edges, one chain per waiting worker and object */
	int cfrom[GL_CHAINS_MAX], cvia[GL_CHAINS_MAX];
	int wfrom[AN_EDGES_MAX], wvia[AN_EDGES_MAX], nw = 0; /* chains said in words */
	for (int i = 0; i < an->nedges; i++) {
		const struct an_edge *e = &an->edges[i];
		if (e->flags & AN_E_IN_CYCLE)
			continue;
		struct gl_chain *ch = NULL;
		for (int k = 0; k < g->in.nchains; k++)
			if (cfrom[k] == e->from && cvia[k] == e->via)
				ch = &g->in.chains[k];
		int worded = 0;
		for (int k = 0; k < nw; k++)
			worded |= wfrom[k] == e->from && wvia[k] == e->via;
		if (!ch && !worded &&
		    (placed(g, 0, e->from) || (!compact && e->via >= 0 && placed(g, 1, e->via)) ||
		     placed(g, 0, e->to))) {
			wfrom[nw] = e->from; /* its waiter or object has a box already */
			wvia[nw++] = e->via;
			worded = 1;
		}
		if (worded) {
			g->words[g->nwords++] = i;
			continue;
		}
		if (!ch) {
			if (g->in.nchains >= GL_CHAINS_MAX)
				return -1;
			cfrom[g->in.nchains] = e->from;
			cvia[g->in.nchains] = e->via;
			ch = &g->in.chains[g->in.nchains++];
			memset(ch, 0, sizeof *ch);
			ch->nlead = 1;
			ch->lead[0] = node_of(c, g, 0, e->from, pids);
			ch->lead_label = -1;
			if (!compact && e->via >= 0) {
				ch->nlead = 2;
				ch->lead[1] = node_of(c, g, 1, e->via, pids);
				ch->lead_label = label_of(g, waits);
				ch->lead_flags = link_flags(e->flags) & ~(unsigned)LF_CYCLE;
				ch->lead_flags |= LF_DEFINITE;
			}
			if (ch->lead[0] < 0 || ch->lead[ch->nlead - 1] < 0)
				return -1;
			for (int k = 0; k < ch->nlead; k++)
				g->placed[ch->lead[k]] = 1;
		}
		if (placed(g, 0, e->to)) { /* its releaser has a box already */
			g->words[g->nwords++] = i;
			continue;
		}
		if (ch->ntargets >= GL_TARGETS_MAX)
			return -1;
		int t = ch->ntargets++;
		ch->targets[t] = node_of(c, g, 0, e->to, pids);
		if (ch->targets[t] < 0)
			return -1;
		if (e->to >= 0)
			g->placed[ch->targets[t]] = 1;
		ch->target_flags[t] = link_flags(e->flags);
		ch->target_label[t] = compact && e->via >= 0 ? label_of(g, model_object_name(c->m, e->via))
		                                             : label_of(g, _(e->label));
	}
	g->in.nnodes = g->nnodes;
	g->in.node_w = g->node_w;
	g->in.label_w = g->label_w;
	return 0;
}

/* ---- drawing on a canvas of line directions ---- */

enum { D_N = 1, D_E = 2, D_S = 4, D_W = 8 };

struct canvas {
	unsigned char dir[CANVAS_H][CANVAS_W];
	unsigned char fl[CANVAS_H][CANVAS_W]; /* LF_* of the strongest line through */
	unsigned char dashed[CANVAS_H][CANVAS_W];
};

static void mark(struct canvas *cv, int y, int x, unsigned d, unsigned flags)
{
	if (y < 0 || x < 0 || y >= CANVAS_H || x >= CANVAS_W)
		return;
	cv->dir[y][x] |= (unsigned char)d;
	cv->fl[y][x] |= (unsigned char)(flags & LF_CYCLE);
	if (!(flags & (LF_DEFINITE | LF_CYCLE)))
		cv->dashed[y][x] = 1;
	else
		cv->fl[y][x] |= LF_DEFINITE;
}

static void trace(struct canvas *cv, const struct gl_link *l)
{
	for (int i = 0; i + 1 < l->npts; i++) {
		struct gl_pt a = l->pts[i], b = l->pts[i + 1];
		int dy = (b.y > a.y) - (b.y < a.y), dx = (b.x > a.x) - (b.x < a.x);
		unsigned fwd = dy > 0 ? D_S : dy < 0 ? D_N : dx > 0 ? D_E : D_W;
		unsigned back = fwd == D_S ? D_N : fwd == D_N ? D_S : fwd == D_E ? D_W : D_E;
		for (int y = a.y, x = a.x; y != b.y || x != b.x; y += dy, x += dx) {
			mark(cv, y, x, fwd, l->flags);
			mark(cv, y + dy, x + dx, back, l->flags);
		}
	}
}

/* A glyph for the directions a line takes through a cell:
 * [style][dirs]: style 0 light, 1 heavy (the cycle), 2 ASCII. */
static const char *line_glyph(unsigned d, int heavy, int dashed, int ascii)
{
	static const char *const g[2][16] = {
		{" ", "\xe2\x94\x82", "\xe2\x94\x80", "\xe2\x94\x94", "\xe2\x94\x82", "\xe2\x94\x82",
		 "\xe2\x94\x8c", "\xe2\x94\x9c", "\xe2\x94\x80", "\xe2\x94\x98", "\xe2\x94\x80",
		 "\xe2\x94\xb4", "\xe2\x94\x90", "\xe2\x94\xa4", "\xe2\x94\xac", "\xe2\x94\xbc"},
		{" ", "\xe2\x94\x83", "\xe2\x94\x81", "\xe2\x94\x97", "\xe2\x94\x83", "\xe2\x94\x83",
		 "\xe2\x94\x8f", "\xe2\x94\xa3", "\xe2\x94\x81", "\xe2\x94\x9b", "\xe2\x94\x81",
		 "\xe2\x94\xbb", "\xe2\x94\x93", "\xe2\x94\xab", "\xe2\x94\xb3", "\xe2\x95\x8b"},
	};
	int straight_h = d == D_E || d == D_W || d == (D_E | D_W);
	int straight_v = d == D_N || d == D_S || d == (D_N | D_S);
	if (ascii) {
		if (straight_h)
			return dashed ? "." : heavy ? "=" : "-";
		if (straight_v)
			return dashed ? ":" : heavy ? "#" : "|";
		return "+";
	}
	if (dashed && !heavy && straight_h)
		return "\xe2\x94\x84"; /* ┄ */
	if (dashed && !heavy && straight_v)
		return "\xe2\x94\x86"; /* ┆ */
	return g[heavy][d & 15];
}

static const char *head_glyph(enum gl_dir d, int ascii)
{
	static const char *const u[4] = {"\xe2\x96\xb6", "\xe2\x96\xbc", "\xe2\x97\x80", "\xe2\x96\xb2"};
	static const char *const a[4] = {">", "v", "<", "^"};
	return ascii ? a[d] : u[d];
}

static int line_role(unsigned flags, int dashed)
{
	if (flags & LF_CYCLE)
		return TH_CYCLE;
	return dashed ? TH_DIM : TH_NORMAL;
}

static void draw_node_box(const struct ui_ctx *c, const struct graph *g, const struct gl_box *b,
                          int oy, int ox)
{
	const struct gnode *n = &g->node[b->node];
	int cyc = n->id >= 0 && analysis_in_cycle(c->an, n->is_object, n->id);
	int role = cyc ? TH_CYCLE : n->is_object ? TH_NORMAL : TH_ITEM;
	if (!n->is_object && n->id >= 0 && !cyc)
		role = ui_worker_role(c->m, n->id);
	int brole = cyc ? TH_CYCLE : TH_BORDER;
	if (n->id < 0) /* nobody alive could release it */
		role = brole = TH_DIM;
	const char *ul, *ur, *ll, *lr, *h, *v;
	if (c->ascii) {
		ul = ur = ll = lr = n->is_object ? "." : "+";
		if (n->is_object)
			ll = lr = "'";
		h = cyc ? "=" : "-";
		v = cyc ? "#" : "|";
	} else if (cyc && n->is_object) {
		/* heavy for the cycle, and still round: the legend's shapes hold */
		ul = "\xe2\x95\xad"; ur = "\xe2\x95\xae"; ll = "\xe2\x95\xb0"; lr = "\xe2\x95\xaf";
		h = "\xe2\x94\x81"; v = "\xe2\x94\x83";
	} else if (cyc) {
		ul = "\xe2\x94\x8f"; ur = "\xe2\x94\x93"; ll = "\xe2\x94\x97"; lr = "\xe2\x94\x9b";
		h = "\xe2\x94\x81"; v = "\xe2\x94\x83";
	} else if (n->is_object) {
		ul = "\xe2\x95\xad"; ur = "\xe2\x95\xae"; ll = "\xe2\x95\xb0"; lr = "\xe2\x95\xaf";
		h = "\xe2\x94\x80"; v = "\xe2\x94\x82";
	} else {
		ul = "\xe2\x94\x8c"; ur = "\xe2\x94\x90"; ll = "\xe2\x94\x94"; lr = "\xe2\x94\x98";
		h = "\xe2\x94\x80"; v = "\xe2\x94\x82";
	}
	int y = oy + b->y, x = ox + b->x;
	draw_text(y, x, 1, ul, brole);
	draw_text(y + 2, x, 1, ll, brole);
	for (int i = 1; i < b->w - 1; i++) {
		draw_text(y, x + i, 1, h, brole);
		draw_text(y + 2, x + i, 1, h, brole);
	}
	draw_text(y, x + b->w - 1, 1, ur, brole);
	draw_text(y + 2, x + b->w - 1, 1, lr, brole);
	draw_text(y + 1, x, 1, v, brole);
	draw_fill(y + 1, x + 1, b->w - 2, role);
	draw_text(y + 1, x + 2, b->w - 4, n->text, role);
	draw_text(y + 1, x + b->w - 1, 1, v, brole);
}

static void draw_graph(const struct ui_ctx *c, struct graph *g, int oy, int ox)
{
	static struct canvas cv; /* big: not on the stack; only the loop thread draws */
	memset(&cv, 0, sizeof cv);
	const struct gl_out *o = &g->out;
	for (int i = 0; i < o->nlinks; i++)
		trace(&cv, &o->links[i]);
	for (int y = 0; y < o->h && y < CANVAS_H; y++)
		for (int x = 0; x < o->w + 2 && x < CANVAS_W; x++) {
			if (!cv.dir[y][x])
				continue;
			int heavy = (cv.fl[y][x] & LF_CYCLE) != 0;
			int dashed = cv.dashed[y][x] && !(cv.fl[y][x] & LF_DEFINITE);
			draw_text(oy + y, ox + x, 1, line_glyph(cv.dir[y][x], heavy, dashed, c->ascii),
			          line_role(cv.fl[y][x], dashed));
		}
	for (int i = 0; i < o->nlinks; i++) {
		const struct gl_link *l = &o->links[i];
		int dashed = !(l->flags & (LF_DEFINITE | LF_CYCLE));
		const struct gl_pt *p = &l->pts[l->npts - 1];
		draw_text(oy + p->y, ox + p->x, 1, head_glyph(l->head, c->ascii),
		          line_role(l->flags, dashed));
		if (l->lw > 0 && l->label >= 0)
			draw_text(oy + l->ly, ox + l->lx, l->lw, g->label[l->label],
			          l->flags & LF_CYCLE ? TH_CYCLE : TH_DIM);
	}
	for (int i = 0; i < o->nboxes; i++)
		draw_node_box(c, g, &o->boxes[i], oy, ox);
}

/* Lines the edges said in words take: one per waiter and object. */
static int word_lines(const struct ui_ctx *c, const struct graph *g)
{
	int lines = 0;
	for (int k = 0; k < g->nwords; k++) {
		const struct an_edge *e = &c->an->edges[g->words[k]];
		lines += k == 0 || e->from != c->an->edges[g->words[k - 1]].from ||
		         e->via != c->an->edges[g->words[k - 1]].via;
	}
	return lines;
}

/* The edges whose boxes are drawn already, in words under the drawing, as
 * many as rows allows ("+N more" on the last). Returns the rows used. */
struct pieces {
	char l[4][320];
	int n;
};

static void piece(void *ud, const char *s, size_t len)
{
	struct pieces *p = ud;
	if (p->n < 4) {
		snprintf(p->l[p->n], sizeof p->l[0], "%.*s", (int)len, s);
		p->n++;
	}
}

static int draw_words(const struct ui_ctx *c, const struct graph *g, int y, int x, int w, int rows)
{
	char buf[256], line[320];
	int n = 0;
	/* one line per waiter and object: its first releaser, and how many more */
	int lines = word_lines(c, g);
	for (int k = 0; k < g->nwords && n < rows;) {
		if (n == rows - 1 && lines > rows) {
			snprintf(line, sizeof line, _("+%d more"), lines - n);
			draw_text(y + n, x, w, line, TH_DIM);
			return n + 1;
		}
		const struct an_edge *e = &c->an->edges[g->words[k]];
		int more = 0;
		while (k + 1 + more < g->nwords && c->an->edges[g->words[k + 1 + more]].from == e->from &&
		       c->an->edges[g->words[k + 1 + more]].via == e->via)
			more++;
		analysis_edge_text(c->m, e, buf, sizeof buf);
		if (more)
			snprintf(line, sizeof line, PL_("also: %s%s, and %d more", "also: %s%s, and %d more", more),
			         e->flags & AN_E_DEFINITE ? "" : _("(possible) "), buf, more);
		else
			snprintf(line, sizeof line, _("also: %s%s"),
			         e->flags & AN_E_DEFINITE ? "" : _("(possible) "), buf);
		int role = e->flags & AN_E_DEFINITE ? TH_NORMAL : TH_DIM;
		/* wrapped when the rows left hold it and one line for each edge
		 * still to say; cut (with an ellipsis) only when they do not */
		int later = 0;
		for (int j = k + 1 + more; j < g->nwords; j++)
			later += j == k + 1 + more || c->an->edges[g->words[j]].from !=
			                                      c->an->edges[g->words[j - 1]].from ||
			         c->an->edges[g->words[j]].via != c->an->edges[g->words[j - 1]].via;
		struct pieces pc = {.n = 0};
		int need = text_wrap(line, w, NULL, NULL);
		if (need > 1 && need <= 4 && n + need + later <= rows) {
			text_wrap(line, w, piece, &pc);
			for (int i = 0; i < pc.n; i++)
				draw_text(y + n + i, x, w, pc.l[i], role);
			n += pc.n;
		} else {
			draw_text(y + n, x, w, line, role);
			n++;
		}
		k += 1 + more;
	}
	return n;
}

/* ---- the list the graph degrades to ---- */

static void draw_list(const struct ui_ctx *c, struct rect in)
{
	const struct analysis *an = c->an;
	int y = in.y, shown = 0;
	char buf[256];
	/* cycle edges first: they are the lesson */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < an->nedges; i++) {
			const struct an_edge *e = &an->edges[i];
			int cyc = (e->flags & AN_E_IN_CYCLE) != 0;
			if (cyc != (pass == 0))
				continue;
			if (y >= in.y + in.h) {
				snprintf(buf, sizeof buf, _("+%d more"), an->nedges - shown);
				draw_text_right(in.y + in.h - 1, in.x + in.w, in.w, buf, TH_DIM);
				return;
			}
			int x = in.x;
			draw_text(y, x, 1, cyc ? draw_glyph(G_ALARM) : " ", cyc ? TH_CYCLE : TH_NORMAL);
			x += 2;
			const char *kind = e->flags & AN_E_DEFINITE ? "" : _("(possible) ");
			x += draw_text(y, x, in.x + in.w - x, kind, TH_DIM);
			analysis_edge_text(c->m, e, buf, sizeof buf);
			draw_text(y, x, in.x + in.w - x, buf,
			          cyc ? TH_CYCLE : e->flags & AN_E_DEFINITE ? TH_NORMAL : TH_DIM);
			y++;
			shown++;
		}
}

/* ---- the pane ---- */


static void legend(const struct ui_ctx *c, int y, int x, int w)
{
	char buf[256];
	if (c->ascii)
		snprintf(buf, sizeof buf, "%s", _("+-+ worker  .-. object  --> waits for / held by  ..> possible  ! cycle"));
	else
		snprintf(buf, sizeof buf, _("┌┐ worker  ╭╮ object  ──▶ waits for / held by  ┄▶ possible  %s cycle"),
		         draw_glyph(G_ALARM));
	if (text_width(buf) > w)
		snprintf(buf, sizeof buf, c->ascii ? _("--> waits/held  ..> possible  ! cycle")
		                                   : _("──▶ waits/held  ┄▶ possible  ‼ cycle"));
	draw_text(y, x, w, buf, TH_DIM);
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	static struct graph g; /* big: not on the stack */
	const struct analysis *an = c->an;
	struct rect in = {r.y + 1, r.x + 2, r.h - 2, r.w - 4};
	if (in.h < 1 || in.w < 4)
		return;
	/* the first line says what the graph shows now */
	char buf[512];
	int role = TH_DIM;
	if (an->deadlock) {
		snprintf(buf, sizeof buf, _("%s DEADLOCK: a cycle of waits nobody can break"),
		         draw_glyph(G_ALARM));
		role = TH_ALARM;
	} else if (an->cycle_kind == AN_CYCLE_TIMED) {
		snprintf(buf, sizeof buf, "%s", _("a cycle, but a timed wait will break it"));
		role = TH_HINT;
	} else if (an->cycle_kind == AN_CYCLE_OPEN) {
		snprintf(buf, sizeof buf, "%s", _("a cycle of possible waits: someone outside can still break it"));
		role = TH_HINT;
	} else if (an->stalled) {
		snprintf(buf, sizeof buf, "%s", _("STALLED: everyone waits, nobody can wake them"));
		role = TH_ALARM;
	} else if (an->nedges == 0) {
		snprintf(buf, sizeof buf, "%s", _("nobody waits for anybody now"));
	} else {
		snprintf(buf, sizeof buf, _("%d waiting, no cycle"), an->blocked);
	}
	if (an->deadlock && text_width(buf) > in.w)
		snprintf(buf, sizeof buf, _("%s DEADLOCK"), draw_glyph(G_ALARM));
	draw_text(in.y, in.x, in.w, buf, role);
	if (an->nedges == 0)
		return;
	struct rect body = {in.y + 1, in.x, in.h - 1, in.w};
	/* From the most to the least said: the whole drawing with pids, then
	 * without pids, then objects on the arrows; each with its legend unless
	 * the legend's row would cost the arrows their labels. Else the list
	 * (which names pids). */
	static const struct {
		int compact, pids;
	} tries[] = {{0, 1}, {0, 0}, {1, 1}, {1, 0}};
	int fits = 0, with_legend = 1;
	int wrows = 0;
	for (size_t k = 0; k < sizeof tries / sizeof tries[0] && !fits; k++) {
		if (body.h < 3 || build(c, &g, tries[k].compact, tries[k].pids) != 0)
			continue;
		/* the edges said in words take a row each, at most a third */
		wrows = word_lines(c, &g) < body.h / 3 ? word_lines(c, &g) : body.h / 3;
		if (g.nwords > 0 && wrows == 0)
			continue;
		with_legend = 1;
		fits = gl_layout(&g.in, body.h - 1 - wrows, body.w, &g.out);
		if (fits && g.out.labels)
			break;
		static struct gl_out bare;
		if (gl_layout(&g.in, body.h - wrows, body.w, &bare) && (bare.labels || !fits)) {
			g.out = bare;
			with_legend = 0;
			fits = 1;
		}
	}
	if (!fits) {
		draw_list(c, body);
		return;
	}
	int ox = body.x + (body.w - g.out.w) / 2;
	draw_graph(c, &g, body.y, ox < body.x ? body.x : ox);
	if (wrows) /* every row the drawing and the legend leave */
		draw_words(c, &g, body.y + g.out.h, body.x, body.w,
		           body.h - g.out.h - (with_legend ? 1 : 0));
	if (with_legend)
		legend(c, body.y + body.h - 1, body.x, body.w);
}

/* Rows the drawing takes at the width the layout gives the pane (beside the
 * narration, or half the width), borders, title and legend included. */
static int want(const struct ui_ctx *c)
{
	static struct graph g;
	if (!c->v->show_graph)
		return 0;
	int nw = c->cols * 2 / 5 < 40 ? 40 : c->cols * 2 / 5 > 90 ? 90 : c->cols * 2 / 5;
	int w = (c->cols >= 110 ? c->cols - nw : c->cols / 2) - 4;
	if (c->an->nedges == 0)
		return 10;
	for (int compact = 0; compact < 2; compact++)
		if (build(c, &g, compact, 1) == 0 && gl_layout(&g.in, 200, w, &g.out))
			return g.out.h + 4 + word_lines(c, &g) < 10 ? 10 : g.out.h + 4 + word_lines(c, &g);
	return 3 + c->an->nedges;
}

const struct pane_ops pane_graph = {PANE_GRAPH, N_("Wait-for graph"), want, draw};
