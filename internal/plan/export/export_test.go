package export_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/pdftest"

	"github.com/xuri/excelize/v2"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/plan/export"
)

func ptr[T any](v T) *T { return &v }

// The labels every esiti sheet must show, verbatim.
var labels = []string{
	"GRADO DI RAGGIUNGIMENTO DELL'OBIETTIVO RISPETTO A CIÒ CHE È STATO DEFINITO NELLA PROGRAMMAZIONE",
	"VALUTAZIONE DA PARTE DEGLI UTENTI (OVE PERTINENTE)",
	"LIVELLO DI COINCIDENZA TRA RISORSE STANZIATE E RISORSE IMPEGNATE/LIQUIDATE",
	"CRITICITÀ RILEVATE",
	"QUESTO OBIETTIVO HA ADEGUATAMENTE RISPOSTO AD UN BISOGNO PRODUCENDO UN CAMBIAMENTO POSITIVO NELL'AREA INDIVIDUATA COME PROBLEMATICA?",
	"L'OBIETTIVO ERA IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE?",
	"L'OBIETTIVO VERRÀ RIPROPOSTO NELLA PROSSIMA PROGRAMMAZIONE?",
}

var objectiveHeader = []string{
	"N.", "Area", "Scheda", "Titolo", "Descrizione", "Innovativo/Continuità", "Target",
	"Integrazione sociosanitaria", "Trasversale", "Co-progettato", "Risorse economiche preventivate",
	"Stanziato €", "Impegnato €", "Liquidato €", "% impegnato su stanziato", "% liquidato su stanziato",
	"Grado di raggiungimento % (ultima valutazione)", "Riproposto",
}

const (
	title1  = "Attività di prossimità e qualità per i preadolescenti"
	title2  = "Sostegno educativo domiciliare: è più qualità"
	title3  = "Città più accessibili: progettualità per l'autonomia"
	accents = "À È É Ì Ò Ù à è é ì ò ù, fino a 1.500 €"
)

// longIssues is longer than a table row may be, so that the PDF splits it.
var longIssues = strings.Repeat("I bandi comunali sono usciti in ritardo e le famiglie hanno presentato meno domande del previsto. ", 16) +
	"\nSecondo paragrafo: la rete dei trasporti resta la criticità principale."

