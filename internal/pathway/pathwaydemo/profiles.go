package pathwaydemo

import (
	"context"

	"github.com/ambiti/ambiti/internal/pathway"
)

// Demo profiles of the link workers, so the matching board has something to weigh: each
// covers the district's main comune or not, a share of the others, a few languages and skills
// of the programme. Written as the coordinator through the service, and only for a link worker
// who has no profile yet, so a profile edited in the demo is kept when the demo loads again.
var (
	demoCapacities = []int{12, 15, 10, 15, 8, 20}
	demoLanguages  = [][]string{{"en"}, {"de", "en"}, {"pt", "es"}, {"en", "fr"}, {"ar", "fr"}, {"ro"}}
)

// profiles gives each of cast's workers without one a profile.
func profiles(ctx context.Context, svc *pathway.Service, cast Cast, spec Spec) error {
	ws, err := svc.LinkWorkers(ctx, cast.Coordinator)
	if err != nil {
		return err
	}
	comuni, err := svc.Municipalities(ctx, cast.Coordinator)
	if err != nil {
		return err
	}
	skills := svc.Programmes()[spec.Programme].Skills
	profiled := map[string]bool{}
	for _, w := range ws {
		profiled[w.ID] = w.Profiled
	}
	for i, a := range cast.Workers {
		if profiled[a.ID] {
			continue
		}
		in := pathway.ProfileInput{Capacity: demoCapacities[i%len(demoCapacities)], Languages: demoLanguages[i%len(demoLanguages)]}
		if i%3 != 2 || len(comuni) == 1 { // two workers in three cover the main comune, all when it is the only one
			in.Municipalities = append(in.Municipalities, spec.Municipality)
		}
		for j, c := range comuni { // and a share of the others, in turn
			if c != spec.Municipality && j%len(cast.Workers) == i {
				in.Municipalities = append(in.Municipalities, c)
			}
		}
		for j := 0; j < 3 && j < len(skills); j++ {
			in.Skills = append(in.Skills, skills[(2*i+j)%len(skills)].Code)
		}
		if _, err := svc.SetProfile(ctx, cast.Coordinator, a.ID, in); err != nil {
			return err
		}
	}
	return nil
}
