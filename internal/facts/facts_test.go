package facts_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// probe is a section of the tests: the titles of the district's plans.
type probeSummary struct {
	Plans int `json:"plans"`
}

type probeDetail struct {
	Titles []string `json:"titles"`
}

func probe(name string, version int) facts.Section {
	return facts.Section{Name: name, Version: version, Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
		var titles []string
		err := tx.Raw(`SELECT title FROM plans ORDER BY id`).Scan(&titles).Error
		return probeSummary{Plans: len(titles)}, probeDetail{Titles: titles}, err
	}}
}

func addPlan(tx *tenancy.Tx, title string) error {
	return tx.Exec(`INSERT INTO plans (title, start_year, end_year) VALUES (?, 2021, 2023)`, title).Error
}

var someone = actor.New("u1", "Test", "", "valle-trompia", nil, nil, nil)

// setup provisions the demo districts and returns the pool, a scope and the districts by slug.
func setup(t *testing.T) (*db.DB, *tenancy.Scope, map[string]tenancy.Tenant) {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ts, err := tenancy.NewRegistry(d, time.Hour).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]tenancy.Tenant{}
	for _, tn := range ts {
		bySlug[tn.Slug] = tn
	}
	return d, tenancy.NewScope(d), bySlug
}

// decode reads the probe section of one district of a region, with its detail.
func decode(t *testing.T, s *facts.Store, region, slug string) (probeSummary, probeDetail, facts.Record) {
	t.Helper()
	d, ok, err := s.District(context.Background(), region, slug)
	if err != nil || !ok {
		t.Fatalf("district %s of %s: %v, %v", slug, region, ok, err)
	}
	var sum probeSummary
	var det probeDetail
	rec := d.Sections["probe"]
	if _, err := rec.Decode(1, &sum, &det); err != nil {
		t.Fatal(err)
	}
	return sum, det, rec
}

func TestASectionChangesWithTheWriteThatChangedIt(t *testing.T) {
	ctx := context.Background()
	d, scope, ts := setup(t)
	s := facts.NewStore(d, probe("probe", 1))
	vt := ts["valle-trompia"]

	write := func(title string, fail error) error {
		return scope.TxFor(ctx, vt, someone, func(tx *tenancy.Tx) error {
			if err := addPlan(tx, title); err != nil {
				return err
			}
			if err := s.Refresh(ctx, tx, "probe"); err != nil {
				return err
			}
			return fail
		})
	}
	if err := write("Piano A", nil); err != nil {
		t.Fatal(err)
	}
	sum, det, rec := decode(t, s, "lombardia", "valle-trompia")
	if sum.Plans != 1 || len(det.Titles) != 1 || det.Titles[0] != "Piano A" || rec.Version != 1 || rec.UpdatedAt.IsZero() {
		t.Errorf("after one write: %+v %+v %+v", sum, det, rec)
	}
	// A write that fails after refreshing leaves the facts as they were: same transaction.
	if err := write("Piano B", errors.New("no")); err == nil {
		t.Fatal("the failing write succeeded")
	}
	if sum, _, _ := decode(t, s, "lombardia", "valle-trompia"); sum.Plans != 1 {
		t.Errorf("a rolled-back write changed the facts: %+v", sum)
	}

	// The region's table reads every district's summary, never the details.
	ds, err := s.Districts(ctx, "lombardia")
	if err != nil || len(ds) != 1 || ds[0].Slug != "valle-trompia" || ds[0].Name == "" {
		t.Fatalf("districts of lombardia: %+v, %v", ds, err)
	}
	if rec := ds[0].Sections["probe"]; len(rec.Summary) == 0 || rec.Detail != nil {
		t.Errorf("the table read %+v", rec)
	}
	// A reader expecting another version of the shape sees no section.
	var other probeSummary
	if ok, err := ds[0].Sections["probe"].Decode(2, &other, nil); ok || err != nil || other.Plans != 0 {
		t.Errorf("a version-2 reader decoded version 1: %v %v %+v", ok, err, other)
	}
	// A district with no section yet is listed, with none; another region's is not found.
	ds, err = s.Districts(ctx, "emilia-romagna")
	if err != nil || len(ds) != 1 || len(ds[0].Sections) != 0 {
		t.Errorf("districts of emilia-romagna: %+v, %v", ds, err)
	}
	if _, ok, err := s.District(ctx, "lombardia", "trento"); ok || err != nil {
		t.Errorf("trento found in lombardia: %v, %v", ok, err)
	}
	// Refreshing a section nobody registered is a programming error.
	err = scope.TxFor(ctx, vt, someone, func(tx *tenancy.Tx) error { return s.Refresh(ctx, tx, "pathways") })
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Internal {
		t.Errorf("refreshing an unregistered section: %v", err)
	}
}

