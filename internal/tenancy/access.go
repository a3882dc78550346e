package tenancy

import "github.com/ambiti/ambiti/internal/apperr"

// Access is one read or write of a person's data. Feature code records it on the transaction
// that touches the data (Tx.Audit); Scope writes every access into the district's audit trail
// in that same transaction, just before it commits: a rolled-back request leaves no row, and a
// failed audit write fails the request.
type Access struct {
	Subject string // the person's id: pseudonymous, it outlives their erasure
	What    string // what was touched: "persona", "percorso", "valutazione", …
	Action  string // "read", "create", "update", "export", "erase", …
	Detail  string // the record's id or a short qualifier; never personal data
}

// AuditWriter writes a transaction's accesses inside it. The audit package implements it
// (a hash-chained, append-only table in the district's schema).
type AuditWriter interface {
	WriteAudit(tx *Tx, accesses []Access) error
}

// Audit records an access to a person's data, written when the transaction commits.
func (tx *Tx) Audit(a Access) { tx.accesses = append(tx.accesses, a) }

// errNoAuditWriter is a programming error: personal data was touched through a Scope built
// without the audit writer. The transaction fails closed rather than leaving no trace.
var errNoAuditWriter = apperr.New(apperr.Internal, "registro degli accessi non configurato", "no audit writer for an access to personal data")
