/* Layout: every size from the minimum up gives panes that fit, do not
 * overlap and use the room; below the minimum, the too-small message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

static struct layout lay(int rows, int cols, int workers, int locks, int sems, int queues,
                         int values)
{
	struct layout_in in = {.rows = rows, .cols = cols};
	in.want[PANE_WORKERS] = workers;
	in.want[PANE_LOCKS] = locks;
	in.want[PANE_SEMS] = sems;
	in.want[PANE_QUEUES] = queues;
	in.want[PANE_VALUES] = values;
	struct layout l;
	layout_compute(&in, &l);
	return l;
}

static void too_small(void **state)
{
	(void)state;
	assert_true(lay(23, 80, 6, 4, 0, 0, 0).too_small);
	assert_true(lay(24, 79, 6, 4, 0, 0, 0).too_small);
	assert_true(lay(20, 60, 6, 4, 0, 0, 0).too_small);
	assert_false(lay(24, 80, 6, 4, 0, 0, 0).too_small);
}

static void check_sane(const struct layout *l, int rows, int cols)
{
	int cell[80][240];
	memset(cell, 0, sizeof cell);
	for (int p = 0; p < PANE_COUNT; p++) {
		if (!l->shown[p])
			continue;
		const struct rect *r = &l->r[p];
		assert_true(r->y >= 0 && r->x >= 0 && r->h >= 1 && r->w >= 1);
		assert_true(r->y + r->h <= rows && r->x + r->w <= cols);
		for (int y = r->y; y < r->y + r->h; y++)
			for (int x = r->x; x < r->x + r->w; x++) {
				assert_int_equal(cell[y][x], 0); /* no overlap */
				cell[y][x] = p + 1;
			}
	}
	/* every cell is used: no dead borders */
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < cols; x++)
			assert_int_not_equal(cell[y][x], 0);
}

