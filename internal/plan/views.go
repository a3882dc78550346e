package plan

import "context"

// The pages' read models: each page's data in one round trip, composed of the reads of
// reads_*.go, so that no read is written twice and none is sent twice.

// Waiting is what waits for the Assemblea's decision: proposed plans, and proposed amendments
// of approved plans with their changes.
type Waiting struct {
	Plans      []Plan
	Amendments []PlanAmendment
}

func queueWaiting(r *reads, w *Waiting) {
	var total int64
	queuePlans(r, PlanFilter{Status: Proposed, Page: Page{Limit: 100}}, &w.Plans, &total)
	queuePlanAmendments(r, AmendmentProposed, false, true, &w.Amendments)
}

// Waiting returns what waits for the Assemblea, in one round trip.
func (s *Service) Waiting(ctx context.Context, actor Actor) (Waiting, error) {
	var w Waiting
	err := s.read(ctx, actor, func(r *reads) { queueWaiting(r, &w) })
	return w, err
}

// Home is the plan's part of the district home.
type Home struct {
	Plans    []Plan   // the newest 50
	Current  *Dossier // the plan in force, else the newest; nil without plans
	Waiting  Waiting
	Reopened []PlanAmendment // open amendments the Assemblea sent back with a note (with reopened)
	// Version is the district's data version it was read at (queueDataVersion): the same
	// version, the same Home, so what is derived from it may be kept under it too.
	Version string
}

// homeKey names a kept Home: the district's, with or without the reopened amendments.
type homeKey struct {
	slug     string
	reopened bool
}

// homesKept bounds the Homes kept, each a plan's whole dossier (tens to hundreds of KB): the
// districts whose people are at work at once, within a few MB.
const homesKept = 32

// Home reads the district home's plans: the list, the current plan in full, what waits for the
// Assemblea and (reopened) the amendments it sent back. Every logged-in click on the home
// reads it, and it is the same for everyone who may read the plan: it is kept per district and
// read again only when the district's data version has moved, which costs one small round
// trip instead of the dossier's. The Home returned is shared: callers must not change it.
func (s *Service) Home(ctx context.Context, actor Actor, reopened bool) (Home, error) {
	info := districtInfo(ctx)
	key := homeKey{slug: info.Slug, reopened: reopened}
	if kept, version, ok := s.homes.get(key); ok {
		now, err := s.dataVersion(ctx, actor, planWithPathways)
		if err != nil {
			return Home{}, err
		}
		if now == version {
			return kept.in(info), nil
		}
	}
	h, err := s.readHome(ctx, actor, reopened)
	if err != nil {
		return h, err
	}
	s.homes.put(key, h.Version, h)
	return h, nil
}

// readHome reads the Home in one round trip.
func (s *Service) readHome(ctx context.Context, actor Actor, reopened bool) (Home, error) {
	var h Home
	err := s.read(ctx, actor, func(r *reads) { queueHome(r, districtInfo(ctx), reopened, &h) })
	return h, err
}

// queueHome queues the Home's reads, its version first.
func queueHome(r *reads, info DistrictInfo, reopened bool, h *Home) {
	var total int64
	var found bool
	cur := &Dossier{District: info}
	queueDataVersion(r, planWithPathways, &h.Version)
	queuePlans(r, PlanFilter{Page: Page{Limit: 50}}, &h.Plans, &total)
	queueDossier(r, planRef(0), cur, &found)
	queueWaiting(r, &h.Waiting)
	if reopened {
		queuePlanAmendments(r, AmendmentOpen, true, false, &h.Reopened)
	}
	r.then(func() error {
		if found {
			h.Current = cur
		}
		return nil
	})
}

// in is a kept Home named for the district as the registry has it now (a rename moves no data
// version).
func (h Home) in(info DistrictInfo) Home {
	if h.Current != nil && h.Current.District != info {
		cur := *h.Current
		cur.District = info
		h.Current = &cur
	}
	return h
}

// ObjectiveSheet is an objective with what its page shows around it.
type ObjectiveSheet struct {
	Detail  ObjectiveDetail
	Plan    Plan
	Open    *Amendment // the plan's amendment in progress (aperta or proposta), if any
	Sources []FundingSource
}

// ObjectiveSheet reads an objective in full with its plan, the plan's amendment in progress
// and the funding catalogue, in one round trip. Errors: NotFound.
func (s *Service) ObjectiveSheet(ctx context.Context, actor Actor, id int64) (ObjectiveSheet, error) {
	var sh ObjectiveSheet
	var ds []ObjectiveDetail
	var open []Amendment
	var found bool
	const planOf = `(SELECT plan_id FROM objectives WHERE id = $1::bigint)`
	err := s.read(ctx, actor, func(r *reads) {
		queueDetails(r, oneObjective(id), &ds)
		queuePlanWhere(r, `p.id = `+planOf, id, &sh.Plan, &found)
		r.queue(`SELECT `+amendmentColumns+` FROM amendments a WHERE a.plan_id = `+planOf+` AND a.status <> 'approvata'
			ORDER BY a.opened_at, a.id`, id).Query(collect(&open, scanAmendment))
		queueFundingSources(r, &sh.Sources)
	})
	switch {
	case err != nil:
		return sh, err
	case len(ds) == 0 || !found:
		return sh, errObjectiveNotFound
	}
	sh.Detail = ds[0]
	if len(open) > 0 {
		sh.Open = &open[len(open)-1]
	}
	return sh, nil
}

// PlanPage reads a whole plan and its history in one round trip. Errors: NotFound.
func (s *Service) PlanPage(ctx context.Context, actor Actor, id int64) (Dossier, History, error) {
	d := Dossier{District: districtInfo(ctx)}
	var h History
	var found bool
	if id <= 0 {
		return d, h, errPlanNotFound
	}
	err := s.read(ctx, actor, func(r *reads) {
		queueDossier(r, planRef(id), &d, &found)
		queueHistory(r, planRef(id), &h)
	})
	if err == nil && !found {
		err = errPlanNotFound
	}
	return d, h, err
}