func dossier() plan.Dossier {
	now := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	return plan.Dossier{
		District: plan.DistrictInfo{Slug: "valle-trompia", Name: "Ambito distrettuale Valle Trompia", LeadBody: "Comunità Montana di Valle Trompia", Region: "Lombardia"},
		Plan:     plan.Plan{ID: 1, Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023, Status: plan.Approved, Version: 2},
		FundingSources: []plan.FundingSource{
			{Code: "FNPS", Name: "Fondo Nazionale Politiche Sociali", Position: 1},
			{Code: "FSR", Name: "Fondo Sociale Regionale", Position: 2},
			{Code: "FP", Name: "Fondo Povertà", Position: 3},
		},
		Objectives: []plan.ObjectiveDetail{
			{
				Objective: plan.Objective{
					ID: 11, PlanID: 1, Position: 1, Title: title1,
					Description: "Potenziare le competenze sociali e relazionali dei preadolescenti come strategia preventiva dei comportamenti a rischio, " +
						"attraverso attività di prossimità nei luoghi di aggregazione, il lavoro con gli adulti significativi e la qualità degli interventi educativi. " +
						strings.Repeat("Il progetto coinvolge scuole, oratori e associazioni sportive del territorio. ", 6) + "FRASE-OLTRE-IL-LIMITE",
					AreaCode: "G", ItemCode: ptr("G.1"), Marker: plan.Continuing, Target: "Preadolescenti 11-14 anni e loro famiglie",
					EconomicResources: "FNPS € 150.000 annui", Transversal: true, TransversalAreas: "Interventi per la famiglia",
					SocioSanitary: true, ContinuityPrevious: true, CoDesigned: true, CoDesignPartners: "Cooperativa La Fonte; Istituti comprensivi",
				},
				AreaName: "Politiche giovanili e per i minori", ItemName: "Preadolescenti",
				Indicators: []plan.Indicator{
					{ID: 1, ObjectiveID: 11, Position: 1, Kind: plan.Process, Name: "N. di gruppi di preadolescenti attivati", Unit: "N.",
						Baseline: ptr(2.0), Target: ptr(10.0), Latest: &plan.Measurement{Period: "2022", Value: 6}, Progress: ptr(50.0),
						Series: []plan.Measurement{{Period: "2021", Value: 4, Source: "Registro", Note: "primo anno"}, {Period: "2022", Value: 6}}},
					{ID: 2, ObjectiveID: 11, Position: 2, Kind: plan.Result, Name: "% di preadolescenti che completano il percorso", Unit: "%",
						Direction: plan.Lower, Target: ptr(80.0), Latest: &plan.Measurement{Period: "2023-S1", Value: 60}, Progress: ptr(75.0)},
				},
				Budget: []plan.BudgetLine{
					{ObjectiveID: 11, Year: 2022, SourceCode: "FNPS", StanziatoCents: 15000017, ImpegnatoCents: 15000017, LiquidatoCents: 12000000},
					{ObjectiveID: 11, Year: 2022, SourceCode: "FSR", StanziatoCents: 5000000, ImpegnatoCents: 5000000, LiquidatoCents: 4000000},
					{ObjectiveID: 11, Year: 2023, SourceCode: "FNPS", StanziatoCents: 10000017, ImpegnatoCents: 8000000, LiquidatoCents: 4200000, Note: "seconda tranche"},
				},
				// Out of order on purpose: the exports sort by year.
				Evaluations: []plan.Evaluation{
					{ObjectiveID: 11, Year: 2023, AchievementPct: ptr(90), UserEvaluation: "non_effettuata", ResourceMatchPct: ptr(67),
						NeedMet: "si", ContinuityPrevious: ptr(true), ProposedAgain: ptr(false), ProposedAgainNote: "confluisce nell'obiettivo Giovani", UpdatedAt: now},
					{ObjectiveID: 11, Year: 2022, AchievementPct: ptr(100),
						UserEvaluation: "si", UserEvaluationNote: "questionari di gradimento positivi (92% di soddisfatti)",
						ResourceMatchPct: ptr(93), ResourceMatchNote: "economie sul Fondo Sociale Regionale",
						Issues:  "Rallentamenti dovuti all'emergenza sanitaria; difficoltà nel coinvolgimento delle famiglie.",
						NeedMet: "in_parte", NeedMetNote: "cambiamento più evidente nei comuni più piccoli",
						ContinuityPrevious: ptr(true), ContinuityNote: "prosecuzione del progetto Preadolescenti 2018-2020",
						ProposedAgain: ptr(true), ProposedAgainNote: "perché il processo va continuamente alimentato", UpdatedAt: now},
				},
			},
			{
				Objective: plan.Objective{
					ID: 12, PlanID: 1, Position: 2, Title: title2, AreaCode: "G", Marker: plan.Innovative,
					Description: "Interventi educativi a domicilio per i nuclei con minori. ➢ Obiettivo innovativo.",
				},
				AreaName: "Politiche giovanili e per i minori",
				Budget: []plan.BudgetLine{
					{ObjectiveID: 12, Year: 2022, SourceCode: "FSR", StanziatoCents: 2500050, ImpegnatoCents: 2000000, LiquidatoCents: 1000000},
				},
			},
			{
				Objective: plan.Objective{
					ID: 13, PlanID: 1, Position: 3, Title: title3, AreaCode: "J",
					Description: "Contributi per l'adattamento domestico e la mobilità: " + accents + ".",
					Target:      "+18 anni con disabilità", EconomicResources: "FNA B2 € 200.000 nel triennio",
				},
				AreaName: "Interventi a favore di persone con disabilità",
				Indicators: []plan.Indicator{
					{ID: 3, ObjectiveID: 13, Kind: plan.Outcome, Name: "N. di abitazioni adattate", Unit: "N.", Target: ptr(40.0),
						Direction: plan.Range, TargetMin: ptr(30.0), TargetMax: ptr(50.5)},
				},
				Budget: []plan.BudgetLine{
					{ObjectiveID: 13, Year: 2023, SourceCode: "FNPS", StanziatoCents: 1234567},
				},
				Evaluations: []plan.Evaluation{
					{ObjectiveID: 13, Year: 2022, AchievementPct: ptr(60), UserEvaluation: "non_pertinente", ResourceMatchPct: ptr(34),
						Issues: "Ritardi nei bandi comunali.", NeedMet: "parzialmente", ContinuityPrevious: ptr(false), ProposedAgain: ptr(true)},
					{ObjectiveID: 13, Year: 2023, UserEvaluation: "non_attivata", Issues: longIssues, NeedMet: "no"},
				},
			},
		},
	}
}

