package directory_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory"
)

func names(hits []directory.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Service.Name)
	}
	return out
}

func TestSearchInItalianWithFilters(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	o := d.org(t, "Polisportiva Valtrompia", "")
	coop := d.org(t, "Cooperativa Sociale Il Ponte", "ilponte")
	weekly := func(days string) func(*directory.ServiceRecord) {
		return func(r *directory.ServiceRecord) {
			r.Schedules = append(r.Schedules, directory.Schedule{Freq: "WEEKLY", Byday: days, OpensAt: "15:00", ClosesAt: "18:00"})
		}
	}
	free := func(r *directory.ServiceRecord) {
		r.CostOptions = append(r.CostOptions, directory.CostOption{Option: "Gratuito", Amount: ptr(0.0)})
	}
	need := func(code string) func(*directory.ServiceRecord) {
		return func(r *directory.ServiceRecord) {
			r.Attributes = append(r.Attributes, directory.Attribute{TaxonomyTermID: code})
		}
	}
	ages := func(min, max int) func(*directory.ServiceRecord) {
		return func(r *directory.ServiceRecord) { r.MinimumAge, r.MaximumAge = ptr(min), ptr(max) }
	}
	d.service(t, o, "Sport per tutti", at("Lumezzane"), weekly("MO,WE"), free, need("sport-tempo-libero"), func(r *directory.ServiceRecord) {
		r.Description = "Calcio, pallavolo e ginnastica dolce"
	})
	d.service(t, o, "Ginnastica dolce over 65", at("Concesio"), weekly("TU,TH"), ages(65, 130), need("sport-tempo-libero"), func(r *directory.ServiceRecord) {
		r.Description = "Attività motoria sportiva per anziani"
		r.CostOptions = []directory.CostOption{{Option: "Quota annuale", Amount: ptr(30.0)}}
	})
	d.service(t, coop, "Laboratorio di cucito", at("Lumezzane"), weekly("FR"), ages(16, 99), need("lavoro"), func(r *directory.ServiceRecord) {
		r.Description = "Attività di formazione e inserimento lavorativo"
		r.FeesDescription = "Gratuito per i residenti"
	})
	d.service(t, coop, "Bozza interna di attività sportiva", func(r *directory.ServiceRecord) { r.Published = false })
	d.service(t, coop, "Sportello chiuso per sempre", func(r *directory.ServiceRecord) { r.Status = directory.Defunct })

	search := func(q directory.Query) []string {
		t.Helper()
		hits, total, err := d.svc.Search(d.ctx, d.linkWorker, q)
		noError(t, err)
		if int(total) < len(hits) {
			t.Errorf("total %d below the %d hits", total, len(hits))
		}
		return names(hits)
	}
	want := func(got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("found %q, want %q", got, want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("found %q, want %q", got, want)
				return
			}
		}
	}
	// A stem: "sportivo" finds "sport" and "sportiva"; the name weighs more than the
	// description, so "Sport per tutti" comes first. Unpublished and defunct are not found.
	want(search(directory.Query{Text: "sportivo"}), "Sport per tutti", "Ginnastica dolce over 65")
	// Accents: "attivita" finds "attività", and the other way round.
	want(search(directory.Query{Text: "attivita"}), "Ginnastica dolce over 65", "Laboratorio di cucito")
	want(search(directory.Query{Text: "àttività lavorativo"}), "Laboratorio di cucito")
	// The organisation's name is searched too.
	want(search(directory.Query{Text: "polisportiva"}), "Ginnastica dolce over 65", "Sport per tutti")
	// Renaming the organisation re-indexes its services.
	_, err := d.svc.UpdateOrganization(d.ctx, d.udp, o.ID, func(x *directory.Organization) error { x.Name = "Associazione Calcistica"; return nil })
	noError(t, err)
	want(search(directory.Query{Text: "polisportiva"}))
	want(search(directory.Query{Text: "calcistica"}), "Ginnastica dolce over 65", "Sport per tutti")
	// Filters: need by code or id, age, comune, day, free of charge.
	want(search(directory.Query{Need: "sport-tempo-libero"}), "Ginnastica dolce over 65", "Sport per tutti")
	want(search(directory.Query{Need: "9f13054c-70d8-5c7c-9ce6-ce9ff3097e57"}), "Laboratorio di cucito")
	want(search(directory.Query{Age: ptr(70)}), "Ginnastica dolce over 65", "Laboratorio di cucito", "Sport per tutti")
	want(search(directory.Query{Age: ptr(12)}), "Sport per tutti")
	want(search(directory.Query{Comune: "lumezzane"}), "Laboratorio di cucito", "Sport per tutti")
	want(search(directory.Query{Day: "giovedì"}), "Ginnastica dolce over 65")
	want(search(directory.Query{Day: "MO", Comune: "Lumezzane"}), "Sport per tutti")
	want(search(directory.Query{Free: true}), "Laboratorio di cucito", "Sport per tutti")
	want(search(directory.Query{Free: true, Text: "sport"}), "Sport per tutti")
	// Paged, with the total.
	var hits []directory.Hit
	var total int64
	hits, total, err = d.svc.Search(d.ctx, d.linkWorker, directory.Query{Page: directory.Page{Limit: 1, Offset: 1}})
	noError(t, err)
	if total != 3 || len(hits) != 1 || hits[0].Service.Name != "Laboratorio di cucito" {
		t.Errorf("page 2 of 1: %q of %d", names(hits), total)
	}
	// Who sees unpublished entries: the Ufficio di Piano, and the partner its own.
	// ("Sport per tutti" first: its need, Sport e tempo libero, matches too.)
	want(names(mustSearch(t, d, d.udp, "sportivo")), "Sport per tutti", "Bozza interna di attività sportiva", "Ginnastica dolce over 65")
	want(names(mustSearch(t, d, d.ponte, "sportivo")), "Sport per tutti", "Bozza interna di attività sportiva", "Ginnastica dolce over 65")
	want(names(mustSearch(t, d, d.aquilone, "sportivo")), "Sport per tutti", "Ginnastica dolce over 65")

	// The public pages act as a system actor: published entries only, by search or by id.
	public := actor.System("risorse")
	want(names(mustSearch(t, d, public, "sportivo")), "Sport per tutti", "Ginnastica dolce over 65")
	draft := mustSearch(t, d, d.udp, "bozza")[0].Service
	_, err = d.svc.Published(d.ctx, public, draft.ID)
	wantCode(t, err, apperr.NotFound)
	pub, n, err := d.svc.PublishedServices(d.ctx, public, directory.Page{})
	noError(t, err)
	if n != 4 || len(pub) != 4 { // the defunct one is published, though search leaves it out
		t.Errorf("published services: %d", n)
	}

	// Bad parameters name themselves.
	for field, q := range map[string]directory.Query{
		"need": {Need: "astrologia"}, "age": {Age: ptr(-1)}, "comune": {Comune: "Milano"}, "day": {Day: "festivo"},
	} {
		_, _, err := d.svc.Search(d.ctx, d.linkWorker, q)
		wantField(t, err, field)
	}
}

