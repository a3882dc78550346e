package plan

import (
	"time"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// LogEntry is one change of a plan's content or monitoring, in the plan's change log: what
// (entity, id and a readable label), how, who and when, with the values before and after. A
// draft's edits, an approved plan's amended content and the corrections of its measurements
// all land here, so the plan's history tells every change, not only the amendments.
type LogEntry struct {
	ID          int64          `json:"id"`
	PlanID      int64          `json:"plan_id"`
	AmendmentID *int64         `json:"amendment_id"`
	Entity      string         `json:"entity"`
	EntityID    int64          `json:"entity_id"`
	Label       string         `json:"label"`
	Operation   string         `json:"operation"` // create, update, delete, copy
	Before      map[string]any `json:"before" gorm:"serializer:json"`
	After       map[string]any `json:"after" gorm:"serializer:json"`
	ActorID     string         `json:"actor_id"`
	ActorName   string         `json:"actor_name"`
	At          time.Time      `json:"at" gorm:"default:now()"`
}

// TableName is the log's table.
func (LogEntry) TableName() string { return "plan_changes" }

// logChange writes one change into the plan's log. The plan is found from the value changed:
// an objective carries it, anything else hangs from an objective (a budget change names the
// objective itself).
func logChange(tx *tenancy.Tx, amendment *int64, actor Actor, entity string, id int64, op string, before, after any) error {
	planID, err := planOfChange(tx, entity, id, before, after)
	if err != nil || planID == 0 {
		return err
	}
	e := LogEntry{PlanID: planID, AmendmentID: amendment, Entity: entity, EntityID: id, Operation: op,
		Before: asMap(before), After: asMap(after), ActorID: actor.ID, ActorName: actor.Name}
	e.Label = changeLabel(e.After)
	if e.Label == "" {
		e.Label = changeLabel(e.Before)
	}
	return tx.Omit("at").Create(&e).Error
}

// planOfChange finds the plan a changed value belongs to.
func planOfChange(tx *tenancy.Tx, entity string, id int64, values ...any) (int64, error) {
	var objectiveID int64
	for _, v := range values {
		switch v := v.(type) {
		case Objective:
			return v.PlanID, nil
		case Indicator:
			objectiveID = v.ObjectiveID
		case Assignment:
			objectiveID = v.ObjectiveID
		case Measurement:
			var ids []int64
			if err := tx.Raw(`SELECT o.plan_id FROM indicators i JOIN objectives o ON o.id = i.objective_id WHERE i.id = ?`, v.IndicatorID).Scan(&ids).Error; err != nil || len(ids) == 0 {
				return 0, err
			}
			return ids[0], nil
		}
	}
	if entity == "budget" {
		objectiveID = id
	}
	if objectiveID == 0 {
		return 0, nil
	}
	var ids []int64
	if err := tx.Raw(`SELECT plan_id FROM objectives WHERE id = ?`, objectiveID).Scan(&ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// changeLabel names the changed thing as a reader knows it: a title, a name, an activity, a
// period.
func changeLabel(m map[string]any) string {
	for _, k := range []string{"title", "name", "activity"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	if p, ok := m["period"].(string); ok && p != "" {
		return p
	}
	return ""
}
