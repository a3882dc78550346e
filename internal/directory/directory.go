// Package directory is a district's community resource directory after Open Referral HSDS 3.0:
// the organisations of the territory, their services with locations, schedules, phones,
// languages, costs and the needs they answer (a taxonomy shipped as taxonomy.json). The
// Ufficio di Piano manages and publishes it; a partner confirms or proposes changes to its own
// organisation's services, which the Ufficio di Piano reviews (before/after kept as HSDS
// metadata); a service not verified for the district's number of days is "da verificare".
// Link workers and, once published, citizens search it in Italian. No personal data lives here.
//
// The JSON shapes are HSDS's compiled service (a service with its organization, locations,
// phones, schedules… nested), plus Ambiti's own `published` and `partner_code`.
package directory

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Status is an HSDS service status.
type Status string

// The statuses of a service, as HSDS names them.
const (
	Active            Status = "active"
	Inactive          Status = "inactive"
	Defunct           Status = "defunct"
	TemporarilyClosed Status = "temporarily closed"
)

// Statuses are every status a service may have.
var Statuses = []Status{Active, Inactive, Defunct, TemporarilyClosed}

// Date is a calendar day, "2006-01-02"; "" is no date (NULL).
type Date string

// Scan reads a date column.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = Date(x.Format(time.DateOnly))
	case string:
		*d = Date(x)
	case []byte:
		*d = Date(x)
	default:
		return fmt.Errorf("directory: date from %T", v)
	}
	return nil
}

// Value writes a date column.
func (d Date) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

// Organization is an HSDS organization. PartnerCode links it to the users of a partner
// (their organisation code, as plan's partners.code): they may keep its services up to date.
type Organization struct {
	ID                   string  `json:"id"`
	Name                 string  `json:"name"`
	AlternateName        string  `json:"alternate_name,omitempty"`
	Description          string  `json:"description"`
	Email                string  `json:"email,omitempty"`
	Website              string  `json:"website,omitempty"`
	TaxStatus            string  `json:"tax_status,omitempty"`
	TaxID                string  `json:"tax_id,omitempty"`
	YearIncorporated     *int    `json:"year_incorporated,omitempty"`
	LegalStatus          string  `json:"legal_status,omitempty"`
	URI                  string  `json:"uri,omitempty"`
	ParentOrganizationID *string `json:"parent_organization_id,omitempty"`
	PartnerCode          *string `json:"partner_code,omitempty"`
}

// ServiceRecord is an HSDS service, in HSDS's compiled form: with its organization, locations,
// phones, schedules, languages, costs, contacts and needs (attributes) nested.
type ServiceRecord struct {
	ID                     string    `json:"id"`
	OrganizationID         string    `json:"organization_id"`
	Name                   string    `json:"name"`
	AlternateName          string    `json:"alternate_name,omitempty"`
	Description            string    `json:"description,omitempty"`
	URL                    string    `json:"url,omitempty"`
	Email                  string    `json:"email,omitempty"`
	Status                 Status    `json:"status"`
	InterpretationServices string    `json:"interpretation_services,omitempty"`
	ApplicationProcess     string    `json:"application_process,omitempty"`
	FeesDescription        string    `json:"fees_description,omitempty"`
	WaitTime               string    `json:"wait_time,omitempty"`
	Accreditations         string    `json:"accreditations,omitempty"`
	EligibilityDescription string    `json:"eligibility_description,omitempty"`
	MinimumAge             *int      `json:"minimum_age,omitempty"`
	MaximumAge             *int      `json:"maximum_age,omitempty"`
	AssuredDate            Date      `json:"assured_date,omitempty"` // last verified
	AssurerEmail           string    `json:"assurer_email,omitempty"`
	Alert                  string    `json:"alert,omitempty"`
	LastModified           time.Time `json:"last_modified"`
	Published              bool      `json:"published"`      // Ambiti's: visible to the public and link workers
	Stale                  bool      `json:"stale" gorm:"-"` // not verified for the district's number of days

	Organization       *Organization       `json:"organization,omitempty" gorm:"-"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations" gorm:"-"`
	Phones             []Phone             `json:"phones" gorm:"-"`
	Schedules          []Schedule          `json:"schedules" gorm:"-"`
	Languages          []Language          `json:"languages" gorm:"-"`
	CostOptions        []CostOption        `json:"cost_options" gorm:"-"`
	Contacts           []Contact           `json:"contacts" gorm:"-"`
	Attributes         []Attribute         `json:"attributes" gorm:"-"`
}

