package facts

// Table is a two-way table of counts of people as it leaves the platform: its cells (rows ×
// columns), each row's total, each column's total and the grand total, suppressed together by
// SuppressTable so that no hidden cell can be recomputed from what is shown.
type Table struct {
	Cells     [][]Count `json:"cells"`
	RowTotals []Count   `json:"row_totals"`
	ColTotals []Count   `json:"col_totals"`
	Total     Count     `json:"total"`
}

// SuppressTable suppresses a table of raw counts (cells[r][c], every row as long as the first)
// published with its row totals, column totals and grand total.
//
// Primary suppression hides every count between 1 and 4, the totals included. Secondary
// suppression then makes sure no hidden count can be recomputed by subtraction. Think of the
// table with its totals as a grid of (rows+1) × (columns+1) lines: each row, the totals row
// included, adds up to its total, and so does each column. In every such line, one hidden
// count alone would be the line's total minus the others, so:
//
//  1. a line with exactly one hidden count (its total counts as one of its cells) gets a
//     second: the smallest non-zero count shown among its cells, or its total if it has none;
//  2. once every line has zero or at least two, a hidden count could still be derived by
//     combining lines: the hidden counts form a graph (lines are the nodes, a hidden count
//     joins its row and its column), and a hidden count is derivable exactly when it is on no
//     cycle of that graph (a bridge: adding up the lines on one side of it leaves only it). For
//     each such count, the smallest non-zero count shown that joins its two sides is hidden
//     too, which closes a cycle through it.
//
// Both steps repeat until nothing changes. Zeros are never hidden (a zero points at nobody),
// and there is always a non-zero count to hide: a line adds up to its total, so a lone hidden
// count in it is balanced by another non-zero one, and so is a count across a bridge by the
// others across it. The result depends only on the counts and their order: ties go to the
// first line (rows before columns), then the first cell.
func SuppressTable(cells [][]int) Table {
	g := newGrid(cells)
	for g.secondLine() || g.closeBridge() {
	}
	return g.table()
}

// grid is the table with its totals: row R and column C hold the totals.
type grid struct {
	R, C   int
	n      [][]int
	hidden [][]bool
	// stuck are the bridges no count shown can close: none, by the argument above; skipped all
	// the same, so that the loop ends whatever the input.
	stuck map[[2]int]bool
}

func newGrid(cells [][]int) *grid {
	R, C := len(cells), 0
	if R > 0 {
		C = len(cells[0])
	}
	g := &grid{R: R, C: C, n: make([][]int, R+1), hidden: make([][]bool, R+1), stuck: map[[2]int]bool{}}
	for r := range g.n {
		g.n[r], g.hidden[r] = make([]int, C+1), make([]bool, C+1)
	}
	for r := range R {
		for c := range C {
			v := 0
			if c < len(cells[r]) {
				v = cells[r][c]
			}
			g.n[r][c] = v
			g.n[r][C] += v
			g.n[R][c] += v
			g.n[R][C] += v
		}
	}
	for r := range g.n {
		for c := range g.n[r] {
			g.hidden[r][c] = small(g.n[r][c])
		}
	}
	return g
}

// line lists the cells of one line: row i (i ≤ R) or, when col, column i (i ≤ C); its total
// is the last.
func (g *grid) line(i int, col bool) [][2]int {
	var out [][2]int
	if col {
		for r := 0; r <= g.R; r++ {
			out = append(out, [2]int{r, i})
		}
	} else {
		for c := 0; c <= g.C; c++ {
			out = append(out, [2]int{i, c})
		}
	}
	return out
}

// secondLine gives the first line with exactly one hidden count a second one, and reports
// whether it did.
func (g *grid) secondLine() bool {
	for _, col := range []bool{false, true} {
		last := g.R
		if col {
			last = g.C
		}
		for i := 0; i <= last; i++ {
			cells := g.line(i, col)
			hidden := 0
			for _, p := range cells {
				if g.hidden[p[0]][p[1]] {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			if p, ok := g.smallest(cells[:len(cells)-1]); ok {
				g.hide(p)
				return true
			}
			if t := cells[len(cells)-1]; !g.hidden[t[0]][t[1]] && g.n[t[0]][t[1]] > 0 {
				g.hide(t)
				return true
			}
		}
	}
	return false
}

// smallest returns the smallest non-zero count shown among cells, the first on a tie.
func (g *grid) smallest(cells [][2]int) ([2]int, bool) {
	best, ok := [2]int{}, false
	for _, p := range cells {
		v := g.n[p[0]][p[1]]
		if g.hidden[p[0]][p[1]] || v == 0 {
			continue
		}
		if !ok || v < g.n[best[0]][best[1]] {
			best, ok = p, true
		}
	}
	return best, ok
}

func (g *grid) hide(p [2]int) { g.hidden[p[0]][p[1]] = true }

// closeBridge finds the first hidden count on no cycle of hidden counts and hides the
// smallest count shown that joins the two sides it separates; it reports whether it hid one.
// Nodes are the rows 0..R and then the columns R+1..R+1+C.
func (g *grid) closeBridge() bool {
	for r := 0; r <= g.R; r++ {
		for c := 0; c <= g.C; c++ {
			if !g.hidden[r][c] || g.stuck[[2]int{r, c}] {
				continue
			}
			side := g.reach(r, [2]int{r, c})
			if side[g.R+1+c] {
				continue // on a cycle
			}
			var across [][2]int
			for i := 0; i <= g.R; i++ {
				for j := 0; j <= g.C; j++ {
					if side[i] != side[g.R+1+j] {
						across = append(across, [2]int{i, j})
					}
				}
			}
			if p, ok := g.smallest(across); ok {
				g.hide(p)
				return true
			}
			g.stuck[[2]int{r, c}] = true
		}
	}
	return false
}

// reach returns the nodes reachable from row `from` through hidden counts, without `skip`.
func (g *grid) reach(from int, skip [2]int) []bool {
	seen := make([]bool, g.R+1+g.C+1)
	seen[from] = true
	stack := []int{from}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		var next []int
		if v <= g.R {
			for c := 0; c <= g.C; c++ {
				if g.hidden[v][c] && [2]int{v, c} != skip {
					next = append(next, g.R+1+c)
				}
			}
		} else {
			c := v - g.R - 1
			for r := 0; r <= g.R; r++ {
				if g.hidden[r][c] && [2]int{r, c} != skip {
					next = append(next, r)
				}
			}
		}
		for _, w := range next {
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return seen
}

func (g *grid) count(r, c int) Count { return Count{N: g.n[r][c], Suppressed: g.hidden[r][c]} }

func (g *grid) table() Table {
	t := Table{Cells: make([][]Count, g.R), RowTotals: make([]Count, g.R), ColTotals: make([]Count, g.C), Total: g.count(g.R, g.C)}
	for r := range g.R {
		t.Cells[r] = make([]Count, g.C)
		for c := range g.C {
			t.Cells[r][c] = g.count(r, c)
		}
		t.RowTotals[r] = g.count(r, g.C)
	}
	for c := range g.C {
		t.ColTotals[c] = g.count(g.R, c)
	}
	return t
}
