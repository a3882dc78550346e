package directory

import (
	"context"
	"strings"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// PublishedQuery filters the published services as HSDS's API does (GET /services): full
// text (search), a need (taxonomy_term_id, the term's id or code), an organisation.
type PublishedQuery struct {
	Search         string
	TaxonomyTermID string
	OrganizationID string
	Page
}

// FindPublished lists the published services matching q, complete, by name, whoever asks:
// what the HSDS API serves. Unlike Search it keeps every status (HSDS publishes inactive
// services too, marked so).
func (s *Service) FindPublished(ctx context.Context, a actor.Actor, q PublishedQuery) ([]ServiceRecord, int64, error) {
	term, err := s.taxonomy.termID("taxonomy_term_id", q.TaxonomyTermID, "taxonomy term")
	if err != nil {
		return nil, 0, err
	}
	if q.OrganizationID != "" && !validID(q.OrganizationID) {
		return nil, 0, apperr.Invalidf("organization_id", "identificativo non valido: serve un UUID", "invalid id: a UUID is needed")
	}
	var out []ServiceRecord
	var total int64
	err = s.tx(ctx, a, func(tx *tenancy.Tx) error {
		sel := published.of(tx)
		if text := strings.TrimSpace(q.Search); text != "" {
			sel = sel.Where("s.search @@ websearch_to_tsquery('italian', directory_fold(?))", text)
		}
		if term != "" {
			sel = sel.Where("EXISTS (SELECT 1 FROM attributes at WHERE at.link_entity = 'service' AND at.link_id = s.id AND at.taxonomy_term_id = ?)", term)
		}
		if q.OrganizationID != "" {
			sel = sel.Where("s.organization_id = ?", q.OrganizationID)
		}
		if err := sel.Count(&total).Error; err != nil {
			return storeError(err, "servizi")
		}
		var ids []string
		if err := sel.Order("s.name, s.id").Limit(q.limit()).Offset(q.Offset).Pluck("s.id", &ids).Error; err != nil {
			return storeError(err, "servizi")
		}
		var err error
		out, err = loadServices(tx, ids)
		return err
	})
	return out, total, err
}

// withPublishedService selects the organisations that run at least one published service:
// the only ones the public sees.
const withPublishedService = "EXISTS (SELECT 1 FROM services s WHERE s.organization_id = organizations.id AND s.published)"

// PublishedOrganizations lists, by name, the organisations with a published service, whoever
// asks.
func (s *Service) PublishedOrganizations(ctx context.Context, a actor.Actor, p Page) ([]Organization, int64, error) {
	var out []Organization
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		q := tx.Model(&Organization{}).Where(withPublishedService)
		if err := q.Count(&total).Error; err != nil {
			return storeError(err, "organizzazioni")
		}
		return storeError(q.Order("name, id").Limit(p.limit()).Offset(p.Offset).Find(&out).Error, "organizzazioni")
	})
	return out, total, err
}

// PublishedOrganization returns an organisation with a published service; NotFound otherwise.
func (s *Service) PublishedOrganization(ctx context.Context, a actor.Actor, id string) (Organization, error) {
	if !validID(id) {
		return Organization{}, errOrganizationNotFound
	}
	var os []Organization
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		return storeError(tx.Where("id = ?", id).Where(withPublishedService).Limit(1).Find(&os).Error, "organizzazione")
	})
	if err != nil {
		return Organization{}, err
	}
	if len(os) == 0 {
		return Organization{}, errOrganizationNotFound
	}
	return os[0], nil
}
