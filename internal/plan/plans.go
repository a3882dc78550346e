package plan

import (
	"context"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// PlanInput is what a plan is created or updated with.
type PlanInput struct {
	Title     string `json:"title"`
	StartYear int    `json:"start_year"`
	EndYear   int    `json:"end_year"`
}

// planFields are the new-plan form's fields, in its order.
var planFields = []string{"title", "start_year", "end_year"}

// validate checks a plan's title and years, every field at once.
func (in PlanInput) validate() error {
	var ps problems
	switch {
	case strings.TrimSpace(in.Title) == "":
		ps.add(apperr.Invalidf("title", "Indicare il titolo del piano (es. Piano di Zona 2024-2026)", "Enter the plan's title (e.g. Piano di Zona 2024-2026)"))
	case len(in.Title) > 200:
		ps.add(apperr.Invalidf("title", "Il titolo è troppo lungo: al massimo 200 caratteri", "The title is too long: at most 200 characters"))
	}
	switch {
	case in.StartYear < minYear || in.StartYear > maxYear:
		ps.add(apperr.Invalidf("start_year", "L'anno di inizio va dal %d al %d", "The start year goes from %d to %d", minYear, maxYear))
	case in.EndYear < in.StartYear || in.EndYear > in.StartYear+5:
		ps.add(apperr.Invalidf("end_year", "L'anno di fine va dal %d al %d (un piano dura al massimo sei anni)", "The end year goes from %d to %d (a plan lasts six years at most)", in.StartYear, in.StartYear+5))
	}
	return ps.err()
}

// planYears reads the years of a plan form; the error lists those it could not read.
func planYears(startYear, endYear func() (int, error)) (start, end int, err error) {
	var ps problems
	start, err = startYear()
	ps.add(err)
	end, err = endYear()
	ps.add(err)
	return start, end, ps.err()
}

// PlanFilter narrows a list of plans.
type PlanFilter struct {
	Status Status
	Page
}

// Page is a window on a list.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Plans lists the district's plans, newest first, with the total count (one round trip).
func (s *Service) Plans(ctx context.Context, actor Actor, f PlanFilter) ([]Plan, int64, error) {
	var out []Plan
	var total int64
	err := s.read(ctx, actor, func(r *reads) { queuePlans(r, f, &out, &total) })
	return out, total, err
}

// Plan returns one plan (one round trip). Errors: NotFound.
func (s *Service) Plan(ctx context.Context, actor Actor, id int64) (Plan, error) {
	var p Plan
	var found bool
	if id <= 0 {
		return p, errPlanNotFound // 0 would name the current plan
	}
	err := s.read(ctx, actor, func(r *reads) { queuePlan(r, planRef(id), &p, &found) })
	if err == nil && !found {
		err = errPlanNotFound
	}
	return p, err
}

// CreatePlan starts a plan as a draft.
func (s *Service) CreatePlan(ctx context.Context, actor Actor, in PlanInput) (Plan, error) {
	if err := in.validate(); err != nil {
		return Plan{}, err
	}
	p := Plan{Title: strings.TrimSpace(in.Title), StartYear: in.StartYear, EndYear: in.EndYear, Status: Draft, Version: 1}
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		if err := tx.Create(&p).Error; err != nil {
			return storeError(err, "piano")
		}
		return tx.Create(&Transition{PlanID: p.ID, FromStatus: "", ToStatus: string(Draft), ActorID: actor.ID, ActorName: actor.Name, Note: "creazione"}).Error
	})
	return p, err
}

