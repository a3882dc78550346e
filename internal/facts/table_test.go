package facts_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ambiti/ambiti/internal/facts"
)

// grid is a suppressed table seen as a reader sees it: the grid of (rows+1) × (columns+1)
// counts, the totals in the last row and column, and which of them show "<5".
type grid struct {
	n      [][]int
	hidden [][]bool
}

func gridOf(t facts.Table) grid {
	R, C := len(t.Cells), len(t.ColTotals)
	g := grid{n: make([][]int, R+1), hidden: make([][]bool, R+1)}
	for r := 0; r <= R; r++ {
		g.n[r], g.hidden[r] = make([]int, C+1), make([]bool, C+1)
		for c := 0; c <= C; c++ {
			var x facts.Count
			switch {
			case r < R && c < C:
				x = t.Cells[r][c]
			case r < R:
				x = t.RowTotals[r]
			case c < C:
				x = t.ColTotals[c]
			default:
				x = t.Total
			}
			g.n[r][c], g.hidden[r][c] = x.N, x.Suppressed
		}
	}
	return g
}

// lines lists the grid's lines (every row, then every column, totals included), each a list of
// cells whose last is the line's total.
func (g grid) lines() [][][2]int {
	R, C := len(g.n)-1, len(g.n[0])-1
	var out [][][2]int
	for r := 0; r <= R; r++ {
		var l [][2]int
		for c := 0; c <= C; c++ {
			l = append(l, [2]int{r, c})
		}
		out = append(out, l)
	}
	for c := 0; c <= C; c++ {
		var l [][2]int
		for r := 0; r <= R; r++ {
			l = append(l, [2]int{r, c})
		}
		out = append(out, l)
	}
	return out
}

// peel is the attacker who tries every line: a line with one hidden count gives it away (the
// total minus the others, or the sum of the others); what it gives away is then known, and the
// attacker tries again. It returns the hidden counts recovered.
func (g grid) peel() map[[2]int]int {
	known := map[[2]int]int{}
	isHidden := func(p [2]int) bool { _, k := known[p]; return g.hidden[p[0]][p[1]] && !k }
	for again := true; again; {
		again = false
		for _, l := range g.lines() {
			var lone [][2]int
			for _, p := range l {
				if isHidden(p) {
					lone = append(lone, p)
				}
			}
			if len(lone) != 1 {
				continue
			}
			sum := 0 // the line's cells minus its total, without the lone one
			for i, p := range l {
				v := g.n[p[0]][p[1]]
				if p == lone[0] {
					continue
				}
				if i == len(l)-1 {
					sum -= v
				} else {
					sum += v
				}
			}
			if lone[0] == l[len(l)-1] {
				known[lone[0]] = sum
			} else {
				known[lone[0]] = -sum
			}
			again = true
		}
	}
	return known
}

// derivable lists the hidden counts that some combination of lines pins down: x is derivable
// when its unit vector lies in the row space of the lines' equations over the hidden counts.
// This is a stronger attacker than peel (it adds lines up).
func (g grid) derivable() [][2]int {
	var unknowns [][2]int
	index := map[[2]int]int{}
	for r := range g.n {
		for c := range g.n[r] {
			if g.hidden[r][c] {
				index[[2]int{r, c}] = len(unknowns)
				unknowns = append(unknowns, [2]int{r, c})
			}
		}
	}
	var eqs [][]float64
	for _, l := range g.lines() {
		row := make([]float64, len(unknowns))
		for i, p := range l {
			if k, ok := index[p]; ok {
				row[k] = 1
				if i == len(l)-1 {
					row[k] = -1
				}
			}
		}
		eqs = append(eqs, row)
	}
	base := rank(eqs)
	var out [][2]int
	for k, p := range unknowns {
		e := make([]float64, len(unknowns))
		e[k] = 1
		if rank(append(clone(eqs), e)) == base {
			out = append(out, p)
		}
	}
	return out
}

func clone(m [][]float64) [][]float64 {
	out := make([][]float64, len(m))
	for i := range m {
		out[i] = append([]float64(nil), m[i]...)
	}
	return out
}

// rank is Gaussian elimination with partial pivoting; the entries are 0 and ±1, the tables
// small, so floating point is exact enough.
func rank(m [][]float64) int {
	m = clone(m)
	if len(m) == 0 {
		return 0
	}
	rk := 0
	for col := 0; col < len(m[0]) && rk < len(m); col++ {
		piv := rk
		for i := rk; i < len(m); i++ {
			if math.Abs(m[i][col]) > math.Abs(m[piv][col]) {
				piv = i
			}
		}
		if math.Abs(m[piv][col]) < 1e-9 {
			continue
		}
		m[rk], m[piv] = m[piv], m[rk]
		for i := range m {
			if i == rk {
				continue
			}
			f := m[i][col] / m[rk][col]
			for j := col; j < len(m[i]); j++ {
				m[i][j] -= f * m[rk][j]
			}
		}
		rk++
	}
	return rk
}