static void fits_everywhere(void **state)
{
	(void)state;
	static const int sizes[][2] = {{24, 80}, {30, 100}, {40, 120}, {50, 160}, {60, 200},
	                               {80, 240}, {24, 239}, {79, 80}};
	static const int wants[][5] = {{6, 4, 0, 0, 0}, {8, 0, 0, 7, 0}, {20, 6, 4, 12, 5},
	                               {3, 0, 0, 0, 0}, {200, 40, 40, 40, 40}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (size_t j = 0; j < sizeof wants / sizeof wants[0]; j++) {
			const int *w = wants[j];
			struct layout l = lay(sizes[i][0], sizes[i][1], w[0], w[1], w[2], w[3], w[4]);
			assert_false(l.too_small);
			check_sane(&l, sizes[i][0], sizes[i][1]);
			assert_true(l.r[PANE_WORKERS].h >= 4);
			assert_true(l.r[PANE_LOG].h >= 3 && l.r[PANE_NARRATION].h >= 4);
		}
}

static void fixed_places(void **state)
{
	(void)state;
	struct layout l = lay(40, 120, 6, 4, 0, 0, 0);
	assert_int_equal(l.r[PANE_HEADER].y, 0);
	assert_int_equal(l.r[PANE_HEADER].h, 2);
	assert_int_equal(l.r[PANE_FOOTER].y, 39);
	assert_int_equal(l.r[PANE_WORKERS].h, 6); /* what it asked for */
	assert_int_equal(l.r[PANE_LOCKS].h, 4);
	assert_true(l.side_by_side);
	assert_false(l.shown[PANE_SEMS] || l.shown[PANE_QUEUES] || l.shown[PANE_VALUES]);
	assert_int_equal(l.r[PANE_LOG].y, l.r[PANE_NARRATION].y);
	struct layout n = lay(24, 80, 6, 4, 0, 0, 0);
	assert_false(n.side_by_side);
	assert_true(n.r[PANE_NARRATION].y < n.r[PANE_LOG].y);
}

static void big_screen_uses_room(void **state)
{
	(void)state;
	struct layout s = lay(40, 120, 6, 4, 0, 0, 0), b = lay(60, 200, 6, 4, 0, 0, 0);
	assert_true(b.r[PANE_LOG].w > s.r[PANE_LOG].w + 40);
	assert_true(b.r[PANE_LOG].h > s.r[PANE_LOG].h + 15);
	assert_true(b.r[PANE_NARRATION].w > s.r[PANE_NARRATION].w);
}

static void object_panes_share_a_row(void **state)
{
	(void)state;
	struct layout n = lay(24, 80, 5, 4, 3, 7, 3);
	/* too narrow for four side by side: two rows, each filling the width */
	assert_true(n.r[PANE_QUEUES].y > n.r[PANE_LOCKS].y);
	assert_int_equal(n.r[PANE_LOCKS].w + n.r[PANE_SEMS].w, 80);
	assert_int_equal(n.r[PANE_QUEUES].w + n.r[PANE_VALUES].w, 80);
	struct layout l = lay(40, 160, 8, 4, 3, 7, 3);
	int y = l.r[PANE_LOCKS].y, x = 0;
	for (int p = PANE_LOCKS; p <= PANE_VALUES; p++) {
		assert_true(l.shown[p]);
		assert_int_equal(l.r[p].y, y);
		assert_int_equal(l.r[p].x, x);
		x += l.r[p].w;
	}
	assert_int_equal(x, 160);
	assert_true(l.r[PANE_QUEUES].w > l.r[PANE_LOCKS].w); /* the boxes need room */
}

/* The deadlock panes take the object panes' and the log's place; every
 * size still fits, and the graph gets room for a 2-cycle (8 rows, 2 of
 * borders, 1 of title) even at 80x24. */
static void deadlock_panes(void **state)
{
	(void)state;
	static const int sizes[][2] = {{24, 80}, {30, 100}, {40, 120}, {60, 200}, {79, 80}};
	static const int on[][2] = {{14, 26}, {14, 0}, {0, 26}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (size_t j = 0; j < sizeof on / sizeof on[0]; j++)
			for (int workers = 4; workers <= 40; workers += 9) {
				struct layout_in in = {.rows = sizes[i][0], .cols = sizes[i][1]};
				in.want[PANE_WORKERS] = workers;
				in.want[PANE_LOCKS] = 4;
				in.want[PANE_QUEUES] = 7;
				in.want[PANE_GRAPH] = on[j][0];
				in.want[PANE_CONDS] = on[j][1];
				struct layout l;
				layout_compute(&in, &l);
				check_sane(&l, sizes[i][0], sizes[i][1]);
				/* a small screen gives the objects and the log up to the graph */
				if (sizes[i][0] == 24)
					assert_false(l.shown[PANE_LOCKS] || l.shown[PANE_QUEUES] ||
					             l.shown[PANE_LOG]);
				assert_int_equal(l.shown[PANE_GRAPH], on[j][0] > 0);
				assert_int_equal(l.shown[PANE_CONDS], on[j][1] > 0);
				assert_true(l.shown[PANE_NARRATION] && l.r[PANE_NARRATION].h >= 4);
				int p = on[j][0] ? PANE_GRAPH : PANE_CONDS;
				assert_true(l.r[p].h >= 11);
				assert_true(l.r[p].w >= 38);
			}
}

/* At 120x40 the deadlock scene keeps its locks and its log beside the
 * graph: there is room for all of them. */
static void deadlock_panes_keep_room(void **state)
{
	(void)state;
	struct layout_in in = {.rows = 40, .cols = 120};
	in.want[PANE_WORKERS] = 6;
	in.want[PANE_LOCKS] = 4;
	in.want[PANE_GRAPH] = 14;
	in.want[PANE_CONDS] = 26;
	struct layout l;
	layout_compute(&in, &l);
	check_sane(&l, 40, 120);
	assert_true(l.shown[PANE_LOCKS] && l.shown[PANE_LOG] && l.shown[PANE_GRAPH]);
	assert_int_equal(l.r[PANE_GRAPH].h, 14);
	assert_true(l.r[PANE_LOG].y > l.r[PANE_GRAPH].y);
	assert_int_equal(l.r[PANE_CONDS].x, l.r[PANE_NARRATION].x);
}

/* The explorer's strip keeps the row above the key bar: every pane ends
 * above it, nothing overlaps, every other cell is used, at every size and
 * with the deadlock panes too. */
static void a_row_kept_above_the_key_bar(void **state)
{
	(void)state;
	static const int sizes[][2] = {{24, 80}, {30, 100}, {40, 120}, {60, 200}, {24, 239}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int deadlock = 0; deadlock < 2; deadlock++) {
			int rows = sizes[i][0], cols = sizes[i][1];
			struct layout_in in = {.rows = rows, .cols = cols, .reserve = 1};
			in.want[PANE_WORKERS] = 5;
			in.want[PANE_LOCKS] = 4;
			in.want[PANE_GRAPH] = in.want[PANE_CONDS] = deadlock ? 14 : 0;
			struct layout l;
			layout_compute(&in, &l);
			assert_false(l.too_small);
			assert_int_equal(l.r[PANE_FOOTER].y, rows - 1);
			static int cell[80][240];
			memset(cell, 0, sizeof cell);
			for (int x = 0; x < cols; x++)
				cell[rows - 2][x] = -1; /* the strip's */
			for (int p = 0; p < PANE_COUNT; p++) {
				if (!l.shown[p])
					continue;
				const struct rect *r = &l.r[p];
				assert_true(r->h >= 1 && r->y + r->h <= rows);
				for (int y = r->y; y < r->y + r->h; y++)
					for (int x = r->x; x < r->x + r->w; x++) {
						assert_int_equal(cell[y][x], 0);
						cell[y][x] = p + 1;
					}
			}
			for (int y = 0; y < rows; y++)
				for (int x = 0; x < cols; x++)
					assert_int_not_equal(cell[y][x], 0);
			assert_true(l.r[PANE_NARRATION].h >= 4);
		}
}

static void hits(void **state)
{
	(void)state;
	struct layout l = lay(40, 120, 6, 4, 0, 0, 0);
	assert_int_equal(layout_hit(&l, 0, 5), PANE_HEADER);
	assert_int_equal(layout_hit(&l, 3, 50), PANE_WORKERS);
	assert_int_equal(layout_hit(&l, 39, 0), PANE_FOOTER);
	assert_int_equal(layout_hit(&l, 40, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(too_small),
		cmocka_unit_test(fits_everywhere),
		cmocka_unit_test(fixed_places),
		cmocka_unit_test(big_screen_uses_room),
		cmocka_unit_test(object_panes_share_a_row),
		cmocka_unit_test(deadlock_panes),
		cmocka_unit_test(deadlock_panes_keep_room),
		cmocka_unit_test(hits),
		cmocka_unit_test(a_row_kept_above_the_key_bar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
