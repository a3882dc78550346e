package tenancy

import (
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// Tx is one transaction inside one district, on behalf of one actor. Store functions take a
// *Tx rather than a *gorm.DB, so they cannot run outside Scope.Tx: without the district's
// schema, without knowing who acts, or (as personal data arrives) without the audit row and
// the field encryption that hang here, in the same transaction.
type Tx struct {
	*gorm.DB              // the transaction, its search_path on District's schema only
	District  Tenant      // where it runs
	Actor     actor.Actor // who it runs for
	RequestID string      // the request it serves ("" for a job), for the audit trail
	accesses  []Access    // personal data touched, written to the audit trail before commit
}

// errNoActor is a programming error: a district transaction was asked for nobody.
var errNoActor = apperr.New(apperr.Internal, "nessun utente per la transazione del distretto", "no actor for the district transaction")
