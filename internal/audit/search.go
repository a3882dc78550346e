package audit

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// MaxLimit is the largest page Search returns.
const MaxLimit = 200

// defaultLimit is the page size when the filter names none.
const defaultLimit = 50

// Filter is the DPO's question to the trail: every field left empty matches everything.
type Filter struct {
	Subject string    // the person's pseudonymous id
	ActorID string    // who acted
	Action  string    // "read", "update", …
	What    string    // "persona", "percorso", …
	From    time.Time // at or after (zero: since the start)
	To      time.Time // before (zero: until now)
	Limit   int       // 1…MaxLimit; 0 means 50
	Offset  int       // rows skipped, newest first
}

// Page is one page of the trail, newest first, and how many rows match in all.
type Page struct {
	Items []Entry `json:"items"`
	Total int64   `json:"total"`
}

// errMayNotRead is the answer to an actor who may not read the trail (policy: audit, read).
var errMayNotRead = apperr.New(apperr.Forbidden, "non puoi consultare il registro degli accessi", "you may not read the audit trail")

// Search returns the rows of tx's district that match f, newest first, if tx's actor may read
// the trail (audit, read: the DPO), else apperr.Forbidden. A bad filter is apperr.Invalid
// naming the field.
func Search(tx *tenancy.Tx, f Filter) (Page, error) {
	if !tx.Actor.Can("audit", "read") {
		return Page{}, errMayNotRead
	}
	if f.Limit == 0 {
		f.Limit = defaultLimit
	}
	switch {
	case f.Limit < 0 || f.Limit > MaxLimit:
		return Page{}, apperr.Invalidf("limit", "il numero di righe per pagina va da 1 a %d", "the page size must be between 1 and %d", MaxLimit)
	case f.Offset < 0:
		return Page{}, apperr.Invalidf("offset", "lo scostamento non può essere negativo", "the offset cannot be negative")
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return Page{}, apperr.Invalidf("to", "la fine del periodo deve seguire l'inizio", "the end of the period must come after its start")
	}
	// Built twice, for the count and for the page: a gorm query is not reusable after Count.
	matching := func() *gorm.DB {
		q := tx.Model(&Entry{})
		for col, v := range map[string]string{"subject": f.Subject, "actor_id": f.ActorID, "action": f.Action, "what": f.What} {
			if v != "" {
				q = q.Where(col+" = ?", v)
			}
		}
		if !f.From.IsZero() {
			q = q.Where("at >= ?", f.From)
		}
		if !f.To.IsZero() {
			q = q.Where("at < ?", f.To)
		}
		return q
	}
	var p Page
	if err := matching().Count(&p.Total).Error; err != nil {
		return Page{}, fmt.Errorf("audit: count the trail: %w", err)
	}
	p.Items = []Entry{}
	if err := matching().Order("seq DESC").Limit(f.Limit).Offset(f.Offset).Find(&p.Items).Error; err != nil {
		return Page{}, fmt.Errorf("audit: search the trail: %w", err)
	}
	return p, nil
}
