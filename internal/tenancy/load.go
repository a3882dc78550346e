package tenancy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// LoadDefinitions reads every district file (*.yaml) and region file (regions/*.yaml) of
// fsys and validates them, alone and together. name is how fsys is called in messages (for
// example "tenants"). Nothing is returned unless every file is valid: the error lists every
// problem found, each naming its file and field.
func LoadDefinitions(fsys fs.FS, name string) (Definitions, error) {
	var defs Definitions
	var problems []error
	report := func(file, field, it, en string, args ...any) {
		problems = append(problems, apperr.Invalidf(path.Join(name, file)+": "+field, it, en, args...))
	}

	regionFiles, _ := fs.Glob(fsys, "regions/*.yaml")
	for _, f := range regionFiles {
		var r RegionDef
		if err := decodeStrict(fsys, f, &r); err != nil {
			report(f, "", "file non leggibile: %v", "unreadable file: %v", err)
			continue
		}
		checkRegion(f, r, report)
		defs.Regions = append(defs.Regions, r)
	}
	districtFiles, _ := fs.Glob(fsys, "*.yaml")
	if len(districtFiles) == 0 {
		report("", "", "nessun file di distretto (*.yaml)", "no district file (*.yaml)")
	}
	for _, f := range districtFiles {
		var d DistrictDef
		if err := decodeStrict(fsys, f, &d); err != nil {
			report(f, "", "file non leggibile: %v", "unreadable file: %v", err)
			continue
		}
		checkDistrict(f, d, defs, report)
		defs.Districts = append(defs.Districts, d)
	}
	if len(problems) > 0 {
		return Definitions{}, errors.Join(problems...)
	}
	return defs, nil
}

func decodeStrict(fsys fs.FS, file string, v any) error {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key is an error, not a silently missing value
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty file")
		}
		return err
	}
	return nil
}

type reporter func(file, field, it, en string, args ...any)

var (
	istatRE    = regexp.MustCompile(`^[0-9]{6}$`)
	envNameRE  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	bodyKindRE = regexp.MustCompile(`^[A-Z]{2,6}$`)
)

func checkRegion(file string, r RegionDef, report reporter) {
	checkSlug(file, r.Slug, report)
	required(file, "name", r.Name, report)
	if r.Kind != "regione" && r.Kind != "provincia_autonoma" {
		report(file, "kind", "deve essere \"regione\" o \"provincia_autonoma\", non %q", `must be "regione" or "provincia_autonoma", not %q`, r.Kind)
	}
	for i, b := range r.OversightBodies {
		checkBody(file, fmt.Sprintf("oversight_bodies[%d]", i), b, report)
	}
	c := r.Catalogue
	required(file, "catalogue.name", c.Name, report)
	required(file, "catalogue.source", c.Source, report)
	if len(c.Areas) == 0 {
		report(file, "catalogue.areas", "serve almeno un'area", "at least one area is required")
	}
	seen := map[string]bool{}
	for i, a := range c.Areas {
		f := fmt.Sprintf("catalogue.areas[%d]", i)
		required(file, f+".code", a.Code, report)
		required(file, f+".name", a.Name, report)
		if seen[a.Code] {
			report(file, f+".code", "codice %q ripetuto", "duplicate code %q", a.Code)
		}
		seen[a.Code] = true
		for j, it := range a.Items {
			g := fmt.Sprintf("%s.items[%d]", f, j)
			required(file, g+".code", it.Code, report)
			required(file, g+".name", it.Name, report)
			if seen["item:"+it.Code] {
				report(file, g+".code", "codice %q ripetuto", "duplicate code %q", it.Code)
			}
			seen["item:"+it.Code] = true
		}
	}
}

