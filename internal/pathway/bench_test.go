package pathway_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/policies"
)

// Benchmarks of the pathway room on the real database, each call a whole service call: the
// district transaction, the keyring session (unwrapping the district key and each person's
// data key), the queries, the decryption and the audit rows written before commit.
//
//	go test -run '^$' -bench . -benchtime 50x ./internal/pathway/

// benchCaseload is a room whose first link worker holds n COPE pathways, each with a meeting.
func benchCaseload(b *testing.B, n int) (*room, []pathway.Pathway) {
	b.Helper()
	r := newRoom(b)
	ps := make([]pathway.Pathway, n)
	for i := range ps {
		ps[i] = r.openCOPE(b, r.lw1, fmt.Sprintf("Nome%02d", i), "Inventato", "")
		_, err := r.svc.AddMeeting(r.ctx, r.lw1, ps[i].ID, pathway.Meeting{HeldOn: roomToday(), Kind: "incontro",
			Notes: "Primo colloquio", NextFollowUp: time.Now().AddDate(0, 0, i%14).Format(time.DateOnly)})
		roomNoError(b, err)
	}
	return r, ps
}

// A link worker's caseload of 60: one page of 60 rows, 60 names decrypted (60 data keys
// unwrapped), 60 "list" audit rows chained under the district's head.
func BenchmarkCaseload60(b *testing.B) {
	r, _ := benchCaseload(b, 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		items, total, err := r.svc.Caseload(r.ctx, r.lw1, pathway.CaseloadFilter{Limit: 60})
		if err != nil || total != 60 || len(items) != 60 {
			b.Fatalf("caseload: %d of %d, %v", len(items), total, err)
		}
	}
}

// One pathway on one page: the person, consents, history and every record (a goal, an
// activity, three meetings, an ONS4), decrypted, with their audit rows.
func BenchmarkDetail(b *testing.B) {
	r, ps := benchCaseload(b, 1)
	id := ps[0].ID
	_, err := r.svc.AddGoal(r.ctx, r.lw1, id, pathway.Goal{Text: "Patente", StartedOn: roomToday()})
	roomNoError(b, err)
	_, err = r.svc.AddActivity(r.ctx, r.lw1, id, pathway.Activity{Kind: "attivita", Description: "Corso", StartedOn: roomToday()})
	roomNoError(b, err)
	for i := 0; i < 2; i++ {
		_, err = r.svc.AddMeeting(r.ctx, r.lw1, id, pathway.Meeting{HeldOn: roomToday(), Kind: "follow_up", Notes: "Sta meglio"})
		roomNoError(b, err)
	}
	five := 5
	_, err = r.svc.AddONS4(r.ctx, r.lw1, id, pathway.ONS4{Occasion: "baseline", MeasuredOn: roomToday(),
		LifeSatisfaction: &five, Worthwhile: &five, Happiness: &five, Anxiety: &five})
	roomNoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.svc.Detail(r.ctx, r.lw1, id); err != nil {
			b.Fatal(err)
		}
	}
}

// Recording a meeting: the pathway loaded and checked writable, the notes sealed, the row, the
// next follow-up moved, a pathway event, the audit row.
func BenchmarkAddMeeting(b *testing.B) {
	r, ps := benchCaseload(b, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.svc.AddMeeting(r.ctx, r.lw1, ps[0].ID, pathway.Meeting{HeldOn: roomToday(), Kind: "incontro",
			Notes: "Colloquio di follow-up", NextFollowUp: time.Now().AddDate(0, 0, 7).Format(time.DateOnly)}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchWriter is one goroutine's link worker, district and pathway.
type benchWriter struct {
	ctx     context.Context
	a       actor.Actor
	pathway string
}

// Four goroutines recording meetings at once, each on its own pathway: all in one district
// (their audit rows serialise on that district's chain head), or two in each of two districts
// (two heads). ns/op is the wall time per meeting.
func BenchmarkAddMeetingParallel(b *testing.B) {
	r := newRoom(b)
	az, err := authz.New(r.ctx, r.db, policies.Model, policies.Policy, nil)
	roomNoError(b, err)
	ts, err := tenancy.NewRegistry(r.db, 0).List(r.ctx)
	roomNoError(b, err)
	ctxOf := map[string]context.Context{}
	for _, x := range ts {
		ctxOf[x.Slug] = tenancy.WithTenant(actor.WithRequestID(context.Background(), "req-bench"), x)
	}
	comune := map[string]string{"valle-trompia": roomComune, "trento": "Trento"}
	writer := func(slug string, i int) benchWriter {
		id := fmt.Sprintf("bench-lw-%s-%d", slug, i)
		roomNoError(b, az.Grant(context.Background(), id, "link_worker", slug, ""))
		can := func(object, action string) bool {
			ok, err := az.Allowed(id, slug, object, action)
			return err == nil && ok
		}
		a := actor.New(id, "Link worker "+id, "", slug, az.Roles(id, slug), nil, can)
		person := roomYoung("Parallelo", fmt.Sprintf("Inventato%d", i), "")
		person.Municipality = comune[slug]
		p, err := r.svc.OpenPathway(ctxOf[slug], a, copeInput(person))
		roomNoError(b, err)
		return benchWriter{ctx: ctxOf[slug], a: a, pathway: p.ID}
	}
	for _, c := range []struct {
		name      string
		districts []string
	}{
		{"one_district", []string{"valle-trompia", "valle-trompia", "valle-trompia", "valle-trompia"}},
		{"two_districts", []string{"valle-trompia", "trento", "valle-trompia", "trento"}},
	} {
		ws := make([]benchWriter, len(c.districts))
		for i, slug := range c.districts {
			ws[i] = writer(slug, i+len(c.name)*10)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			for g, w := range ws {
				n := b.N / len(ws)
				if g < b.N%len(ws) {
					n++
				}
				wg.Add(1)
				go func(w benchWriter, n int) {
					defer wg.Done()
					for i := 0; i < n; i++ {
						if _, err := r.svc.AddMeeting(w.ctx, w.a, w.pathway, pathway.Meeting{HeldOn: roomToday(), Kind: "incontro", Notes: "In parallelo"}); err != nil {
							b.Error(err)
							return
						}
					}
				}(w, n)
			}
			wg.Wait()
		})
	}
}

// Recording a meeting in a district of n pathways, each measured twice (ONS4 baseline and
// follow-up), with the regional facts refreshed in the same transaction, as every pathway write
// does: the refresh counts the pathways and referrals by programme and year and decrypts every
// measured pathway's ONS4 items for the mean change, so its cost grows with the district.
func BenchmarkAddMeetingWithFacts(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprintf("pathways=%d", n), func(b *testing.B) {
			r, ps := benchCaseload(b, n)
			for i, p := range ps {
				for _, occ := range []string{"baseline", "follow_up"} {
					v := 3 + i%5
					_, err := r.svc.AddONS4(r.ctx, r.lw1, p.ID, pathway.ONS4{Occasion: occ, MeasuredOn: roomToday(),
						LifeSatisfaction: &v, Worthwhile: &v, Happiness: &v, Anxiety: &v})
					roomNoError(b, err)
				}
			}
			r.svc.WithFacts(facts.NewStore(r.db, pathway.FactsSection(r.keys)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := r.svc.AddMeeting(r.ctx, r.lw1, ps[0].ID, pathway.Meeting{HeldOn: roomToday(), Kind: "incontro",
					Notes: "Colloquio di follow-up"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
