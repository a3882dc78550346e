package directory

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var (
	bydayRE    = regexp.MustCompile(`^((-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)(,(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU))*)?$`)
	clockRE    = regexp.MustCompile(`^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)?$`)
	postalRE   = regexp.MustCompile(`^[0-9]{5}$`)
	currencyRE = regexp.MustCompile(`^([A-Z]{3})?$`)
	partnerRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,60}$`)

	locationTypes = []string{"physical", "postal", "virtual"}
	phoneTypes    = []string{"", "text", "voice", "fax", "cell", "video", "pager", "textphone"}
)

func tooLong(field string, max int) error {
	return apperr.Invalidf(field, "testo troppo lungo (massimo %d caratteri)", "text too long (at most %d characters)", max)
}

func checkID(field, id string) error {
	if id != "" && !validID(id) {
		return apperr.Invalidf(field, "identificativo non valido: serve un UUID", "invalid id: a UUID is needed")
	}
	return nil
}

func checkDate(field string, d Date) error {
	if d == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
		return apperr.Invalidf(field, "data non valida %q: AAAA-MM-GG", "invalid date %q: YYYY-MM-DD", d)
	}
	return nil
}

// texts checks the length of free texts: short ones up to 300 characters, long ones 5,000.
func texts(prefix string, short map[string]string, long map[string]string) error {
	for f, v := range short {
		if len(v) > 300 {
			return tooLong(prefix+f, 300)
		}
	}
	for f, v := range long {
		if len(v) > 5000 {
			return tooLong(prefix+f, 5000)
		}
	}
	return nil
}

// validate checks a service as a whole, trims its name and fills HSDS defaults (currency EUR,
// country IT, an address's type from its location). Errors name the field as a JSON path.
// Checks that need the district (its comuni, the organisation) are in checkReferences.
func (s *ServiceRecord) validate(tax Taxonomy) error {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return apperr.Invalidf("name", "il nome del servizio è obbligatorio", "the service's name is required")
	case !slices.Contains(Statuses, s.Status):
		return apperr.Invalidf("status", "stato ammesso: active, inactive, defunct, temporarily closed", "allowed: active, inactive, defunct, temporarily closed")
	case !validID(s.OrganizationID):
		return apperr.Invalidf("organization_id", "indicare l'organizzazione (UUID)", "the organization is required (a UUID)")
	}
	if err := checkID("id", s.ID); err != nil {
		return err
	}
	for _, a := range []struct {
		f string
		v *int
	}{{"minimum_age", s.MinimumAge}, {"maximum_age", s.MaximumAge}} {
		if a.v != nil && (*a.v < 0 || *a.v > 130) {
			return apperr.Invalidf(a.f, "età tra 0 e 130 anni", "an age between 0 and 130")
		}
	}
	if s.MinimumAge != nil && s.MaximumAge != nil && *s.MaximumAge < *s.MinimumAge {
		return apperr.Invalidf("maximum_age", "l'età massima è inferiore alla minima", "the maximum age is below the minimum")
	}
	if err := checkDate("assured_date", s.AssuredDate); err != nil {
		return err
	}
	if err := texts("", map[string]string{"name": s.Name, "alternate_name": s.AlternateName, "url": s.URL, "email": s.Email, "wait_time": s.WaitTime, "assurer_email": s.AssurerEmail},
		map[string]string{"description": s.Description, "interpretation_services": s.InterpretationServices, "application_process": s.ApplicationProcess,
			"fees_description": s.FeesDescription, "accreditations": s.Accreditations, "eligibility_description": s.EligibilityDescription, "alert": s.Alert}); err != nil {
		return err
	}
	for i := range s.ServiceAtLocations {
		if err := s.ServiceAtLocations[i].validate(fmt.Sprintf("service_at_locations[%d]", i)); err != nil {
			return err
		}
	}
	for i, p := range s.Phones {
		f := fmt.Sprintf("phones[%d]", i)
		switch {
		case checkID(f+".id", p.ID) != nil:
			return checkID(f+".id", p.ID)
		case strings.TrimSpace(p.Number) == "" || len(p.Number) > 40:
			return apperr.Invalidf(f+".number", "numero di telefono obbligatorio (massimo 40 caratteri)", "a phone number is required (at most 40 characters)")
		case !slices.Contains(phoneTypes, p.Type):
			return apperr.Invalidf(f+".type", "tipo ammesso: %s", "allowed types: %s", strings.Join(phoneTypes[1:], ", "))
		}
	}
	for i := range s.Schedules {
		if err := s.Schedules[i].validate(fmt.Sprintf("schedules[%d]", i)); err != nil {
			return err
		}
	}
	for i, c := range s.CostOptions {
		f := fmt.Sprintf("cost_options[%d]", i)
		if err := checkID(f+".id", c.ID); err != nil {
			return err
		}
		if c.Amount != nil && *c.Amount < 0 {
			return apperr.Invalidf(f+".amount", "l'importo non può essere negativo", "the amount cannot be negative")
		}
		if c.Amount != nil && c.Currency == "" {
			s.CostOptions[i].Currency = "EUR"
		}
		if !currencyRE.MatchString(s.CostOptions[i].Currency) {
			return apperr.Invalidf(f+".currency", "valuta ISO 4217, per esempio EUR", "an ISO 4217 currency, e.g. EUR")
		}
		for _, d := range []struct {
			f string
			v Date
		}{{".valid_from", c.ValidFrom}, {".valid_to", c.ValidTo}} {
			if err := checkDate(f+d.f, d.v); err != nil {
				return err
			}
		}
	}
	for i, l := range s.Languages {
		if err := checkID(fmt.Sprintf("languages[%d].id", i), l.ID); err != nil {
			return err
		}
	}
	for i, c := range s.Contacts {
		if err := checkID(fmt.Sprintf("contacts[%d].id", i), c.ID); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, a := range s.Attributes {
		f := fmt.Sprintf("attributes[%d]", i)
		if err := checkID(f+".id", a.ID); err != nil {
			return err
		}
		t, ok := tax.term(a.TaxonomyTermID)
		if !ok && a.TaxonomyTerm != nil {
			t, ok = tax.term(a.TaxonomyTerm.Code)
		}
		if !ok {
			return apperr.Invalidf(f+".taxonomy_term_id", "bisogno sconosciuto: usare un termine del catalogo", "unknown need: use a term of the catalogue")
		}
		if seen[t.ID] {
			return apperr.Invalidf(f+".taxonomy_term_id", "bisogno ripetuto", "need given twice")
		}
		seen[t.ID] = true
		s.Attributes[i].TaxonomyTermID = t.ID
	}
	return nil
}

func (sal *ServiceAtLocation) validate(f string) error {
	if err := checkID(f+".id", sal.ID); err != nil {
		return err
	}
	l := sal.Location
	if l == nil {
		if !validID(sal.LocationID) {
			return apperr.Invalidf(f+".location", "indicare la sede (location) o il suo id", "give the location or its id")
		}
		return nil
	}
	f += ".location"
	if err := checkID(f+".id", l.ID); err != nil {
		return err
	}
	if !slices.Contains(locationTypes, l.LocationType) {
		return apperr.Invalidf(f+".location_type", "tipo ammesso: physical, postal, virtual", "allowed: physical, postal, virtual")
	}
	if l.Latitude != nil && (*l.Latitude < -90 || *l.Latitude > 90) {
		return apperr.Invalidf(f+".latitude", "latitudine tra -90 e 90", "latitude between -90 and 90")
	}
	if l.Longitude != nil && (*l.Longitude < -180 || *l.Longitude > 180) {
		return apperr.Invalidf(f+".longitude", "longitudine tra -180 e 180", "longitude between -180 and 180")
	}
	for j := range l.Addresses {
		a := &l.Addresses[j]
		af := fmt.Sprintf("%s.addresses[%d]", f, j)
		a.Address1, a.City, a.PostalCode = strings.TrimSpace(a.Address1), strings.TrimSpace(a.City), strings.TrimSpace(a.PostalCode)
		if a.Country == "" {
			a.Country = "IT"
		}
		if a.AddressType == "" {
			a.AddressType = l.LocationType
		}
		switch {
		case checkID(af+".id", a.ID) != nil:
			return checkID(af+".id", a.ID)
		case a.Address1 == "":
			return apperr.Invalidf(af+".address_1", "indirizzo obbligatorio", "the address is required")
		case a.City == "":
			return apperr.Invalidf(af+".city", "comune obbligatorio", "the comune is required")
		case !postalRE.MatchString(a.PostalCode):
			return apperr.Invalidf(af+".postal_code", "CAP di 5 cifre", "a 5-digit postal code")
		case strings.TrimSpace(a.StateProvince) == "":
			return apperr.Invalidf(af+".state_province", "provincia obbligatoria", "the province is required")
		case !slices.Contains(locationTypes, a.AddressType):
			return apperr.Invalidf(af+".address_type", "tipo ammesso: physical, postal, virtual", "allowed: physical, postal, virtual")
		case len(a.Country) != 2 || strings.ToUpper(a.Country) != a.Country:
			return apperr.Invalidf(af+".country", "paese ISO 3166 di due lettere, per esempio IT", "a two-letter ISO 3166 country, e.g. IT")
		}
	}
	return nil
}

func (sc *Schedule) validate(f string) error {
	if err := checkID(f+".id", sc.ID); err != nil {
		return err
	}
	switch {
	case sc.Freq != "" && sc.Freq != "WEEKLY" && sc.Freq != "MONTHLY":
		return apperr.Invalidf(f+".freq", "frequenza ammessa: WEEKLY, MONTHLY", "allowed: WEEKLY, MONTHLY")
	case !bydayRE.MatchString(sc.Byday):
		return apperr.Invalidf(f+".byday", "giorni come MO,TU,WE,TH,FR,SA,SU separati da virgole", "days as MO,TU,WE,TH,FR,SA,SU separated by commas")
	case !clockRE.MatchString(sc.OpensAt):
		return apperr.Invalidf(f+".opens_at", "ora di apertura come 09:00", "opening time like 09:00")
	case !clockRE.MatchString(sc.ClosesAt):
		return apperr.Invalidf(f+".closes_at", "ora di chiusura come 12:30", "closing time like 12:30")
	case sc.OpensAt != "" && sc.ClosesAt != "" && sc.ClosesAt <= sc.OpensAt:
		return apperr.Invalidf(f+".closes_at", "la chiusura è prima dell'apertura", "it closes before it opens")
	case sc.Wkst != "" && !bydayRE.MatchString(sc.Wkst):
		return apperr.Invalidf(f+".wkst", "giorno ammesso: MO…SU", "allowed: MO…SU")
	case sc.Interval != nil && *sc.Interval < 1:
		return apperr.Invalidf(f+".interval", "intervallo di almeno 1", "an interval of at least 1")
	}
	for _, d := range []struct {
		f string
		v Date
	}{{".valid_from", sc.ValidFrom}, {".valid_to", sc.ValidTo}, {".dtstart", sc.DTStart}, {".until", sc.Until}} {
		if err := checkDate(f+d.f, d.v); err != nil {
			return err
		}
	}
	if sc.ValidFrom != "" && sc.ValidTo != "" && sc.ValidTo < sc.ValidFrom {
		return apperr.Invalidf(f+".valid_to", "la fine validità precede l'inizio", "valid_to is before valid_from")
	}
	sc.ServiceAtLocationID = nil // schedules hang from the service; per-location hours come later
	return nil
}

// checkReferences checks what needs the district: the organisation exists, every location
// belongs to it (or is new), and every address lies in one of the district's comuni, spelled
// as the district spells it.
func checkReferences(tx *tenancy.Tx, s *ServiceRecord) error {
	var n int64
	if err := tx.Model(&Organization{}).Where("id = ?", s.OrganizationID).Count(&n).Error; err != nil {
		return storeError(err, "organizzazione")
	}
	if n == 0 {
		return apperr.Invalidf("organization_id", "organizzazione inesistente", "no such organization")
	}
	var comuni []string
	if err := tx.Raw("SELECT name FROM municipalities ORDER BY name").Scan(&comuni).Error; err != nil {
		return storeError(err, "comuni")
	}
	org := s.OrganizationID
	for i := range s.ServiceAtLocations {
		sal := &s.ServiceAtLocations[i]
		f := fmt.Sprintf("service_at_locations[%d]", i)
		id := sal.LocationID
		if sal.Location != nil {
			id = sal.Location.ID
		}
		if id != "" {
			var owners []*string
			if err := tx.Raw("SELECT organization_id::text FROM locations WHERE id = ?", id).Scan(&owners).Error; err != nil {
				return storeError(err, "sede")
			}
			if len(owners) == 0 && sal.Location == nil {
				return apperr.Invalidf(f+".location_id", "sede inesistente", "no such location")
			}
			if len(owners) == 1 && (owners[0] == nil || *owners[0] != org) {
				return apperr.Invalidf(f+".location.id", "la sede appartiene a un'altra organizzazione", "the location belongs to another organization")
			}
		}
		if sal.Location == nil {
			continue
		}
		sal.Location.OrganizationID = &org
		for j := range sal.Location.Addresses {
			a := &sal.Location.Addresses[j]
			k := slices.IndexFunc(comuni, func(c string) bool { return strings.EqualFold(c, a.City) })
			if k < 0 {
				return apperr.Invalidf(fmt.Sprintf("%s.location.addresses[%d].city", f, j),
					"%q non è un comune del distretto (%s)", "%q is not a comune of the district (%s)", a.City, strings.Join(comuni, ", "))
			}
			a.City = comuni[k]
		}
	}
	return nil
}

// validate checks an organisation and trims its name.
func (o *Organization) validate() error {
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Name == "" || len(o.Name) > 300:
		return apperr.Invalidf("name", "il nome è obbligatorio (massimo 300 caratteri)", "the name is required (at most 300 characters)")
	case len(o.Description) > 5000:
		return tooLong("description", 5000)
	case o.YearIncorporated != nil && (*o.YearIncorporated < 1000 || *o.YearIncorporated > 2100):
		return apperr.Invalidf("year_incorporated", "anno non valido", "invalid year")
	case o.PartnerCode != nil && *o.PartnerCode != "" && !partnerRE.MatchString(*o.PartnerCode):
		return apperr.Invalidf("partner_code", "codice non valido: minuscole, cifre e '-' (il codice organizzazione dei suoi utenti)", "invalid code: lower case, digits and '-' (its users' organisation code)")
	}
	if o.PartnerCode != nil && *o.PartnerCode == "" {
		o.PartnerCode = nil
	}
	if o.ParentOrganizationID != nil && *o.ParentOrganizationID == "" {
		o.ParentOrganizationID = nil
	}
	if o.ParentOrganizationID != nil && !validID(*o.ParentOrganizationID) {
		return apperr.Invalidf("parent_organization_id", "identificativo non valido: serve un UUID", "invalid id: a UUID is needed")
	}
	return checkID("id", o.ID)
}