func mustSearch(t *testing.T, d *district, who actor.Actor, text string) []directory.Hit {
	t.Helper()
	hits, _, err := d.svc.Search(d.ctx, who, directory.Query{Text: text})
	noError(t, err)
	return hits
}

// The needs a service answers are words people search with: the swimming course says nothing
// of sport, yet "sportivo" finds it through its need "Sport e tempo libero"; when its needs
// change, so do the words that find it.
func TestTheNeedsOfAServiceAreSearchWords(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	o := d.org(t, "Piscina comunale", "")
	swim := d.service(t, o, "Corso di nuoto", at("Sarezzo"), func(r *directory.ServiceRecord) {
		r.Description = "In vasca con gli istruttori, il martedì sera"
		r.Attributes = []directory.Attribute{{TaxonomyTermID: "sport-tempo-libero"}}
	})
	found := func(words string) bool {
		t.Helper()
		return len(mustSearch(t, d, d.linkWorker, words)) == 1
	}
	if !found("sportivo") || !found("tempo libero") || found("cultura") {
		t.Errorf("with the need sport: sportivo %v, tempo libero %v, cultura %v", found("sportivo"), found("tempo libero"), found("cultura"))
	}
	_, err := d.svc.UpdateService(d.ctx, d.udp, swim.ID, func(r *directory.ServiceRecord) error {
		r.Attributes = []directory.Attribute{{TaxonomyTermID: "cultura"}}
		return nil
	})
	noError(t, err)
	if found("sportivo") || !found("cultura") {
		t.Errorf("with the need culture: sportivo %v, cultura %v", found("sportivo"), found("cultura"))
	}
}
