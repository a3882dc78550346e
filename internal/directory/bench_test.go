package directory_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// seedSQL writes n services into the district in one statement per table, deterministically
// (setseed): 60 organisations; names and descriptions drawn from Italian words of the
// territory's services; ages, schedules, costs, needs and comuni spread as in the demo data;
// nine in ten published, one in five never or long ago verified.
const seedSQL = `
SELECT setseed(0.42);
INSERT INTO organizations (name, description)
SELECT 'Organizzazione ' || g, 'Ente del terzo settore numero ' || g FROM generate_series(1, 60) g;
WITH words AS (
  SELECT ARRAY['Sportello','Laboratorio','Centro','Gruppo','Corso','Servizio','Punto','Spazio','Progetto','Percorso'] AS a,
         ARRAY['lavoro','formazione','casa','ascolto','sport','cultura','volontariato','famiglie','giovani','anziani','salute','orientamento'] AS b,
         ARRAY['attività sportive e motorie per tutte le età','orientamento al lavoro e tirocini','sostegno psicologico e gruppi di auto mutuo aiuto',
               'corsi di italiano per stranieri','distribuzione di beni di prima necessità','accompagnamento alla ricerca della casa',
               'attività culturali, biblioteca e teatro','volontariato civico nel quartiere','doposcuola e aiuto compiti',
               'prevenzione e stili di vita sani'] AS c,
         (SELECT array_agg(id ORDER BY name) FROM organizations) AS orgs
)
INSERT INTO services (organization_id, name, description, status, eligibility_description, minimum_age, maximum_age, assured_date, published)
SELECT orgs[1 + (random() * 59)::int],
       a[1 + (random() * 9)::int] || ' ' || b[1 + (random() * 11)::int] || ' ' || g,
       c[1 + (random() * 9)::int] || '; ' || c[1 + (random() * 9)::int],
       CASE WHEN random() < 0.95 THEN 'active' ELSE 'inactive' END,
       CASE WHEN random() < 0.3 THEN 'Residenti nel distretto' ELSE '' END,
       CASE WHEN random() < 0.4 THEN (random() * 30)::int END,
       CASE WHEN random() < 0.3 THEN 40 + (random() * 60)::int END,
       CASE WHEN random() < 0.1 THEN NULL ELSE current_date - (random() * 400)::int END,
       random() < 0.9
FROM words, generate_series(1, $n) g;
INSERT INTO locations (id, organization_id, location_type, name)
SELECT s.id, s.organization_id, 'physical', 'Sede di ' || s.name FROM services s;
INSERT INTO addresses (location_id, address_1, city, state_province, postal_code, address_type)
SELECT l.id, 'Via Roma ' || (random() * 100)::int, (SELECT array_agg(name ORDER BY name) FROM municipalities)[1 + (random() * 17)::int], 'BS', '25065', 'physical'
FROM locations l;
INSERT INTO service_at_locations (service_id, location_id) SELECT id, id FROM services;
INSERT INTO schedules (service_id, freq, byday, opens_at, closes_at)
SELECT id, 'WEEKLY', (ARRAY['MO','TU,TH','WE','MO,WE,FR','SA','FR','TU','TH,FR'])[1 + (random() * 7)::int], '09:00', '12:30' FROM services;
INSERT INTO cost_options (service_id, option, currency, amount)
SELECT id, 'Tariffa', 'EUR', CASE WHEN random() < 0.6 THEN 0 ELSE 25 END FROM services WHERE random() < 0.7;
INSERT INTO attributes (link_id, taxonomy_term_id, link_type, link_entity)
SELECT DISTINCT s.id, t.id, 'need', 'service'
FROM services s, LATERAL (SELECT id FROM taxonomy_terms ORDER BY random() + 0 * length(s.name) LIMIT 1 + (random() * 1.2)::int) t;
ANALYZE;
`

// BenchmarkSearch measures a link worker's search (the 20 best published services, complete)
// in a district of 5,000 services. Figures in docs/benchmarks.md.
func BenchmarkSearch(b *testing.B) {
	d := newDistrict(b)
	// The first call syncs the catalogue of needs, which the seed links services to.
	if _, _, err := d.svc.Search(d.ctx, d.udp, directory.Query{}); err != nil {
		b.Fatal(err)
	}
	err := tenancy.NewScope(d.db).Tx(d.ctx, d.udp, func(tx *tenancy.Tx) error {
		return tx.Exec(replaceN(seedSQL, "5000")).Error
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    directory.Query
	}{
		{"words", directory.Query{Text: "sportivo"}},
		{"accent", directory.Query{Text: "attivita culturali"}},
		{"broad", directory.Query{Text: "lavoro"}},
		{"filters", directory.Query{Need: "lavoro", Age: ptr(35), Day: "giovedì", Free: true}},
		{"words+filters", directory.Query{Text: "ascolto", Comune: "Lumezzane", Age: ptr(20)}},
		{"nothing", directory.Query{}},
		{"page 10", directory.Query{Text: "servizio", Page: directory.Page{Limit: 20, Offset: 200}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total int64
			for b.Loop() {
				_, n, err := d.svc.Search(d.ctx, d.linkWorker, c.q)
				if err != nil {
					b.Fatal(err)
				}
				total = n
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func replaceN(s, n string) string {
	out := []byte{}
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == 'n' {
			out = append(out, n...)
			i++
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
