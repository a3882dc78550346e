package plan

import (
	"context"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Folder is a parent's attachments as a page shows them: what the parent is, its files, and
// whether the actor may add or remove them.
type Folder struct {
	Parent       Parent
	Title        string // the plan's or objective's title, the assignment's activity, the report's period
	PlanID       int64
	AssignmentID int64 // for an assignment or a report: the assignment whose page it belongs to
	Items        []Attachment
	CanWrite     bool
}

// AttachmentFolder reads a parent the actor may read with its attachments, newest first.
// NotFound for a parent the actor cannot see.
func (s *Service) AttachmentFolder(ctx context.Context, actor Actor, parent Parent) (Folder, error) {
	if err := checkParentKind(parent.Kind); err != nil {
		return Folder{}, err
	}
	f := Folder{Parent: parent}
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		planID, err := parentPlan(tx, parent)
		if err != nil {
			return err
		}
		f.PlanID = planID
		switch parent.Kind {
		case ParentPlan:
			p, err := findPlan(tx, parent.ID, false)
			if err != nil {
				return err
			}
			f.Title = p.Title
		case ParentObjective:
			o, err := findObjective(tx, parent.ID)
			if err != nil {
				return err
			}
			f.Title = o.Title
		case ParentAssignment:
			a, err := findAssignment(tx, parent.ID)
			if err != nil {
				return err
			}
			f.Title, f.AssignmentID = a.Activity, a.ID
		case ParentReport:
			var r Report
			if err := tx.Where("id = ?", parent.ID).Take(&r).Error; err != nil {
				return storeError(err, "rendiconto")
			}
			f.Title, f.AssignmentID = r.Period, r.AssignmentID
		}
		werr := mayWriteParent(tx, parent)
		if werr != nil && apperr.CodeOf(werr) != apperr.Forbidden {
			return werr
		}
		f.CanWrite = werr == nil
		return tx.Where("parent_kind = ? AND parent_id = ?", parent.Kind, parent.ID).Order("created_at DESC, id DESC").Find(&f.Items).Error
	})
	return f, err
}
