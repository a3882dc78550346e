package tenancy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// RegionDef is a regional body's file, tenants/regions/<slug>.yaml.
type RegionDef struct {
	Slug            string    `yaml:"slug" json:"slug"`
	Name            string    `yaml:"name" json:"name"`
	Kind            string    `yaml:"kind" json:"kind"` // regione | provincia_autonoma
	OversightBodies []Body    `yaml:"oversight_bodies" json:"oversight_bodies"`
	Catalogue       Catalogue `yaml:"catalogue" json:"catalogue"`
}

// Body is an organisation named in a definition (an ATS, an ASST, an APSS directorate…).
type Body struct {
	Kind string `yaml:"kind" json:"kind"`
	Name string `yaml:"name" json:"name"`
}

// Catalogue is the region's classification of policy: Lombardy's macro-aree, Emilia-Romagna's
// aree trasversali with their schede, Trento's areas of socio-sanitary integration. Every
// objective of a district's plan belongs to one of its areas.
type Catalogue struct {
	Name           string   `yaml:"name" json:"name"`
	Source         string   `yaml:"source" json:"source"`
	StrategicGoals []string `yaml:"strategic_goals" json:"strategic_goals,omitempty"`
	Areas          []Area   `yaml:"areas" json:"areas"`
}

// Area is one entry of a catalogue, possibly with finer items.
type Area struct {
	Code  string `yaml:"code" json:"code"`
	Name  string `yaml:"name" json:"name"`
	Items []Item `yaml:"items" json:"items,omitempty"`
}

// Item is a finer catalogue entry, e.g. one of the 39 schede regionali.
type Item struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
}

// DistrictDef is a district's file, tenants/<slug>.yaml.
type DistrictDef struct {
	Slug                    string         `yaml:"slug" json:"slug"`
	Name                    string         `yaml:"name" json:"name"`
	ShortName               string         `yaml:"short_name" json:"short_name"`
	Region                  string         `yaml:"region" json:"region"`
	LeadBody                string         `yaml:"lead_body" json:"lead_body"`
	ManagingBody            string         `yaml:"managing_body" json:"managing_body,omitempty"`
	HealthAuthorities       []Body         `yaml:"health_authorities" json:"health_authorities"`
	PopulationReferenceDate string         `yaml:"population_reference_date" json:"population_reference_date,omitempty"`
	Municipalities          []Municipality `yaml:"municipalities" json:"municipalities"`
	OIDC                    OIDCDef        `yaml:"oidc" json:"oidc"`
}

// Municipality is a comune of the district, with the population figures the plan reports.
type Municipality struct {
	Name       string      `yaml:"name" json:"name"`
	IstatCode  string      `yaml:"istat_code" json:"istat_code,omitempty"`
	Zone       string      `yaml:"zone" json:"zone,omitempty"`
	Population *Population `yaml:"population" json:"population,omitempty"`
}

// Population holds the context figures of a comune; any may be missing.
type Population struct {
	Residents     *int     `yaml:"residents" json:"residents,omitempty"`
	Males         *int     `yaml:"males" json:"males,omitempty"`
	Females       *int     `yaml:"females" json:"females,omitempty"`
	Age0to17      *int     `yaml:"age_0_17" json:"age_0_17,omitempty"`
	Age18to64     *int     `yaml:"age_18_64" json:"age_18_64,omitempty"`
	Age65Plus     *int     `yaml:"age_65_plus" json:"age_65_plus,omitempty"`
	Foreigners    *int     `yaml:"foreigners" json:"foreigners,omitempty"`
	ForeignersPct *float64 `yaml:"foreigners_pct" json:"foreigners_pct,omitempty"`
	OldAgeIndex   *int     `yaml:"old_age_index" json:"old_age_index,omitempty"`
}

// OIDCDef says where the district's users log in. The client secret is never in the file:
// ClientSecretEnv names the environment variable that holds it.
type OIDCDef struct {
	Issuer          string `yaml:"issuer" json:"issuer,omitempty"`
	ClientID        string `yaml:"client_id" json:"client_id,omitempty"`
	ClientSecretEnv string `yaml:"client_secret_env" json:"client_secret_env,omitempty"`
	RolesClaim      string `yaml:"roles_claim" json:"roles_claim,omitempty"`
	// OrganisationClaim names the claim holding a partner's organisation code (cooperatives).
	OrganisationClaim string `yaml:"organisation_claim" json:"organisation_claim,omitempty"`
	// RoleMapping maps values of the roles claim to Ambiti roles, e.g. "valle-trompia:udp": udp.
	// Values not listed grant nothing.
	RoleMapping map[string]string `yaml:"role_mapping" json:"role_mapping,omitempty"`
}

// Definitions is everything read from the tenants folder.
type Definitions struct {
	Regions   []RegionDef
	Districts []DistrictDef
}

// Region returns the region with the given slug.
func (d Definitions) Region(slug string) (RegionDef, bool) {
	for _, r := range d.Regions {
		if r.Slug == slug {
			return r, true
		}
	}
	return RegionDef{}, false
}

// hash fingerprints what provisioning writes, so an unchanged definition writes nothing.
func hash(v ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, x := range v {
		_ = enc.Encode(x) // plain structs of strings and numbers: cannot fail
	}
	return hex.EncodeToString(h.Sum(nil))
}
