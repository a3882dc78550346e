package pathway_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/web"
)

// page calls the room's page route "METHOD path" as a, with the path's parameters and a form
// body (nil for none), and answers the status and the HTML.
func (x *refDistrict) page(t *testing.T, a actor.Actor, method, path string, params map[string]string, form url.Values) (int, string) {
	t.Helper()
	w, err := web.New(web.Deps{}, pathway.Pages(x.svc))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range w.Routes() {
		if r.Method != method || r.Path != path {
			continue
		}
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req := httptest.NewRequest(method, "/", body).WithContext(actor.With(x.ctx, a))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		c := echo.New().NewContext(req, rec)
		var names, values []string
		for k, v := range params {
			names, values = append(names, k), append(values, v)
		}
		c.SetParamNames(names...)
		c.SetParamValues(values...)
		if err := r.Handler(c); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return rec.Code, rec.Body.String()
	}
	t.Fatalf("no page %s %s", method, path)
	return 0, ""
}

// renderInbox renders an inbox page as a (the list, or one referral when id is given).
func (x *refDistrict) renderInbox(t *testing.T, a actor.Actor, path, id string) string {
	t.Helper()
	params := map[string]string{}
	if id != "" {
		params["id"] = id
	}
	code, html := x.page(t, a, http.MethodGet, path, params, nil)
	if code != http.StatusOK {
		t.Fatalf("%s: %d", path, code)
	}
	return html
}

