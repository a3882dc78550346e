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
}

// Spec is what to make in one district.
type Spec struct {
	Programme     string `yaml:"programme"`      // cope | vmd
	People        int    `yaml:"people"`         // how many pathways
	NoticeVersion string `yaml:"notice_version"` // the information notice people signed
	Municipality  string `yaml:"municipality"`   // of residence
	Seed          uint64 `yaml:"seed"`
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
	return Report{Pathways: spec.People}, nil
}