func checkDistrict(file string, d DistrictDef, defs Definitions, report reporter) {
	checkSlug(file, d.Slug, report)
	if d.Slug != "" && file != d.Slug+".yaml" {
		report(file, "slug", "il file deve chiamarsi %s.yaml", "the file must be named %s.yaml", d.Slug)
	}
	required(file, "name", d.Name, report)
	required(file, "short_name", d.ShortName, report)
	required(file, "lead_body", d.LeadBody, report)
	if _, ok := defs.Region(d.Region); !ok {
		report(file, "region", "regione %q sconosciuta (manca regions/%s.yaml)", "unknown region %q (no regions/%s.yaml)", d.Region, d.Region)
	}
	if len(d.HealthAuthorities) == 0 {
		report(file, "health_authorities", "serve almeno un'azienda sanitaria", "at least one health authority is required")
	}
	for i, b := range d.HealthAuthorities {
		checkBody(file, fmt.Sprintf("health_authorities[%d]", i), b, report)
	}
	if s := d.PopulationReferenceDate; s != "" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			report(file, "population_reference_date", "data non valida %q (formato AAAA-MM-GG)", "invalid date %q (YYYY-MM-DD)", s)
		}
	}
	if len(d.Municipalities) == 0 {
		report(file, "municipalities", "serve almeno un comune", "at least one municipality is required")
	}
	var names, codes []string
	for i, m := range d.Municipalities {
		f := fmt.Sprintf("municipalities[%d]", i)
		required(file, f+".name", m.Name, report)
		if slices.Contains(names, m.Name) {
			report(file, f+".name", "comune %q ripetuto", "duplicate municipality %q", m.Name)
		}
		names = append(names, m.Name)
		if m.IstatCode != "" {
			if !istatRE.MatchString(m.IstatCode) {
				report(file, f+".istat_code", "il codice ISTAT ha 6 cifre, non %q", "an ISTAT code has 6 digits, not %q", m.IstatCode)
			}
			if slices.Contains(codes, m.IstatCode) {
				report(file, f+".istat_code", "codice ISTAT %q ripetuto", "duplicate ISTAT code %q", m.IstatCode)
			}
			codes = append(codes, m.IstatCode)
		}
		if p := m.Population; p != nil {
			checkPopulation(file, f+".population", *p, report)
		}
	}
	o := d.OIDC
	if o.Issuer != "" && o.Issuer != DevIssuerPlaceholder && !strings.HasPrefix(o.Issuer, "https://") && !strings.HasPrefix(o.Issuer, "http://") {
		report(file, "oidc.issuer", "deve essere un URL http(s) oppure %s, non %q", "must be an http(s) URL or %s, not %q", DevIssuerPlaceholder, o.Issuer)
	}
	if o.ClientSecretEnv != "" && !envNameRE.MatchString(o.ClientSecretEnv) {
		report(file, "oidc.client_secret_env", "nome di variabile d'ambiente non valido: %q", "invalid environment variable name: %q", o.ClientSecretEnv)
	}
	if o.Issuer != "" && o.ClientID == "" {
		report(file, "oidc.client_id", "obbligatorio quando è indicato l'issuer", "required when an issuer is set")
	}
	for _, claim := range slices.Sorted(maps.Keys(o.RoleMapping)) {
		if role := o.RoleMapping[claim]; !roles.ValidDistrict(role) {
			report(file, "oidc.role_mapping."+claim, "ruolo sconosciuto %q (ruoli: %s)", "unknown role %q (roles: %s)", role, strings.Join(roles.District, ", "))
		}
	}
}

func checkPopulation(file, field string, p Population, report reporter) {
	ints := map[string]*int{
		"residents": p.Residents, "males": p.Males, "females": p.Females, "age_0_17": p.Age0to17,
		"age_18_64": p.Age18to64, "age_65_plus": p.Age65Plus, "foreigners": p.Foreigners, "old_age_index": p.OldAgeIndex,
	}
	for _, k := range slices.Sorted(maps.Keys(ints)) {
		if v := ints[k]; v != nil && *v < 0 {
			report(file, field+"."+k, "non può essere negativo (%d)", "cannot be negative (%d)", *v)
		}
	}
	if v := p.ForeignersPct; v != nil && (*v < 0 || *v > 100) {
		report(file, field+".foreigners_pct", "deve essere tra 0 e 100, non %v", "must be between 0 and 100, not %v", *v)
	}
	if p.Residents != nil && p.Males != nil && p.Females != nil && *p.Males+*p.Females != *p.Residents {
		report(file, field+".residents", "maschi + femmine (%d) diverso dai residenti (%d)", "males + females (%d) differ from residents (%d)", *p.Males+*p.Females, *p.Residents)
	}
}

func checkSlug(file, slug string, report reporter) {
	if !ValidSlug(slug) {
		report(file, "slug", "%q non è valido: 3-40 caratteri, minuscole, cifre e '-'", "%q is not valid: 3-40 characters, lower case, digits and '-'", slug)
	}
}

func checkBody(file, field string, b Body, report reporter) {
	required(file, field+".name", b.Name, report)
	if !bodyKindRE.MatchString(b.Kind) {
		report(file, field+".kind", "sigla non valida %q (es. ATS, ASST, AUSL, APSS)", "invalid kind %q (e.g. ATS, ASST, AUSL, APSS)", b.Kind)
	}
}

func required(file, field, v string, report reporter) {
	if strings.TrimSpace(v) == "" {
		report(file, field, "campo obbligatorio", "required field")
	}
}
