package audit

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// verifyBatch is how many rows Verify holds at a time: the trail of a district grows without
// bound, its check must not.
const verifyBatch = 1000

// BreakKind says how the chain is broken.
type BreakKind string

// The ways a chain breaks.
const (
	Missing   BreakKind = "missing"   // a row's seq is absent: it was deleted
	Altered   BreakKind = "altered"   // a row's content or links do not hash to what is stored
	Truncated BreakKind = "truncated" // the head names rows after the last one: the end was cut
)

// Break is the first place the chain does not hold.
type Break struct {
	Kind BreakKind
	Seq  int64 // the first seq affected
}

// Report is the outcome of Verify for one district.
type Report struct {
	District string
	Rows     int64  // rows checked, in seq order
	Head     int64  // the seq audit_head names
	HeadHash []byte // the hash audit_head names: worth keeping outside the database
	Break    *Break // nil when the chain holds
}

// String is the report's line, Italian then English, for the operator and their logs.
func (r Report) String() string {
	if r.Break == nil {
		return fmt.Sprintf("ok %s %d righe / rows, testa / head %x", r.District, r.Rows, short(r.HeadHash))
	}
	b := r.Break
	switch b.Kind {
	case Missing:
		return fmt.Sprintf("ROTTO / BROKEN %s seq %d: riga mancante (cancellata) / row missing (deleted)", r.District, b.Seq)
	case Altered:
		return fmt.Sprintf("ROTTO / BROKEN %s seq %d: riga alterata (hash diverso) / row altered (hash mismatch)", r.District, b.Seq)
	default:
		return fmt.Sprintf("ROTTO / BROKEN %s seq %d: mancano le ultime righe fino a seq %d (la testa è più avanti) / last rows missing up to seq %d (head ahead of the last row)", r.District, b.Seq, r.Head, r.Head)
	}
}

func short(h []byte) []byte {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

// Verify walks district t's trail in seq order, recomputing every hash, and compares its end
// with audit_head. It reports the first break; the error is for a failure to read. The head is
// read first: rows written meanwhile lie after it and wait for the next run.
func Verify(ctx context.Context, s *tenancy.Scope, t tenancy.Tenant, a actor.Actor) (Report, error) {
	r := Report{District: t.Slug}
	err := s.TxFor(ctx, t, a, func(tx *tenancy.Tx) error {
		var h head
		if err := tx.Take(&h, "id = 1").Error; err != nil {
			return fmt.Errorf("audit: read the chain head of %s: %w", t.Slug, err)
		}
		r.Head, r.HeadHash = h.Seq, h.Hash
		prev, last := genesis, int64(0)
		for {
			var rows []Entry
			if err := tx.Where("seq > ? AND seq <= ?", last, h.Seq).Order("seq").Limit(verifyBatch).Find(&rows).Error; err != nil {
				return fmt.Errorf("audit: read the trail of %s after seq %d: %w", t.Slug, last, err)
			}
			for _, e := range rows {
				if e.Seq != last+1 {
					r.Break = &Break{Kind: Missing, Seq: last + 1}
					return nil
				}
				if !bytes.Equal(e.PrevHash, prev) || !bytes.Equal(chainHash(prev, e), e.Hash) {
					r.Break = &Break{Kind: Altered, Seq: e.Seq}
					return nil
				}
				prev, last = e.Hash, e.Seq
				r.Rows++
			}
			if len(rows) < verifyBatch {
				break
			}
		}
		switch {
		case last < h.Seq:
			r.Break = &Break{Kind: Truncated, Seq: last + 1}
		case !bytes.Equal(prev, h.Hash):
			r.Break = &Break{Kind: Altered, Seq: last} // the head itself was rewritten
		}
		return nil
	})
	return r, err
}
