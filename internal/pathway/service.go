package pathway

import (
	"context"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Service runs the room's use cases, each in one transaction of the context's district that
// also writes the audit rows of the personal data it touched.
type Service struct {
	scope      *tenancy.Scope // built Audited: an access without the audit writer fails
	keys       *keyring.Keyring
	programmes Programmes
	now        func() time.Time
	staff      StaffDirectory // the district's link workers (WithStaff); nil: the known assignees
	facts      *facts.Store   // keeps the facts' pathways section (WithFacts); nil: not kept
}

// NewService returns the service over an audited scope and the keyring; now is the clock
// (time.Now, unless a test moves it).
func NewService(scope *tenancy.Scope, keys *keyring.Keyring, now func() time.Time) (*Service, error) {
	ps, err := LoadProgrammes()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Service{scope: scope, keys: keys, programmes: ps, now: now}, nil
}

// Programmes are the shipped programmes.
func (s *Service) Programmes() Programmes { return s.programmes }

// WithFacts keeps the pathways' section of the district facts up to date with f.
func (s *Service) WithFacts(f *facts.Store) *Service {
	s.facts = f
	return s
}

// session is one use case's transaction: the district transaction (actor, audit) and the
// keyring opened on it.
type session struct {
	*tenancy.Tx
	keys  *keyring.Session
	svc   *Service
	wrote bool // a pathway event was recorded: the facts are refreshed before commit
}

// work runs fn in one district transaction with the keyring open.
func (s *Service) work(ctx context.Context, a actor.Actor, fn func(*session) error) error {
	return s.scope.Tx(ctx, a, s.inSession(ctx, fn))
}

// inSession adapts fn to a district transaction: it opens the keyring on it and, when fn
// recorded a pathway event, refreshes the facts' pathways section before the commit.
func (s *Service) inSession(ctx context.Context, fn func(*session) error) func(*tenancy.Tx) error {
	return func(tx *tenancy.Tx) error {
		k, err := s.keys.Session(tx)
		if err != nil {
			return err
		}
		ses := &session{Tx: tx, keys: k, svc: s}
		if err := fn(ses); err != nil {
			return err
		}
		if ses.wrote && s.facts != nil {
			return s.facts.Refresh(ctx, tx, facts.PathwaysSection)
		}
		return nil
	}
}

// today is the district's calendar day (Europe/Rome), at midnight there.
// Today is the district's date (Europe/Rome) by the service's clock, at midnight there: what
// "today" means to every date check of the room (the demo dates its records from it).
func (s *Service) Today() time.Time { return s.today() }

func (s *Service) today() time.Time {
	y, m, d := s.now().In(rome).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, rome)
}

var rome = func() *time.Location {
	l, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