// ServiceAtLocation is where a service is delivered.
type ServiceAtLocation struct {
	ID          string    `json:"id"`
	ServiceID   string    `json:"service_id,omitempty"`
	LocationID  string    `json:"location_id,omitempty"`
	Description string    `json:"description,omitempty"`
	Location    *Location `json:"location,omitempty" gorm:"-"`
}

// Location is a place (or a virtual or postal one) of an organisation.
type Location struct {
	ID             string          `json:"id"`
	OrganizationID *string         `json:"organization_id,omitempty"`
	LocationType   string          `json:"location_type"`
	URL            string          `json:"url,omitempty"`
	Name           string          `json:"name,omitempty"`
	AlternateName  string          `json:"alternate_name,omitempty"`
	Description    string          `json:"description,omitempty"`
	Transportation string          `json:"transportation,omitempty"`
	Latitude       *float64        `json:"latitude,omitempty"`
	Longitude      *float64        `json:"longitude,omitempty"`
	Addresses      []Address       `json:"addresses" gorm:"-"`
	Accessibility  []Accessibility `json:"accessibility" gorm:"-"`
}

// Address is a location's address; City is one of the district's comuni.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Attention     string `json:"attention,omitempty"`
	Address1      string `json:"address_1" gorm:"column:address_1"`
	Address2      string `json:"address_2,omitempty" gorm:"column:address_2"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility describes how accessible a location is.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	Details     string `json:"details,omitempty"`
	URL         string `json:"url,omitempty"`
}

// Phone is a service's phone number.
type Phone struct {
	ID          string  `json:"id"`
	ServiceID   *string `json:"service_id,omitempty"`
	Number      string  `json:"number"`
	Extension   *int    `json:"extension,omitempty"`
	Type        string  `json:"type,omitempty"`
	Description string  `json:"description,omitempty"`
}

// Contact is a service's point of contact (an office or role, not a private person).
type Contact struct {
	ID         string  `json:"id"`
	ServiceID  *string `json:"service_id,omitempty"`
	Name       string  `json:"name,omitempty"`
	Title      string  `json:"title,omitempty"`
	Department string  `json:"department,omitempty"`
	Email      string  `json:"email,omitempty"`
}

// Schedule is when a service is open, HSDS's RRULE-like form: freq WEEKLY with byday "MO,TH",
// opens_at "09:00", closes_at "12:30", valid between valid_from and valid_to.
type Schedule struct {
	ID                  string  `json:"id"`
	ServiceID           *string `json:"service_id,omitempty"`
	ServiceAtLocationID *string `json:"service_at_location_id,omitempty"`
	ValidFrom           Date    `json:"valid_from,omitempty"`
	ValidTo             Date    `json:"valid_to,omitempty"`
	DTStart             Date    `json:"dtstart,omitempty" gorm:"column:dtstart"`
	Until               Date    `json:"until,omitempty"`
	Wkst                string  `json:"wkst,omitempty"`
	Freq                string  `json:"freq,omitempty"`
	Interval            *int    `json:"interval,omitempty"`
	Byday               string  `json:"byday,omitempty"`
	Bymonthday          string  `json:"bymonthday,omitempty"`
	Description         string  `json:"description,omitempty"`
	OpensAt             string  `json:"opens_at,omitempty"`
	ClosesAt            string  `json:"closes_at,omitempty"`
	AttendingType       string  `json:"attending_type,omitempty"`
	Notes               string  `json:"notes,omitempty"`
}

// Language is a language a service is offered in.
type Language struct {
	ID        string  `json:"id"`
	ServiceID *string `json:"service_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Code      string  `json:"code,omitempty"`
	Note      string  `json:"note,omitempty"`
}