// UpdatePlan changes a draft's title or years.
func (s *Service) UpdatePlan(ctx context.Context, actor Actor, id int64, in PlanInput) (Plan, error) {
	if err := in.validate(); err != nil {
		return Plan{}, err
	}
	var p Plan
	err := s.write(ctx, actor, func(tx *tenancy.Tx) (err error) {
		if p, err = findPlan(tx, id, true); err != nil {
			return err
		}
		if p.Status != Draft {
			return apperr.New(apperr.Conflict, "titolo e anni si modificano solo in bozza", "title and years change only in draft")
		}
		p.Title, p.StartYear, p.EndYear, p.UpdatedAt = strings.TrimSpace(in.Title), in.StartYear, in.EndYear, time.Now()
		return storeError(tx.Model(&p).Where("id = ?", id).Select("title", "start_year", "end_year", "updated_at").Updates(&p).Error, "piano")
	})
	return p, err
}

// The workflow. Each transition names the statuses it starts from.
type transition struct {
	from     []Status
	to       Status
	noteNeed bool // the Assemblea must say why it sends a plan back
}

var (
	propose  = transition{from: []Status{Draft}, to: Proposed}
	approve  = transition{from: []Status{Proposed}, to: Approved}
	sendBack = transition{from: []Status{Proposed}, to: Draft, noteNeed: true}
	closing  = transition{from: []Status{Approved}, to: Closed}
)

// Propose sends a draft to the Assemblea dei Sindaci.
func (s *Service) Propose(ctx context.Context, actor Actor, id int64, note string) (Plan, error) {
	return s.move(ctx, actor, id, propose, note, nil)
}

// Approve approves a proposed plan (Assemblea dei Sindaci).
func (s *Service) Approve(ctx context.Context, actor Actor, id int64, note string) (Plan, error) {
	return s.move(ctx, actor, id, approve, note, nil)
}

// SendBack returns a proposed plan to draft with the Assemblea's note (required).
func (s *Service) SendBack(ctx context.Context, actor Actor, id int64, note string) (Plan, error) {
	return s.move(ctx, actor, id, sendBack, note, nil)
}

// Close ends an approved plan at the end of its triennium.
func (s *Service) Close(ctx context.Context, actor Actor, id int64, note string) (Plan, error) {
	return s.move(ctx, actor, id, closing, note, nil)
}

func (s *Service) move(ctx context.Context, actor Actor, id int64, t transition, note string, del *Delibera) (Plan, error) {
	note = strings.TrimSpace(note)
	if t.noteNeed && note == "" {
		return Plan{}, apperr.Invalidf("note", "Indicare il motivo della restituzione", "Say why the plan is sent back")
	}
	var p Plan
	err := s.write(ctx, actor, func(tx *tenancy.Tx) (err error) {
		if p, err = findPlan(tx, id, true); err != nil {
			return err
		}
		if !contains(t.from, p.Status) {
			return apperr.New(apperr.Conflict,
				"operazione non possibile: il piano è "+string(p.Status),
				"not possible: the plan is "+string(p.Status))
		}
		from := p.Status
		p.Status, p.UpdatedAt = t.to, time.Now()
		cols := []string{"status", "updated_at"}
		switch {
		case t.noteNeed:
			p.ReturnNote = note
			cols = append(cols, "return_note")
		case t.to == Approved:
			now := time.Now()
			p.ApprovedAt, p.ReturnNote = &now, ""
			cols = append(cols, "approved_at", "return_note")
		}
		if err := tx.Model(&p).Where("id = ?", id).Select(cols).Updates(&p).Error; err != nil {
			return err
		}
		if t.to == Approved && del != nil {
			if err := recordDelibera(tx, "plans", id, *del); err != nil {
				return err
			}
			p.DeliberaNumber, p.DeliberaDate = del.Number, del.date()
		}
		return tx.Create(&Transition{PlanID: id, FromStatus: string(from), ToStatus: string(t.to), ActorID: actor.ID, ActorName: actor.Name, Note: note}).Error
	})
	return p, err
}

// joined lists values as a message shows them: "bozza, proposto, approvato, chiuso".
func joined[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// History is a plan's transitions and amendments, oldest first.
type History struct {
	Transitions []Transition `json:"transitions"`
	Amendments  []Amendment  `json:"amendments"`
	Log         []LogEntry   `json:"log"` // every change of content or monitoring (changelog.go)
}