func TestXLSX(t *testing.T) {
	d := dossier()
	var buf bytes.Buffer
	if err := export.XLSX(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if got, want := f.GetSheetList(), []string{"Obiettivi", "Indicatori", "Serie", "Budget", "Valutazione"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	raw := excelize.Options{RawCellValue: true}
	cell := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref, raw)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	number := func(sheet, ref string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(cell(sheet, ref), 64)
		if err != nil {
			t.Fatalf("%s!%s: %v", sheet, ref, err)
		}
		return v
	}
	format := func(sheet, ref string) string {
		t.Helper()
		id, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil {
			t.Fatalf("%s!%s: no number format (%v)", sheet, ref, err)
		}
		return *st.CustomNumFmt
	}

	// Obiettivi
	rows, err := f.GetRows("Obiettivi")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], objectiveHeader) {
		t.Errorf("Obiettivi header = %q", rows[0])
	}
	if len(rows) != 4 {
		t.Errorf("Obiettivi has %d rows, want header + 3", len(rows))
	}
	for ref, want := range map[string]string{
		"A2": "1", "B2": "G – Politiche giovanili e per i minori", "C2": "G.1 – Preadolescenti", "D2": title1,
		"F2": "In continuità", "H2": "Sì", "I2": "Sì – Interventi per la famiglia",
		"J2": "Sì – Cooperativa La Fonte; Istituti comprensivi", "K2": "FNPS € 150.000 annui",
		"Q2": "90", "R2": "No", // the latest evaluation is 2023's
		"F3": "Innovativo", "H3": "No", "Q3": "", "R3": "",
		"D4": title3, "G4": "+18 anni con disabilità", "Q4": "", "R4": "",
	} {
		if got := cell("Obiettivi", ref); got != want {
			t.Errorf("Obiettivi!%s = %q, want %q", ref, got, want)
		}
	}
	var sum int64
	for _, l := range d.Objectives[0].Budget {
		sum += l.StanziatoCents
	}
	if got, want := number("Obiettivi", "L2"), float64(sum)/100; got != want || got != 300000.34 {
		t.Errorf("stanziato of objective 1 = %v, want %v (300000.34)", got, want)
	}
	if got := number("Obiettivi", "M2"); got != 280000.17 {
		t.Errorf("impegnato of objective 1 = %v, want 280000.17", got)
	}
	if got := number("Obiettivi", "O2"); got != 93.3 {
		t.Errorf("%% impegnato of objective 1 = %v, want 93.3", got)
	}
	if got := number("Obiettivi", "P2"); got != 67.3 {
		t.Errorf("%% liquidato of objective 1 = %v, want 67.3", got)
	}
	if got := format("Obiettivi", "L2"); got != `#,##0.00 "€"` {
		t.Errorf("euro format = %q", got)
	}
	if got := format("Obiettivi", "O2"); got != "0.0" {
		t.Errorf("percent format = %q", got)
	}

	// Indicatori
	for ref, want := range map[string]string{
		"B2": title1, "C2": "Processo", "D2": "N. di gruppi di preadolescenti attivati", "E2": "N.",
		"F2": "2", "H2": "10", "I2": "6", "J2": "2022", "K2": "50",
		"C3": "Risultato", "F3": "", "J3": "2023-S1", "K3": "75",
		"A4": "3", "C4": "Outcome", "I4": "", "K4": "",
	} {
		if got := cell("Indicatori", ref); got != want {
			t.Errorf("Indicatori!%s = %q, want %q", ref, got, want)
		}
	}

	// Serie: every measurement, period by period, with source and note.
	for ref, want := range map[string]string{
		"C2": "N. di gruppi di preadolescenti attivati", "E2": "2021", "F2": "4", "G2": "Registro", "H2": "primo anno", "I2": "10",
		"E3": "2022", "F3": "6", "A4": "",
	} {
		if got := cell("Serie", ref); got != want {
			t.Errorf("Serie!%s = %q, want %q", ref, got, want)
		}
	}

	// Budget: the lines, then the totals per funding source and the grand total.
	budget, err := f.GetRows("Budget")
	if err != nil {
		t.Fatal(err)
	}
	if got := budget[0][3]; got != "Fonte di finanziamento" {
		t.Errorf("Budget!D1 = %q", got)
	}
	for ref, want := range map[string]string{
		"B2": title1, "C2": "2022", "D2": "Fondo Nazionale Politiche Sociali", "E2": "150000.17", "H2": "100", "I2": "80",
		"D3": "Fondo Sociale Regionale", "K4": "seconda tranche", "D6": "Fondo Nazionale Politiche Sociali", "H6": "0", "J6": "",
	} {
		if got := cell("Budget", ref); got != want {
			t.Errorf("Budget!%s = %q, want %q", ref, got, want)
		}
	}
	totals := map[string]int{}
	for i, r := range budget {
		if i > 6 && len(r) > 3 && r[3] != "" {
			totals[r[3]] = i + 1
		}
	}
	for name, want := range map[string]float64{
		"Fondo Nazionale Politiche Sociali": 262346.01, // 150000.17 + 100000.17 + 12345.67
		"Fondo Sociale Regionale":           75000.50,
		"Totale generale":                   337346.51,
	} {
		r, ok := totals[name]
		if !ok {
			t.Errorf("Budget: no totals row %q (rows %q)", name, budget)
			continue
		}
		if got := number("Budget", "E"+strconv.Itoa(r)); got != want {
			t.Errorf("Budget: stanziato of %q = %v, want %v", name, got, want)
		}
	}
	if _, ok := totals["Fondo Povertà"]; ok {
		t.Error("Budget: a totals row for a source without lines")
	}

	// Valutazione: the seven labels as headers, one row per objective and year.
	eval, err := f.GetRows("Valutazione")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labels {
		if !slices.Contains(eval[0], l) {
			t.Errorf("Valutazione header lacks %q", l)
		}
	}
	for ref, want := range map[string]string{
		"B2": title1, "C2": "2022", "D2": "100",
		"E2": "Sì – questionari di gradimento positivi (92% di soddisfatti)",
		"F2": "93", "G2": "economie sul Fondo Sociale Regionale",
		"H2": "Rallentamenti dovuti all'emergenza sanitaria; difficoltà nel coinvolgimento delle famiglie.",
		"I2": "In parte – cambiamento più evidente nei comuni più piccoli",
		"J2": "Sì – prosecuzione del progetto Preadolescenti 2018-2020",
		"K2": "Sì – perché il processo va continuamente alimentato",
		"C3": "2023", "E3": "Valutazione non effettuata", "H3": "Nessuna.", "I3": "Sì", "K3": "No – confluisce nell'obiettivo Giovani",
		"B4": title2, "C4": "", "D4": "Valutazione non ancora compilata",
		"E5": "Non pertinente", "I5": "Parzialmente", "J5": "No",
		"D6": "", "E6": "Non attivata", "I6": "No", "J6": "Non indicato",
	} {
		if got := cell("Valutazione", ref); got != want {
			t.Errorf("Valutazione!%s = %q, want %q", ref, got, want)
		}
	}
	if got := format("Valutazione", "D2"); got != `0"%"` {
		t.Errorf("achievement format = %q", got)
	}
	// The exports must not reorder the caller's data.
	if d.Objectives[0].Evaluations[0].Year != 2023 {
		t.Error("XLSX reordered the dossier's evaluations")
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := export.CSV(&buf, dossier()); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatal("no UTF-8 BOM")
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Error("lines do not end with CRLF")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want header + 3", len(recs))
	}
	if !slices.Equal(recs[0], objectiveHeader) {
		t.Errorf("header = %q", recs[0])
	}
	col := func(rec []string, name string) string {
		t.Helper()
		i := slices.Index(objectiveHeader, name)
		if i < 0 || i >= len(rec) {
			t.Fatalf("no column %q", name)
		}
		return rec[i]
	}
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{1, "N.", "1"},
		{1, "Titolo", title1},
		{1, "Area", "G – Politiche giovanili e per i minori"},
		{1, "Innovativo/Continuità", "In continuità"},
		{1, "Integrazione sociosanitaria", "Sì"},
		{1, "Stanziato €", "300.000,34"},
		{1, "Impegnato €", "280.000,17"},
		{1, "Liquidato €", "202.000,00"},
		{1, "% impegnato su stanziato", "93,3"},
		{1, "% liquidato su stanziato", "67,3"},
		{1, "Grado di raggiungimento % (ultima valutazione)", "90"},
		{1, "Riproposto", "No"},
		{2, "Titolo", title2},
		{2, "Stanziato €", "25.000,50"},
		{2, "% liquidato su stanziato", "40,0"},
		{2, "Grado di raggiungimento % (ultima valutazione)", ""},
		{3, "Titolo", title3},
		{3, "Descrizione", "Contributi per l'adattamento domestico e la mobilità: " + accents + "."},
		{3, "Target", "'+18 anni con disabilità"}, // not a formula when opened
		{3, "Stanziato €", "12.345,67"},
		{3, "Impegnato €", "0,00"},
		{3, "% impegnato su stanziato", "0,0"},
	} {
		if got := col(recs[c.row], c.col); got != c.want {
			t.Errorf("row %d %s = %q, want %q", c.row, c.col, got, c.want)
		}
	}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestEsitiPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := export.EsitiPDF(&buf, dossier()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	raw, pages := pdftest.Text(t, buf.Bytes())
	text := collapse(raw)
	t.Logf("%d pages, %d characters of text", pages, len(text))

	want := append([]string{
		"Esiti della programmazione — Piano di Zona 2021-2023",
		"Ambito distrettuale Valle Trompia",
		"Ente capofila: Comunità Montana di Valle Trompia",
		"AREA POLITICHE GIOVANILI E PER I MINORI",
		"AREA INTERVENTI A FAVORE DI PERSONE CON DISABILITÀ",
		title1, title2, title3,
		accents,
		"100%",
		"Sì – questionari di gradimento positivi (92% di soddisfatti)",
		"93% – economie sul Fondo Sociale Regionale",
		"In parte – cambiamento più evidente nei comuni più piccoli",
		"Sì – perché il processo va continuamente alimentato",
		"No – confluisce nell'obiettivo Giovani",
		"Valutazione non effettuata", "Non pertinente", "Non attivata", "Parzialmente",
		"Nessuna.",
		labels[0] + " Non indicato", // 2023 of objective 3 has no percentage
		"Valutazione non ancora compilata",
		"» Obiettivo innovativo.", // ➢ is not in the core fonts' cp1252: folded, not a "."
		"Secondo paragrafo: la rete dei trasporti resta la criticità principale.",
		"Pagina 1 di " + strconv.Itoa(pages),
		"Pagina " + strconv.Itoa(pages) + " di " + strconv.Itoa(pages),
	}, labels...)
	for _, s := range want {
		if !strings.Contains(text, collapse(s)) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
	if strings.Contains(text, "FRASE-OLTRE-IL-LIMITE") {
		t.Error("the description is not cut at 400 characters")
	}
	// One sheet per objective and year, in year order, areas in plan order.
	for _, pair := range [][2]string{
		{"AREA POLITICHE GIOVANILI", title1},
		{"Anno 2022", "Anno 2023"},
		{title2, "AREA INTERVENTI A FAVORE"},
	} {
		if i, j := strings.Index(text, pair[0]), strings.Index(text, pair[1]); i < 0 || j < 0 || i > j {
			t.Errorf("%q should come before %q", pair[0], pair[1])
		}
	}
	if n := strings.Count(text, collapse(labels[0])); n != 4 {
		t.Errorf("%d evaluation sheets, want 4 (2 + 0 + 2)", n)
	}
}

func TestFilename(t *testing.T) {
	d := dossier()
	for kind, want := range map[string]string{
		"pdf":  "valle-trompia_piano-di-zona-2021-2023_esiti.pdf",
		"xlsx": "valle-trompia_piano-di-zona-2021-2023.xlsx",
		"csv":  "valle-trompia_piano-di-zona-2021-2023_obiettivi.csv",
	} {
		if got := export.Filename(d, kind); got != want {
			t.Errorf("Filename(%s) = %q, want %q", kind, got, want)
		}
	}

	safe := regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*\.(pdf|xlsx|csv|bin)$`)
	odd := plan.Dossier{
		District: plan.DistrictInfo{Name: "Ambito Sud-Est / Città di Trento"},
		Plan:     plan.Plan{Title: `Piano d'Ambito: Zona "Più" Bella\..`, StartYear: 2024, EndYear: 2026},
	}
	for _, kind := range []string{"pdf", "xlsx", "csv", "../PDF", ""} {
		got := export.Filename(odd, kind)
		if !safe.MatchString(got) || strings.Contains(got, "..") {
			t.Errorf("Filename(%q) = %q is not safe", kind, got)
		}
		if kind == "pdf" && got != "ambito-sud-est-citta-di-trento_piano-d-ambito-zona-piu-bella-2024-2026_esiti.pdf" {
			t.Errorf("Filename(pdf) = %q", got)
		}
	}
	if got := export.Filename(plan.Dossier{}, "csv"); got != "piano-di-zona_obiettivi.csv" {
		t.Errorf("Filename of an empty dossier = %q", got)
	}
}
