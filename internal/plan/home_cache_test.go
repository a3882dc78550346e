package plan_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The district home's data is kept per data version and read again as soon as anything it
// shows may have moved: a write through the service, a write by another instance (plain SQL in
// its own transaction), new pathways' facts (the bound indicators); not after a write that was
// rolled back. A transaction moves the version once, however many rows it writes.
func TestTheHomeIsKeptUntilItsDataMoves(t *testing.T) {
	t.Parallel()
	d, f := boundDistrict(t)
	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023})
	noError(t, err)
	o, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Reddito", AreaCode: "A"})
	noError(t, err)
	home := func() plan.Home {
		t.Helper()
		h, err := d.svc.Home(d.ctx, d.udp, true)
		noError(t, err)
		if h.Current == nil || len(h.Current.Objectives) != 1 {
			t.Fatalf("home: %+v", h)
		}
		return h
	}
	kept := func(step string, a, b plan.Home) {
		t.Helper()
		if a.Version != b.Version || &a.Current.Objectives[0] != &b.Current.Objectives[0] {
			t.Errorf("%s: the home was read again (%s, %s)", step, a.Version, b.Version)
		}
	}
	moved := func(step string, a, b plan.Home) {
		t.Helper()
		if a.Version == b.Version || &a.Current.Objectives[0] == &b.Current.Objectives[0] {
			t.Errorf("%s: the home was not read again (%s, %s)", step, a.Version, b.Version)
		}
	}
	counter := func() int {
		t.Helper()
		n, err := strconv.Atoi(f.id(`SELECT version::text FROM data_versions WHERE subject = 'plan'`))
		noError(t, err)
		return n
	}

	h1 := home()
	if h1.Version == "" {
		t.Fatal("no data version")
	}
	kept("nothing written", h1, home())

	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(o *plan.Objective) error { o.Title = "Reddito minimo"; return nil })
	noError(t, err)
	h2 := home()
	moved("an objective edited", h1, h2)
	if got := h2.Current.Objectives[0].Title; got != "Reddito minimo" {
		t.Errorf("title %q after the edit", got)
	}

	f.sql(func(g *gorm.DB) error {
		return g.Exec(`UPDATE objectives SET title = 'Reddito (altra istanza)' WHERE id = ?`, o.ID).Error
	})
	h3 := home()
	moved("written by another instance", h2, h3)
	if got := h3.Current.Objectives[0].Title; got != "Reddito (altra istanza)" {
		t.Errorf("title %q after another instance's write", got)
	}

	schema, _ := tenancy.SchemaName(d.slug)
	rollback := errors.New("rolled back")
	err = d.db.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		if err := g.Exec(`UPDATE objectives SET title = 'mai scritto' WHERE id = ?`, o.ID).Error; err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("rollback: %v", err)
	}
	kept("a write rolled back", h3, home())

	before := counter()
	f.sql(func(g *gorm.DB) error {
		for i := 0; i < 3; i++ {
			if err := g.Exec(`INSERT INTO objectives (plan_id, title, area_code, position) VALUES (?, 'Altro', 'A', 10 + ?)`, p.ID, i).Error; err != nil {
				return err
			}
		}
		return g.Exec(`DELETE FROM objectives WHERE title = 'Altro'`).Error
	})
	if after := counter(); after != before+1 {
		t.Errorf("one transaction of six row writes moved the version from %d to %d, want by one", before, after)
	}
	h4 := home()
	moved("rows written and deleted", h3, h4)

	f.pathway("", "2024-03-10", "", "", "")
	f.refresh()
	moved("the pathways' facts rewritten", h4, home())
}

// The version moves at commit, so a writer waits on it for another's commit only: two
// transactions that each edit an objective, then the first the second's, both commit (a
// version row locked at the first write would have made them wait on each other).
func TestTheDataVersionIsTakenAtCommit(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano di Zona 2024-2026", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	o1, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Primo", AreaCode: "A"})
	noError(t, err)
	o2, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Secondo", AreaCode: "A"})
	noError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	schema, _ := tenancy.SchemaName(d.slug)
	begin := func() pgx.Tx {
		t.Helper()
		c, err := pgx.Connect(ctx, d.url)
		noError(t, err)
		t.Cleanup(func() { c.Close(context.Background()) })
		tx, err := c.Begin(ctx)
		noError(t, err)
		_, err = tx.Exec(ctx, `SELECT set_config('search_path', $1, true), set_config('lock_timeout', '20s', true)`, schema)
		noError(t, err)
		return tx
	}
	edit := func(tx pgx.Tx, id int64, title string) error {
		_, err := tx.Exec(ctx, `UPDATE objectives SET title = $1 WHERE id = $2`, title, id)
		return err
	}
	a, b := begin(), begin()
	noError(t, edit(a, o1.ID, "Primo (a)"))
	noError(t, edit(b, o2.ID, "Secondo (b)"))
	done := make(chan error, 1)
	go func() { done <- edit(a, o2.ID, "Secondo (a)") }() // waits for b's row
	noError(t, b.Commit(ctx))
	noError(t, <-done)
	noError(t, a.Commit(ctx))
}
