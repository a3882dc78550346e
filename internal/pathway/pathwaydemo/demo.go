// Package pathwaydemo makes the demo districts' pathways: a COPE caseload of fictional young
// people spread across link workers and stages (Trento), and a few Valle Trompia VMD pathways
// with their Progetto Individualizzato. Everything goes through pathway.Service, as the
// coordinator, the link workers and health staff would do it, so the demo obeys every rule
// the product does. Names are visibly fictional: every surname is a word for "example".
package pathwaydemo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/pathway"
)

// Cast are the people the demo acts as in one district.
type Cast struct {
	Coordinator actor.Actor   // opens and assigns pathways
	Workers     []actor.Actor // link workers / case managers, who work them
	Health      actor.Actor   // ASST / APSS staff (VMD assessments and signatures)
	Partners    []actor.Actor // cooperatives' users, who answer the referrals to their organisation
}

// Spec is what to make in one district.
type Spec struct {
	Programme     string `yaml:"programme"`      // cope | vmd
	People        int    `yaml:"people"`         // how many pathways
	NoticeVersion string `yaml:"notice_version"` // the information notice people signed
	Municipality  string `yaml:"municipality"`   // of residence
	Seed          uint64 `yaml:"seed"`
	// Past, if set, adds pathways whose whole story lies in an earlier period (Trento: the
	// C.O.P.E. pilot, January 2022 – June 2024), so the plan's indicators bound to the
	// programme have years to measure.
	Past *Past `yaml:"past"`
}

// Past is a period and how many closed pathways to spread over it.
type Past struct {
	From   string `yaml:"from"` // YYYY-MM-DD
	To     string `yaml:"to"`
	People int    `yaml:"people"`
}

// Report says what was made.
type Report struct{ Pathways int }

// Load makes spec's pathways in the context's district unless it already holds some.
func Load(ctx context.Context, svc *pathway.Service, cast Cast, spec Spec, today time.Time) (Report, error) {
	if len(cast.Workers) == 0 {
		return Report{}, fmt.Errorf("pathwaydemo: no workers")
	}
	if err := profiles(ctx, svc, cast, spec); err != nil {
		return Report{}, fmt.Errorf("pathwaydemo: profiles: %w", err)
	}
	items, _, err := svc.Caseload(ctx, cast.Coordinator, pathway.CaseloadFilter{IncludeClosed: true, Limit: 1})
	if err != nil {
		return Report{}, err
	}
	if len(items) > 0 {
		return Report{}, nil // loaded before
	}
	g := &gen{svc: svc, cast: cast, spec: spec, today: today, r: rand.New(rand.NewPCG(spec.Seed, 7))}
	for i := 0; i < spec.People; i++ {
		if err := g.one(ctx, i); err != nil {
			return Report{Pathways: i}, fmt.Errorf("pathwaydemo: pathway %d: %w", i+1, err)
		}
	}
	made := spec.People
	if spec.Past != nil {
		n, err := g.past(ctx, *spec.Past)
		made += n
		if err != nil {
			return Report{Pathways: made}, err
		}
	}
	return Report{Pathways: made}, nil
}

// past makes p.People COPE pathways engaged evenly across the period and closed within it:
// "today" is the period's end while they are made, so nothing of theirs falls after it.
func (g *gen) past(ctx context.Context, p Past) (int, error) {
	from, err := time.Parse(time.DateOnly, p.From)
	if err != nil {
		return 0, fmt.Errorf("pathwaydemo: past.from: %w", err)
	}
	to, err := time.Parse(time.DateOnly, p.To)
	if err != nil || !to.After(from) {
		return 0, fmt.Errorf("pathwaydemo: past.to must be a date after past.from")
	}
	today := g.today
	defer func() { g.today = today }()
	g.today = to
	span := int(to.Sub(from).Hours()/24) - 90 // the last ones close by the period's end (at caps every date there)
	for i := 0; i < p.People; i++ {
		engaged := from.AddDate(0, 0, i*max(span, 1)/max(p.People, 1))
		if err := g.copeUpTo(ctx, g.spec.People+i, len(copeShare)-1, engaged); err != nil {
			return i, fmt.Errorf("pathwaydemo: past pathway %d: %w", i+1, err)
		}
	}
	return p.People, nil
}
