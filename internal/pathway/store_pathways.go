package pathway

import (
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// pathwayRow is a row of pathways.
type pathwayRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	PersonID      string     `gorm:"column:person_id"`
	Programme     string     `gorm:"column:programme"`
	Stage         string     `gorm:"column:stage"`
	Source        string     `gorm:"column:source"`
	EngagedOn     time.Time  `gorm:"column:engaged_on"`
	AssignedTo    string     `gorm:"column:assigned_to"`
	AssignedName  string     `gorm:"column:assigned_name"`
	NEETStart     string     `gorm:"column:neet_start"`
	NEETClose     string     `gorm:"column:neet_close"`
	NextFollowUp  *time.Time `gorm:"column:next_follow_up"`
	ClosedOn      *time.Time `gorm:"column:closed_on"`
	ClosureReason string     `gorm:"column:closure_reason"`
	Version       int        `gorm:"column:version"`
}

func (pathwayRow) TableName() string { return "pathways" }

func (r pathwayRow) pathway() Pathway {
	return Pathway{ID: r.ID, PersonID: r.PersonID, Programme: r.Programme, Stage: r.Stage, Source: r.Source,
		EngagedOn: r.EngagedOn.Format(time.DateOnly), AssignedTo: r.AssignedTo, AssignedName: r.AssignedName,
		NEETStart: r.NEETStart, NEETClose: r.NEETClose, NextFollowUp: dateOf(r.NextFollowUp),
		ClosedOn: dateOf(r.ClosedOn), ClosureReason: r.ClosureReason, Version: r.Version}
}

// pathwaysOf are the person's pathways the actor sees.
func (s *session) pathwaysOf(personID string) ([]Pathway, error) {
	cond, args := s.visible()
	var rows []pathwayRow
	err := s.Where("person_id = ? AND anonymised_at IS NULL", personID).Where(cond, args...).Order("engaged_on, id").Find(&rows).Error
	out := make([]Pathway, len(rows))
	for i, r := range rows {
		out[i] = r.pathway()
	}
	return out, err
}

// loadPathway reads a pathway the actor sees, and its reach; anything else is errNotFound.
func (s *session) loadPathway(id string) (Pathway, reach, error) {
	if !validID(id) {
		return Pathway{}, reachNone, errNotFound
	}
	cond, args := s.visible()
	var rows []pathwayRow
	if err := s.Where("id = ? AND anonymised_at IS NULL", id).Where(cond, args...).Limit(1).Find(&rows).Error; err != nil {
		return Pathway{}, reachNone, err
	}
	if len(rows) == 0 {
		return Pathway{}, reachNone, errNotFound
	}
	p := rows[0].pathway()
	r := s.reachOf(p)
	if r == reachNone {
		return Pathway{}, reachNone, errNotFound
	}
	s.Audit(tenancy.Access{Subject: p.PersonID, What: "percorso", Action: "read", Detail: p.ID})
	return p, r, nil
}

// loadForWork reads a pathway the actor works on: full reach, and the actor may write.
// Health staff who see it only in the health view may not move or close it.
func (s *session) loadForWork(id string) (Pathway, error) {
	if err := need(s.Actor, actWrite); err != nil {
		return Pathway{}, err
	}
	p, r, err := s.loadPathway(id)
	if err != nil {
		return Pathway{}, err
	}
	if r != reachFull {
		return Pathway{}, apperr.New(apperr.Forbidden, "il percorso si può solo consultare nella vista sanitaria",
			"the pathway can only be read in the health view")
	}
	return p, nil
}

// errVersion answers a change made on a pathway someone else changed meanwhile.
var errVersion = apperr.New(apperr.Conflict,
	"il percorso è stato modificato da qualcun altro nel frattempo: ricaricare la pagina e riprovare",
	"the pathway was changed by someone else meanwhile: reload and try again").WithField("version")

// update changes the pathway's columns if its version is still version, and bumps it.
func (s *session) update(p Pathway, version int, cols map[string]any) (Pathway, error) {
	if version != p.Version {
		return Pathway{}, errVersion
	}
	cols["version"] = p.Version + 1
	cols["updated_at"] = s.svc.now()
	res := s.Model(&pathwayRow{}).Where("id = ? AND version = ?", p.ID, version).Updates(cols)
	if res.Error != nil {
		return Pathway{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Pathway{}, errVersion
	}
	s.Audit(tenancy.Access{Subject: p.PersonID, What: "percorso", Action: "update", Detail: p.ID})
	var row pathwayRow
	if err := s.Where("id = ?", p.ID).Take(&row).Error; err != nil {
		return Pathway{}, err
	}
	return row.pathway(), nil
}

// eventRow is a row of pathway_events.
type eventRow struct {
	ID        int64     `gorm:"column:id;->"`
	PathwayID string    `gorm:"column:pathway_id"`
	At        time.Time `gorm:"column:at;->"`
	ActorID   string    `gorm:"column:actor_id"`
	ActorName string    `gorm:"column:actor_name"`
	Kind      string    `gorm:"column:kind"`
	FromStage string    `gorm:"column:from_stage"`
	ToStage   string    `gorm:"column:to_stage"`
	Detail    string    `gorm:"column:detail"`
}

func (eventRow) TableName() string { return "pathway_events" }

// event writes a line of the pathway's history: detail holds codes and ids only.
func (s *session) event(p Pathway, kind, from, to, detail string) error {
	s.wrote = true
	return s.Create(&eventRow{PathwayID: p.ID, ActorID: s.Actor.ID, ActorName: s.Actor.Name, Kind: kind,
		FromStage: from, ToStage: to, Detail: detail}).Error
}

// history is the pathway's events, oldest first.
func (s *session) history(pathwayID string) ([]Event, error) {
	var rows []eventRow
	if err := s.Where("pathway_id = ?", pathwayID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = Event{ID: r.ID, At: r.At, ActorID: r.ActorID, ActorName: r.ActorName, Kind: r.Kind,
			FromStage: r.FromStage, ToStage: r.ToStage, Detail: r.Detail}
	}
	return out, nil
}