// Two writes in one district at once: the second computes its facts after the first has
// committed, so neither overwrites the other's change with figures that miss it.
func TestConcurrentWritesOfADistrictSeeEachOther(t *testing.T) {
	ctx := context.Background()
	d, scope, ts := setup(t)
	s := facts.NewStore(d, probe("probe", 1))
	vt := ts["valle-trompia"]
	write := func(title string, hold func()) error {
		return scope.TxFor(ctx, vt, someone, func(tx *tenancy.Tx) error {
			if err := addPlan(tx, title); err != nil {
				return err
			}
			if err := s.Refresh(ctx, tx, "probe"); err != nil {
				return err
			}
			hold()
			return nil
		})
	}
	refreshed, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() { first <- write("Piano A", func() { close(refreshed); <-release }) }()
	<-refreshed
	second := make(chan error, 1)
	go func() { second <- write("Piano B", func() {}) }()
	waitForLockWaiter(t, d)
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if sum, det, _ := decode(t, s, "lombardia", "valle-trompia"); sum.Plans != 2 || len(det.Titles) != 2 {
		t.Errorf("after two concurrent writes the facts hold %+v %+v", sum, det)
	}
}

// waitForLockWaiter waits until a transaction of this test's database waits for a lock: the
// second writer has reached Refresh while the first holds its section. The bound only decides
// when to give up (other tests share the cluster and the machine may be busy).
func waitForLockWaiter(t *testing.T, d *db.DB) {
	t.Helper()
	for range 3000 {
		var n int64
		err := d.Platform(context.Background(), func(tx *gorm.DB) error {
			return tx.Raw(`SELECT count(*) FROM pg_locks WHERE NOT granted
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&n).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the second writer never waited for the first")
}

func TestRebuildComputesEverySectionOfEveryDistrict(t *testing.T) {
	ctx := context.Background()
	d, scope, ts := setup(t)
	// Plans written without facts, as before a section existed.
	for slug, n := range map[string]int{"valle-trompia": 2, "trento": 1} {
		err := scope.TxFor(ctx, ts[slug], someone, func(tx *tenancy.Tx) error {
			for i := range n {
				if err := addPlan(tx, slug+string(rune('A'+i))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	s := facts.NewStore(d, probe("probe", 1), probe("other", 1))
	if err := s.Rebuild(ctx, []tenancy.Tenant{ts["valle-trompia"], ts["trento"], ts["terre-dargine"]}); err != nil {
		t.Fatal(err)
	}
	for region, want := range map[string]int{"lombardia": 2, "trento": 1, "emilia-romagna": 0} {
		ds, err := s.Districts(ctx, region)
		if err != nil || len(ds) != 1 {
			t.Fatalf("%s: %+v, %v", region, ds, err)
		}
		for _, name := range []string{"probe", "other"} {
			var sum probeSummary
			if ok, err := ds[0].Sections[name].Decode(1, &sum, nil); !ok || err != nil || sum.Plans != want {
				t.Errorf("%s, section %s after the rebuild: %v %v %+v", region, name, ok, err, sum)
			}
		}
	}
}

func TestRegionsCountTheirActiveDistricts(t *testing.T) {
	ctx := context.Background()
	d, _, _ := setup(t)
	s := facts.NewStore(d)
	rs, err := s.Regions(ctx, []string{"trento", "lombardia", "atlantide"})
	// By name: Provincia autonoma di Trento, Regione Lombardia.
	if err != nil || len(rs) != 2 || rs[0].Slug != "trento" || rs[1].Slug != "lombardia" || rs[1].Districts != 1 || rs[1].Kind != "regione" {
		t.Fatalf("regions: %+v, %v", rs, err)
	}
	if _, err := tenancy.SetStatus(ctx, d, "valle-trompia", "suspended"); err != nil {
		t.Fatal(err)
	}
	rs, _ = s.Regions(ctx, []string{"lombardia"})
	ds, err := s.Districts(ctx, "lombardia")
	if len(rs) != 1 || rs[0].Districts != 0 || len(ds) != 0 || err != nil {
		t.Errorf("a suspended district still counts: %+v %+v %v", rs, ds, err)
	}
}

// The facts kept before sections existed become the plan's section, version 1, with the two
// fields version 1 added (the share on target and the participant types).
func TestTheMigrationKeepsThePlanFacts(t *testing.T) {
	ctx := context.Background()
	d, _ := dbtest.Open(t, db.Config{})
	before := fstest.MapFS{}
	files, _ := fs.Glob(migrations.Platform(), "*.sql")
	for _, f := range files {
		if f < "00005" {
			b, _ := fs.ReadFile(migrations.Platform(), f)
			before[f] = &fstest.MapFile{Data: b}
		}
	}
	if _, err := tenancy.NewProvisioner(d, before, migrations.Tenant()).Sync(ctx, tenancytest.Definitions(t)); err != nil {
		t.Fatal(err)
	}
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO platform.district_facts (tenant_slug, summary, detail) VALUES
			('valle-trompia', ?, '{"plans": [{"id": 1, "title": "Piano di Zona 2021-2023", "objectives": 3}]}'),
			('trento', '{"plan": null, "objectives": 0, "objectives_on_target": 0, "areas": []}', '{"plans": []}')`,
			`{"plan": {"title": "Piano di Zona 2021-2023", "status": "approvato"}, "objectives": 3, "objectives_on_target": 2,
			  "participation": {"meetings": 1, "participants": 23, "by_type": {"cittadini": 3, "terzo_settore": 20}}}`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).MigratePlatform(ctx); err != nil {
		t.Fatal(err)
	}
	s := facts.NewStore(d)
	for slug, share := range map[string]string{"valle-trompia": "66.7", "trento": "nil"} {
		region := map[string]string{"valle-trompia": "lombardia", "trento": "trento"}[slug]
		dd, ok, err := s.District(ctx, region, slug)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", slug, ok, err)
		}
		var sum facts.PlanSummary
		var det facts.PlanDetail
		if ok, err := dd.Sections[facts.PlanSection].Decode(facts.PlanVersion, &sum, &det); !ok || err != nil {
			t.Fatalf("%s: the plan section is not version %d: %v %v %+v", slug, facts.PlanVersion, ok, err, dd.Sections)
		}
		got := "nil"
		if sum.OnTargetShare != nil {
			got = fmt.Sprint(*sum.OnTargetShare)
		}
		if got != share || len(det.ParticipantTypes) != 7 || det.ParticipantTypes[0] != "enti_pubblici" {
			t.Errorf("%s after the migration: share %s (want %s), types %v", slug, got, share, det.ParticipantTypes)
		}
		if slug == "valle-trompia" && (sum.Participation.ByType["cittadini"] != 3 || sum.Plan.Title == "" || len(det.Plans) != 1) {
			t.Errorf("the migration lost figures: %+v %+v", sum, det)
		}
	}
}