// The inbox pages show the referral and nothing of the person beyond what was shared; the
// pathway page answers a referral without consent with a 409 that says what is missing and
// links to the consent form; the DPO's page lists the overrides.
func TestReferralPages(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Giulia", "Rossi", roomCF("RSSGLI04A41B157"))
	_, err := x.svc.AddAssessment(x.ctx, x.lw1, p.ID, pathway.Assessment{Domain: "casa", AssessedOn: roomToday(), Level: 2,
		Notes: "Segreto della valutazione"})
	roomNoError(t, err)

	// Without consent: 409 on the pathway page, the message and the link to the consents.
	form := url.Values{"referral-service_id": {x.alfaSvc}, "referral-urgency": {"ordinaria"},
		"referral-reason": {"Laboratorio manuale"}, "referral-shared": {"nome", "fascia_eta", "motivo"},
		"referral-contact_preference": {"tramite_link_worker"}}
	code, html := x.page(t, x.lw1, http.MethodPost, "/percorsi/:id/invii", map[string]string{"id": p.ID}, form)
	if code != http.StatusConflict || !strings.Contains(html, "manca il consenso della persona alla condivisione con Cooperativa Alfa") ||
		!strings.Contains(html, `href="#consent-form"`) {
		t.Fatalf("without consent: %d %.3000s", code, html)
	}
	// The consent form offers the directory's organisations; recording one lets the referral go.
	if !strings.Contains(html, `value="`+refAlfaCode+`"`) || !strings.Contains(html, "Oratorio Gamma") {
		t.Error("the consent form does not offer the directory's organisations")
	}
	code, _ = x.page(t, x.lw1, http.MethodPost, "/percorsi/:id/consensi", map[string]string{"id": p.ID}, url.Values{
		"person_id": {p.PersonID}, "consent-purpose": {"condivisione"}, "consent-party": {refAlfaCode},
		"consent-given": {"si"}, "consent-notice_version": {"2026-01"}})
	if code != http.StatusSeeOther {
		t.Fatalf("consent: %d", code)
	}
	code, _ = x.page(t, x.lw1, http.MethodPost, "/percorsi/:id/invii", map[string]string{"id": p.ID}, form)
	if code != http.StatusSeeOther {
		t.Fatalf("with consent: %d", code)
	}
	code, html = x.page(t, x.coord, http.MethodGet, "/percorsi/:id", map[string]string{"id": p.ID}, nil)
	if code != http.StatusOK || !strings.Contains(html, "Invii alla rete") || !strings.Contains(html, "Laboratorio di falegnameria") ||
		!strings.Contains(html, "Deroga urgente (72 ore)") || !strings.Contains(html, "Cooperativa Alfa") {
		t.Fatalf("pathway page: %d", code)
	}

	// The inbox: the referral, and nothing else of the person.
	list, err := x.svc.Inbox(x.ctx, x.alfa, pathway.InboxFilter{})
	roomNoError(t, err)
	if len(list) != 1 {
		t.Fatalf("inbox = %+v", list)
	}
	html = x.renderInbox(t, x.alfa, "/invii", "") + x.renderInbox(t, x.alfa, "/invii/:id", list[0].ID)
	for _, s := range []string{"Rossi", "RSSGLI04A41B157", "Segreto della valutazione", p.ID, p.PersonID} {
		if strings.Contains(html, s) {
			t.Errorf("the inbox page holds %q", s)
		}
	}
	if !strings.Contains(html, "Giulia") || !strings.Contains(html, "Laboratorio di falegnameria") || !strings.Contains(html, "18-24") {
		t.Errorf("the inbox page lacks the referral: %.3000s", html)
	}
	// Accept from the page; a refusal without reason is shown again with the error.
	code, _ = x.page(t, x.alfa, http.MethodPost, "/invii/:id/rifiuta", map[string]string{"id": list[0].ID}, url.Values{"version": {"1"}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("refusal without reason: %d", code)
	}
	code, _ = x.page(t, x.alfa, http.MethodPost, "/invii/:id/accetta", map[string]string{"id": list[0].ID}, url.Values{"version": {"1"}})
	if code != http.StatusSeeOther {
		t.Errorf("accept: %d", code)
	}
	if html = x.renderInbox(t, x.alfa, "/invii/:id", list[0].ID); !strings.Contains(html, "Accettato") || !strings.Contains(html, "conclude-form") {
		t.Errorf("accepted referral's page: %.2000s", html)
	}

	// The DPO's list of overrides.
	_, err = x.svc.GrantOverride(x.ctx, x.coord, p.PersonID, pathway.OverrideInput{Party: refBetaCode, Reason: "Rischio immediato documentato"})
	roomNoError(t, err)
	code, html = x.page(t, x.dpo, http.MethodGet, "/dpo/deroghe", nil, nil)
	if code != http.StatusOK || !strings.Contains(html, "Rischio immediato documentato") || !strings.Contains(html, "Associazione Beta") {
		t.Errorf("DPO's overrides page: %d %.2000s", code, html)
	}
}

// The API: bodies bound strictly, the step routes refuse who is on neither side before
// reading the body, and the inbox answers the minimum view.
func TestReferralAPI(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Giulia", "Rossi", "")
	x.share(t, x.lw1, p.PersonID, refAlfaCode, true)
	routes := pathway.NewAPI(x.svc).Routes()
	call := func(a actor.Actor, method, path, id, body string) (int, string) {
		t.Helper()
		for _, r := range routes {
			if r.Method != method || r.Path != path {
				continue
			}
			req := httptest.NewRequest(method, "/", strings.NewReader(body)).WithContext(actor.With(x.ctx, a))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(req, rec)
			c.SetParamNames("id")
			c.SetParamValues(id)
			if err := r.Handler(c); err != nil {
				e, ok := apperr.As(err)
				if !ok {
					t.Fatalf("%s %s: %v", method, path, err)
				}
				return map[apperr.Code]int{apperr.Invalid: 400, apperr.NotFound: 404, apperr.Conflict: 409, apperr.Forbidden: 403}[e.Code], e.Field
			}
			return rec.Code, rec.Body.String()
		}
		t.Fatalf("no route %s %s", method, path)
		return 0, ""
	}
	const send = "/api/v1/pathways/:id/referrals"
	if code, field := call(x.lw1, "POST", send, p.ID, `{"service_id":"`+x.alfaSvc+`","reason":"x","mood":"ok"}`); code != 400 || field != "mood" {
		t.Errorf("unknown field: %d %q", code, field)
	}
	code, body := call(x.lw1, "POST", send, p.ID, `{"service_id":"`+x.alfaSvc+`","urgency":"urgente","reason":"Laboratorio","contact_preference":"di_persona"}`)
	if code != http.StatusCreated {
		t.Fatalf("send: %d %s", code, body)
	}
	var ref pathway.Referral
	if err := json.Unmarshal([]byte(body), &ref); err != nil {
		t.Fatal(err)
	}
	if code, _ := call(x.udp, "POST", "/api/v1/referrals/:id/accept", ref.ID, `not json`); code != 403 {
		t.Errorf("udp accepting: %d, want 403", code)
	}
	code, body = call(x.alfa, "GET", "/api/v1/referrals/inbox", "", "")
	if code != http.StatusOK || !strings.Contains(body, ref.ID) || strings.Contains(body, "Rossi") || strings.Contains(body, p.ID) {
		t.Errorf("inbox: %d %s", code, body)
	}
	if code, _ := call(x.beta, "GET", "/api/v1/referrals/:id", ref.ID, ""); code != 404 {
		t.Errorf("another organisation's referral: %d, want 404", code)
	}
	if code, body := call(x.alfa, "POST", "/api/v1/referrals/:id/accept", ref.ID, `{"version":1}`); code != 200 || strings.Contains(body, p.ID) {
		t.Errorf("accept: %d %s", code, body)
	}
}
