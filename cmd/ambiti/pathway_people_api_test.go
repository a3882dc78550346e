package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/pathway"
)

// People and pathways through HTTP: a link worker opens a COPE pathway (201), bad input names
// its field, a duplicate codice fiscale is 409; the coordinator sees it and reassigns; the
// Ufficio di Piano reads only the aggregates; the Assemblea is refused.
func TestPathwayPeopleThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const vt, v = "valle-trompia", "/api/v1"
	lw, coord := e.as("link_worker."+vt, vt), e.as("coordinatore."+vt, vt)
	udp, assemblea := e.as("udp."+vt, vt), e.as("assemblea."+vt, vt)

	cf := "RSSGLI05A41B157"
	cf += string(pathway.CFControl(cf))
	person := map[string]any{"given_name": "Giulia", "family_name": "Di Prova", "codice_fiscale": cf,
		"birth_date": time.Now().AddDate(-19, 0, 0).Format(time.DateOnly), "municipality": "Bovezzo"}
	open := map[string]any{"person": person, "programme": "cope", "source": "scuola",
		"engaged_on": time.Now().Format(time.DateOnly), "neet_start": "nessuno", "notice_version": "2026-01"}

	lw.fails("POST", v+"/pathways", `{"programme": "cope", "colour": "red"}`, http.StatusBadRequest, "colour")
	person["codice_fiscale"] = "RSSGLI05A41B157Z"
	lw.fails("POST", v+"/pathways", open, http.StatusBadRequest, "person.codice_fiscale")
	person["codice_fiscale"] = cf
	var p pathway.Pathway
	if r := lw.do("POST", v+"/pathways", open); r.status != http.StatusCreated {
		t.Fatalf("open: %d %s", r.status, r.body)
	} else {
		r.json(t, &p)
	}
	lw.fails("POST", v+"/pathways", open, http.StatusConflict, "person.codice_fiscale")

	var list struct {
		Items []pathway.CaseloadItem
		Total int
	}
	lw.ok("GET", v+"/pathways", nil, &list)
	if list.Total != 1 || list.Items[0].PersonName != "Giulia Di Prova" {
		t.Errorf("caseload = %+v", list)
	}
	lw.ok("POST", v+"/pathways/"+p.ID+"/stage", map[string]any{"stage": "abbinamento", "version": p.Version}, &p)
	lw.fails("POST", v+"/pathways/"+p.ID+"/stage", map[string]any{"stage": "valutazione", "version": 1}, http.StatusConflict, "version")
	var d pathway.Detail
	coord.ok("GET", v+"/pathways/"+p.ID, nil, &d)
	if d.Person.CodiceFisc != cf || d.Pathway.Stage != "abbinamento" {
		t.Errorf("coordinator's detail = %+v", d)
	}
	lw.ok("PATCH", v+"/persons/"+p.PersonID, map[string]any{"language": "pt"}, nil)
	var who pathway.Person
	lw.ok("GET", v+"/persons/"+p.PersonID, nil, &who)
	if who.Language != "pt" || who.GivenName != "Giulia" {
		t.Errorf("patched person = %+v", who)
	}
	lw.fails("POST", v+"/persons/"+p.PersonID+"/consents", map[string]any{"purpose": "condivisione", "given": true, "notice_version": "1"},
		http.StatusBadRequest, "party")
	lw.ok("POST", v+"/persons/"+p.PersonID+"/consents", map[string]any{"purpose": "ricerca", "given": true, "notice_version": "1"}, nil)
	coord.ok("GET", v+"/workers", nil, nil)
	var stats map[string]any
	udp.ok("GET", v+"/pathways-stats", nil, &stats)
	udp.fails("GET", v+"/pathways/"+p.ID, nil, http.StatusForbidden, "")
	assemblea.fails("GET", v+"/pathways", nil, http.StatusForbidden, "")
	assemblea.fails("GET", v+"/persons/"+p.PersonID, nil, http.StatusForbidden, "")
}
