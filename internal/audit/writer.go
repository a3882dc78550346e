package audit

import (
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Writer appends a transaction's accesses to the district's trail. It implements
// tenancy.AuditWriter; build services holding personal data on scope.Audited(audit.Writer{}).
type Writer struct{}

type head struct {
	ID   int16
	Seq  int64
	Hash []byte
}

func (head) TableName() string { return "audit_head" }

// WriteAudit locks the chain's head (one writer at a time per district, held only from here to
// commit, as Scope calls it last), chains each access to the previous row and moves the head.
func (Writer) WriteAudit(tx *tenancy.Tx, accesses []tenancy.Access) error {
	var h head
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&h, "id = 1").Error; err != nil {
		return fmt.Errorf("audit: lock the chain head: %w", err)
	}
	at := time.Now().UTC().Truncate(time.Microsecond) // what PostgreSQL keeps, so the hash re-computes
	rows := make([]Entry, 0, len(accesses))
	prev := h.Hash
	for i, a := range accesses {
		e := Entry{
			Seq: h.Seq + int64(i) + 1, At: at,
			ActorID: tx.Actor.ID, ActorName: tx.Actor.Name, Roles: rolesOf(tx.Actor.Roles),
			Subject: a.Subject, What: a.What, Action: a.Action, Detail: a.Detail, RequestID: tx.RequestID,
			PrevHash: prev,
		}
		e.Hash = chainHash(prev, e)
		prev = e.Hash
		rows = append(rows, e)
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("audit: write %d rows: %w", len(rows), err)
	}
	last := rows[len(rows)-1]
	if err := tx.Model(&head{}).Where("id = 1").Updates(map[string]any{"seq": last.Seq, "hash": last.Hash}).Error; err != nil {
		return fmt.Errorf("audit: move the chain head: %w", err)
	}
	return nil
}
