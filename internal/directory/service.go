package directory

import (
	"context"
	"sync"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The permissions the directory asks the actor for (policies/policy.csv, object "directory").
const (
	object     = "directory"
	actRead    = "read"       // search and read published entries (and a partner's own)
	actReadAll = "read_all"   // read unpublished entries too
	actManage  = "manage"     // create, edit, publish and delete anything: the Ufficio di Piano
	actOwn     = "update_own" // confirm and propose changes to one's own organisation's services
	actReview  = "review"     // approve or reject proposed changes
)

// Service runs the directory's use cases, each in one transaction of the context's district.
type Service struct {
	scope    *tenancy.Scope
	taxonomy Taxonomy

	mu     sync.Mutex
	synced map[string]bool // districts whose taxonomy_terms match taxonomy.json in this process
}

// NewService returns the service; it fails if the embedded catalogue of needs does not parse.
func NewService(scope *tenancy.Scope) (*Service, error) {
	t, err := loadTaxonomy()
	if err != nil {
		return nil, err
	}
	return &Service{scope: scope, taxonomy: t, synced: map[string]bool{}}, nil
}

// Taxonomy returns the catalogue of needs (the file every district's terms are copied from).
func (s *Service) Taxonomy() Taxonomy { return s.taxonomy }

// tx runs fn in one transaction of the context's district, on behalf of a. The district's
// taxonomy_terms are brought in line with taxonomy.json first, once per district and process,
// in a transaction of their own so that a failing use case does not undo them.
func (s *Service) tx(ctx context.Context, a actor.Actor, fn func(tx *tenancy.Tx) error) error {
	if err := s.syncTaxonomy(ctx, a); err != nil {
		return err
	}
	return s.scope.Tx(ctx, a, fn)
}

func (s *Service) syncTaxonomy(ctx context.Context, a actor.Actor) error {
	t, ok := tenancy.FromContext(ctx)
	if !ok || a.Anonymous() {
		return nil // Scope.Tx refuses it with the proper error
	}
	s.mu.Lock()
	done := s.synced[t.Slug]
	s.mu.Unlock()
	if done {
		return nil
	}
	err := s.scope.Tx(ctx, a, func(tx *tenancy.Tx) error {
		for _, term := range s.taxonomy.Terms {
			err := tx.Exec(`INSERT INTO taxonomy_terms (id, code, name, description, parent_id, taxonomy, language, taxonomy_id, term_uri)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, description = excluded.description,
					parent_id = excluded.parent_id, taxonomy = excluded.taxonomy, language = excluded.language,
					taxonomy_id = excluded.taxonomy_id, term_uri = excluded.term_uri`,
				term.ID, term.Code, term.Name, term.Description, term.ParentID, term.Taxonomy, term.Language, term.TaxonomyID, term.TermURI).Error
			if err != nil {
				return storeError(err, "catalogo dei bisogni")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.synced[t.Slug] = true
	s.mu.Unlock()
	return nil
}

// seesAll reports whether the actor reads unpublished entries of every organisation.
func seesAll(a actor.Actor) bool { return a.Can(object, actManage) || a.Can(object, actReadAll) }

// visibleServices selects (as "s") the services the transaction's actor may read: all for the
// Ufficio di Piano and health staff; published ones and its own organisation's for a partner;
// published ones for anyone else (link workers, the public pages' system actor).
func visibleServices(tx *tenancy.Tx) *gorm.DB {
	q := tx.Table("services s")
	switch {
	case seesAll(tx.Actor):
		return q
	case tx.Actor.Organisation != "" && tx.Actor.Can(object, actOwn):
		return q.Where("s.published OR s.organization_id IN (SELECT id FROM organizations WHERE partner_code = ?)", tx.Actor.Organisation)
	}
	return q.Where("s.published")
}

// editableServices selects the services the actor may change: every one with manage, its own
// organisation's with update_own, none otherwise. Another organisation's service is not found.
func editableServices(tx *tenancy.Tx) *gorm.DB {
	q := tx.Table("services s")
	switch {
	case tx.Actor.Can(object, actManage):
		return q
	case tx.Actor.Organisation != "" && tx.Actor.Can(object, actOwn):
		return q.Where("s.organization_id IN (SELECT id FROM organizations WHERE partner_code = ?)", tx.Actor.Organisation)
	}
	return q.Where("false")
}