// safe checks the properties every suppressed table has.
func safe(t *testing.T, cells [][]int, got facts.Table) {
	t.Helper()
	g := gridOf(got)
	for r := range g.n {
		for c := range g.n[r] {
			n := g.n[r][c]
			if n > 0 && n < facts.SmallCount && !g.hidden[r][c] {
				t.Errorf("%v: the count %d at (%d,%d) is shown", cells, n, r, c)
			}
			if n == 0 && g.hidden[r][c] {
				t.Errorf("%v: a zero is hidden at (%d,%d)", cells, r, c)
			}
		}
	}
	for _, l := range g.lines() {
		hidden := 0
		for _, p := range l {
			if g.hidden[p[0]][p[1]] {
				hidden++
			}
		}
		if hidden == 1 {
			t.Errorf("%v: the line %v has a single hidden count", cells, l)
		}
	}
	if k := g.peel(); len(k) > 0 {
		t.Errorf("%v: trying every line recovers %v", cells, k)
	}
	if d := g.derivable(); len(d) > 0 {
		t.Errorf("%v: combining lines recovers %v", cells, d)
	}
}

func TestACellOfThreeCannotBeDerivedFromTheTotals(t *testing.T) {
	cells := [][]int{
		{3, 20, 12},
		{15, 30, 8},
		{9, 11, 40},
	}
	got := facts.SuppressTable(cells)
	if s := got.Cells[0][0].String(); s != "<5" {
		t.Fatalf("the cell of 3 shows %s", s)
	}
	if got.Total.String() != "148" || got.RowTotals[0].String() != "35" || got.ColTotals[0].String() != "27" {
		t.Errorf("totals: %+v %+v %+v", got.RowTotals, got.ColTotals, got.Total)
	}
	safe(t, cells, got)
	// Hiding it needs a second hidden count in its row and in its column, and those need
	// theirs: at least a rectangle of four.
	hidden := 0
	for _, row := range got.Cells {
		for _, c := range row {
			if c.Suppressed {
				hidden++
			}
		}
	}
	if hidden < 4 {
		t.Errorf("only %d hidden cells: %+v", hidden, got.Cells)
	}
}

func TestSmallTotalsAreHiddenAndProtected(t *testing.T) {
	for _, cells := range [][][]int{
		{{3, 0}, {0, 40}},  // a row total of 3 equals its only cell
		{{1, 2}, {30, 40}}, // a row of small counts: its total 3 is small too
		{{2}, {2}},         // one column: the column total of 4 is small
		{{0, 0}, {0, 0}},   // nothing to hide
		{{4, 1, 0}},        // a single district: its row is the totals row
		{{0, 7}, {6, 0}},   // nothing small
		{{1, 0, 0}, {0, 0, 9}, {0, 0, 8}},
	} {
		got := facts.SuppressTable(cells)
		safe(t, cells, got)
	}
	got := facts.SuppressTable([][]int{{1, 2}, {30, 40}})
	if !got.RowTotals[0].Suppressed || got.RowTotals[1].Suppressed && got.RowTotals[1].N != 70 {
		t.Errorf("row totals: %+v", got.RowTotals)
	}
}

func TestTheSameTableIsSuppressedTheSameWay(t *testing.T) {
	cells := [][]int{{3, 9, 9, 0}, {9, 3, 9, 12}, {9, 9, 3, 7}}
	a, b := facts.SuppressTable(cells), facts.SuppressTable(cells)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs differ:\n%+v\n%+v", a, b)
	}
	safe(t, cells, a)
}

// A lone hidden count between two groups of hidden counts passes the line rule (every line
// has two) and is still the difference of two sums of lines: it gets its own cycle.
func TestABridgeBetweenHiddenGroupsIsClosed(t *testing.T) {
	cells := [][]int{
		{2, 2, 50, 50, 50},
		{2, 2, 50, 50, 50},
		{50, 3, 3, 50, 50},
		{50, 50, 2, 2, 50},
		{50, 50, 2, 2, 50},
	}
	safe(t, cells, facts.SuppressTable(cells))
}

// Many random tables, small counts and zeros in plenty, none leaks a hidden count.
func TestRandomTablesLeakNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	for range 400 {
		R, C := 1+rng.IntN(6), 1+rng.IntN(6)
		cells := make([][]int, R)
		for r := range cells {
			cells[r] = make([]int, C)
			for c := range cells[r] {
				switch rng.IntN(4) {
				case 0:
				case 1:
					cells[r][c] = 1 + rng.IntN(4)
				default:
					cells[r][c] = rng.IntN(60)
				}
			}
		}
		safe(t, cells, facts.SuppressTable(cells))
	}
}

func TestATableShowsLikeItsCounts(t *testing.T) {
	if got := facts.SuppressTable(nil); got.Total.N != 0 || len(got.Cells) != 0 || got.Total.Suppressed {
		t.Errorf("empty table: %+v", got)
	}
	b, err := json.Marshal(facts.SuppressTable([][]int{{7, 9}, {6, 0}}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"cells":[[7,9],[6,0]],"row_totals":[16,6],"col_totals":[13,9],"total":22}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}