// CostOption is what a service costs; an amount of 0 says it is free of charge.
type CostOption struct {
	ID                string   `json:"id"`
	ServiceID         string   `json:"service_id,omitempty"`
	ValidFrom         Date     `json:"valid_from,omitempty"`
	ValidTo           Date     `json:"valid_to,omitempty"`
	Option            string   `json:"option,omitempty"`
	Currency          string   `json:"currency,omitempty"`
	Amount            *float64 `json:"amount,omitempty"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// TaxonomyTerm is a need of the catalogue (taxonomy.json).
type TaxonomyTerm struct {
	ID          string  `json:"id"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	ParentID    *string `json:"parent_id,omitempty"`
	Taxonomy    string  `json:"taxonomy,omitempty"`
	Language    string  `json:"language,omitempty"`
	TaxonomyID  *string `json:"taxonomy_id,omitempty"`
	TermURI     string  `json:"term_uri,omitempty"`
}

// Attribute links an entity (here a service) to a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty" gorm:"-"`
}

// Metadata is one HSDS change-log entry: which field of which resource changed, when, by whom,
// from what to what.
type Metadata struct {
	ID               string    `json:"id"`
	ResourceID       string    `json:"resource_id"`
	ResourceType     string    `json:"resource_type"`
	LastActionDate   time.Time `json:"last_action_date"`
	LastActionType   string    `json:"last_action_type"`
	FieldName        string    `json:"field_name"`
	PreviousValue    string    `json:"previous_value"`
	ReplacementValue string    `json:"replacement_value"`
	UpdatedBy        string    `json:"updated_by"`
}

// ChangeStatus is where a proposed change stands.
type ChangeStatus string

// The statuses of a proposed change.
const (
	ChangePending  ChangeStatus = "pending"
	ChangeApproved ChangeStatus = "approved"
	ChangeRejected ChangeStatus = "rejected"
)

// Change is a partner's proposed update of one of its services, awaiting (or past) review.
type Change struct {
	ID             string       `json:"id"`
	ServiceID      string       `json:"service_id"`
	ServiceName    string       `json:"service_name" gorm:"->"`
	Status         ChangeStatus `json:"status"`
	Fields         FieldChanges `json:"fields"`
	ProposedBy     string       `json:"proposed_by"`
	ProposedByName string       `json:"proposed_by_name"`
	ProposedAt     time.Time    `json:"proposed_at"`
	ReviewedBy     string       `json:"reviewed_by,omitempty"`
	ReviewedAt     *time.Time   `json:"reviewed_at,omitempty"`
	ReviewNote     string       `json:"review_note,omitempty"`
}

// FieldChange is one field of a proposed change, its value before and after (JSON).
type FieldChange struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// FieldChanges is stored as one jsonb column.
type FieldChanges []FieldChange

// Scan reads the jsonb column.
func (f *FieldChanges) Scan(v any) error {
	switch x := v.(type) {
	case []byte:
		return json.Unmarshal(x, f)
	case string:
		return json.Unmarshal([]byte(x), f)
	case nil:
		*f = nil
		return nil
	}
	return fmt.Errorf("directory: field changes from %T", v)
}

// Value writes the jsonb column.
func (f FieldChanges) Value() (driver.Value, error) {
	b, err := json.Marshal(f)
	return string(b), err
}

// Settings are the district's settings of the directory.
type Settings struct {
	StaleAfterDays int `json:"stale_after_days"` // a service not verified for this many days is "da verificare"
}

// Page is a window of a list; a Limit of 0 (or less) is 50.
type Page struct {
	Limit, Offset int
}

func (p Page) limit() int {
	if p.Limit <= 0 {
		return 50
	}
	return p.Limit
}

// Table names GORM would not guess.
func (Accessibility) TableName() string     { return "accessibility" }
func (Metadata) TableName() string          { return "metadata" }
func (Change) TableName() string            { return "service_changes" }
func (ServiceAtLocation) TableName() string { return "service_at_locations" }

// TableName is HSDS's.
func (ServiceRecord) TableName() string { return "services" }
