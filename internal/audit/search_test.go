package audit_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/tenancy"
)

func TestSearchFiltersAndPagesNewestFirst(t *testing.T) {
	tr := newTrail(t)
	other := actor.New("coord-1", "Carla Coordinatrice", "", "valle-trompia", []string{"coordinatore"}, nil, nil)
	dpo := actor.New("dpo-1", "Davide DPO", "", "valle-trompia", []string{"dpo"}, nil,
		func(object, action string) bool { return object == "audit" && action == "read" })
	write := func(a actor.Actor, accesses ...tenancy.Access) {
		t.Helper()
		if err := tr.audited.Tx(tr.ctx, a, func(tx *tenancy.Tx) error {
			for _, x := range accesses {
				tx.Audit(x)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(tr.worker, tenancy.Access{Subject: "p-1", What: "persona", Action: "create"},
		tenancy.Access{Subject: "p-1", What: "percorso", Action: "create"})
	write(other, tenancy.Access{Subject: "p-2", What: "persona", Action: "read"})
	write(tr.worker, tenancy.Access{Subject: "p-1", What: "persona", Action: "read"},
		tenancy.Access{Subject: "p-2", What: "valutazione", Action: "update"})
	later := time.Now().Add(time.Hour)

	search := func(f audit.Filter) (audit.Page, error) {
		var p audit.Page
		err := tr.audited.Tx(tr.ctx, dpo, func(tx *tenancy.Tx) error {
			var err error
			p, err = audit.Search(tx, f)
			return err
		})
		return p, err
	}
	seqs := func(p audit.Page) []int64 {
		var s []int64
		for _, e := range p.Items {
			s = append(s, e.Seq)
		}
		return s
	}
	for name, tc := range map[string]struct {
		f     audit.Filter
		total int64
		want  []int64
	}{
		"all":          {audit.Filter{}, 5, []int64{5, 4, 3, 2, 1}},
		"subject":      {audit.Filter{Subject: "p-1"}, 3, []int64{4, 2, 1}},
		"actor":        {audit.Filter{ActorID: "coord-1"}, 1, []int64{3}},
		"action":       {audit.Filter{Action: "create"}, 2, []int64{2, 1}},
		"what":         {audit.Filter{What: "persona", Subject: "p-2"}, 1, []int64{3}},
		"page":         {audit.Filter{Limit: 2, Offset: 1}, 5, []int64{4, 3}},
		"past the end": {audit.Filter{Offset: 10}, 5, nil},
		"period":       {audit.Filter{From: time.Now().Add(-time.Hour), To: later}, 5, []int64{5, 4, 3, 2, 1}},
		"future":       {audit.Filter{From: later}, 0, nil},
	} {
		p, err := search(tc.f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := seqs(p); p.Total != tc.total || len(got) != len(tc.want) || !slices.Equal(got, tc.want) {
			t.Errorf("%s: total %d, seqs %v; want %d, %v", name, p.Total, got, tc.total, tc.want)
		}
	}
	for field, f := range map[string]audit.Filter{
		"limit":  {Limit: audit.MaxLimit + 1},
		"offset": {Offset: -1},
		"to":     {From: later, To: later.Add(-time.Minute)},
	} {
		_, err := search(f)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Field != field {
			t.Errorf("%s: %v, want invalid %s", field, err, field)
		}
	}
	if p, err := search(audit.Filter{Limit: audit.MaxLimit}); err != nil || p.Total != 5 {
		t.Errorf("limit %d: %v, %+v", audit.MaxLimit, err, p)
	}
}

func TestOnlyWhoMayReadTheTrailSearchesIt(t *testing.T) {
	tr := newTrail(t)
	err := tr.audited.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
		_, err := audit.Search(tx, audit.Filter{})
		return err
	})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Forbidden {
		t.Errorf("a link worker searching the trail: %v", err)
	}
}
