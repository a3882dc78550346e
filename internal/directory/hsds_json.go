package directory

import (
	"github.com/google/uuid"
)

// PartnerCodeType is the identifier_type of the HSDS organization_identifier that carries
// Ambiti's partner code (the organisation code of the partner's users, see
// Organization.PartnerCode): the one Ambiti-specific fact the HSDS files exchange, so that an
// import links an organisation to its users without Go code knowing any organisation.
const PartnerCodeType = "ambiti-partner-code"

// OrganizationIdentifier is HSDS's third-party identifier of an organisation.
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// HSDSOrganization is an organisation as HSDS publishes it: Ambiti's partner_code travels as
// an organization_identifier of type PartnerCodeType.
type HSDSOrganization struct {
	Organization
	PartnerCode             *string                  `json:"partner_code,omitempty"` // hides Organization's: never emitted, ignored on input
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers"`
}

// HSDSService is a service as HSDS's compiled service.json describes it: the room's
// ServiceRecord without what is Ambiti's own (published, stale) and with the organisation in
// HSDS form.
type HSDSService struct {
	ServiceRecord
	Published    *bool             `json:"published,omitempty"` // hides ServiceRecord's: never emitted
	Stale        *bool             `json:"stale,omitempty"`     // likewise
	Organization *HSDSOrganization `json:"organization,omitempty"`
}

// HSDSPage is a page of a list as HSDS's API answers it (openapi.json, "Page"); page_number
// counts from 1.
type HSDSPage[T any] struct {
	TotalItems int64 `json:"total_items"`
	TotalPages int   `json:"total_pages"`
	PageNumber int   `json:"page_number"`
	Size       int   `json:"size"`
	FirstPage  bool  `json:"first_page"`
	LastPage   bool  `json:"last_page"`
	Empty      bool  `json:"empty"`
	Contents   []T   `json:"contents"`
}

// NewHSDSPage wraps one page of a list of total items, perPage a page.
func NewHSDSPage[T any](items []T, total int64, page, perPage int) HSDSPage[T] {
	if items == nil {
		items = []T{}
	}
	pages := int((total + int64(perPage) - 1) / int64(perPage))
	return HSDSPage[T]{TotalItems: total, TotalPages: pages, PageNumber: page, Size: len(items),
		FirstPage: page == 1, LastPage: page >= pages, Empty: len(items) == 0, Contents: items}
}

// ToHSDSOrganization is o in HSDS form.
func ToHSDSOrganization(o Organization) HSDSOrganization {
	h := HSDSOrganization{Organization: o, OrganizationIdentifiers: []OrganizationIdentifier{}}
	h.Organization.PartnerCode = nil
	if o.PartnerCode != nil && *o.PartnerCode != "" {
		h.OrganizationIdentifiers = append(h.OrganizationIdentifiers, OrganizationIdentifier{
			ID:             partnerIdentifierID(o.ID),
			OrganizationID: o.ID,
			IdentifierType: PartnerCodeType,
			Identifier:     *o.PartnerCode,
		})
	}
	return h
}

// partnerIdentifierID is the identifier entry's id: derived from the organisation's, so that
// every export names it the same.
func partnerIdentifierID(orgID string) string {
	ns, err := uuid.Parse(orgID)
	if err != nil {
		ns = uuid.Nil
	}
	return uuid.NewSHA1(ns, []byte(PartnerCodeType)).String()
}

// FromHSDSOrganization is the room's organisation for an HSDS one: the partner code from its
// identifier of type PartnerCodeType (other identifiers are not kept).
func FromHSDSOrganization(h HSDSOrganization) Organization {
	o := h.Organization
	o.PartnerCode = nil
	for _, id := range h.OrganizationIdentifiers {
		if id.IdentifierType == PartnerCodeType && id.Identifier != "" {
			code := id.Identifier
			o.PartnerCode = &code
		}
	}
	return o
}

// ToHSDS is r in HSDS form.
func ToHSDS(r ServiceRecord) HSDSService {
	h := HSDSService{ServiceRecord: r}
	h.ServiceRecord.Organization = nil
	if r.Organization != nil {
		o := ToHSDSOrganization(*r.Organization)
		h.Organization = &o
	}
	return h
}

// FromHSDS is the room's service for an HSDS one, with its organisation apart (nil when the
// service does not carry it).
func FromHSDS(h HSDSService) (ServiceRecord, *Organization) {
	r := h.ServiceRecord
	r.Organization, r.Published, r.Stale = nil, false, false
	if h.Organization == nil {
		return r, nil
	}
	o := FromHSDSOrganization(*h.Organization)
	return r, &o
}
