package plan_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// importer is who `ambiti demo load` imports as.
var importer = actor.New("import", "Importazione dai documenti del piano", "", "", nil, nil, nil)

// readImport decodes an import file as `ambiti demo load` does: unknown fields are errors.
func readImport(t *testing.T, file string) plan.ImportFile {
	t.Helper()
	b, err := os.ReadFile(file)
	noError(t, err)
	var f plan.ImportFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return f
}

func TestImportLoadsTheDemoDistrictOnceAndAgainChangesNothing(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	f := readImport(t, filepath.Join("..", "..", "deploy", "demo", "valle-trompia.yaml"))
	if len(f.Plans) == 0 || len(f.Partners) == 0 || len(f.Meetings) == 0 {
		t.Fatalf("the demo file holds %d plans, %d partners, %d meetings", len(f.Plans), len(f.Partners), len(f.Meetings))
	}
	objectives := 0
	for _, p := range f.Plans {
		objectives += len(p.Objectives)
	}

	rep, err := d.svc.Import(d.ctx, importer, f)
	noError(t, err)
	if rep.Plans != len(f.Plans) || rep.Objectives != objectives || rep.Partners != len(f.Partners) || rep.Meetings != len(f.Meetings) || len(rep.SkippedPlans) != 0 {
		t.Fatalf("first import = %+v, want %d plans, %d objectives, %d partners, %d meetings",
			rep, len(f.Plans), objectives, len(f.Partners), len(f.Meetings))
	}

	plans, _, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{Page: plan.Page{Limit: 100}})
	noError(t, err)
	byTitle := map[string]plan.Plan{}
	for _, p := range plans {
		byTitle[p.Title] = p
	}
	for _, ip := range f.Plans {
		p, ok := byTitle[ip.Title]
		if !ok || p.Status != ip.Status || p.StartYear != ip.StartYear || p.Version != 1 {
			t.Errorf("plan %q imported as %+v", ip.Title, p)
			continue
		}
		h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
		noError(t, err)
		if len(h.Transitions) != 1 || h.Transitions[0].ToStatus != string(ip.Status) || h.Transitions[0].ActorID != importer.ID {
			t.Errorf("history of %q = %+v, want one transition by the importer", ip.Title, h.Transitions)
		}
		dos, err := d.svc.Dossier(d.ctx, d.udp, p.ID)
		noError(t, err)
		if len(dos.Objectives) != len(ip.Objectives) {
			t.Errorf("%q: %d objectives, want %d", ip.Title, len(dos.Objectives), len(ip.Objectives))
			continue
		}
		for j, io := range ip.Objectives {
			od := dos.Objectives[j]
			if od.Title != io.Title || od.Position != j+1 || len(od.Indicators) != len(io.Indicators) ||
				len(od.Budget) != len(io.Budget) || len(od.Evaluations) != len(io.Evaluations) || len(od.Assignments) != len(io.Assignments) {
				t.Errorf("%q objective %d = %q with %d indicators, %d budget lines, %d evaluations, %d assignments; the file has %q with %d, %d, %d, %d",
					ip.Title, j, od.Title, len(od.Indicators), len(od.Budget), len(od.Evaluations), len(od.Assignments),
					io.Title, len(io.Indicators), len(io.Budget), len(io.Evaluations), len(io.Assignments))
			}
		}
	}

	again, err := d.svc.Import(d.ctx, importer, f)
	noError(t, err)
	titles := make([]string, len(f.Plans))
	for i, p := range f.Plans {
		titles[i] = p.Title
	}
	if again.Plans != 0 || again.Objectives != 0 || again.Partners != 0 || again.Meetings != 0 || !slices.Equal(again.SkippedPlans, titles) {
		t.Errorf("second import = %+v, want nothing new and %v skipped", again, titles)
	}
	if _, total, _ := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{}); total != int64(len(f.Plans)) {
		t.Errorf("%d plans after importing twice, want %d", total, len(f.Plans))
	}
	if _, total, _ := d.svc.Partners(d.ctx, d.udp, plan.Page{}); total != int64(len(f.Partners)) {
		t.Errorf("%d partners after importing twice, want %d", total, len(f.Partners))
	}
}

// smallImport is a plan of three objectives, the last with the given budget, and the pieces
// the importer shares with the service set by change.
func smallImport(budget []plan.ImportBudgetLine, change func(*plan.ImportObjective)) plan.ImportFile {
	o := plan.ImportObjective{Title: "Terzo", AreaCode: "C", Budget: budget}
	if change != nil {
		change(&o)
	}
	return plan.ImportFile{
		Partners: []plan.PartnerInput{{Code: "laquilone", Name: "Coop. L'Aquilone", Kind: "cooperativa"}},
		Plans: []plan.ImportPlan{{Title: "Piano importato", StartYear: 2021, EndYear: 2023, Status: plan.Approved,
			Objectives: []plan.ImportObjective{{Title: "Primo", AreaCode: "A"}, {Title: "Secondo", AreaCode: "B"}, o}}},
	}
}

// A line the service refuses, the importer refuses too, naming it by its place in the file,
// and the file is imported whole or not at all.
func TestImportRefusesWhatTheServiceRefusesAndWritesNothing(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano della prova")
	ok := plan.BudgetLineInput{Year: 2022, SourceCode: "FNPS", StanziatoCents: 100}
	okEUR := plan.ImportBudgetLine{Year: 2022, SourceCode: "FNPS", StanziatoEUR: 1}

	for _, c := range []struct {
		name   string
		api    plan.BudgetLineInput
		file   plan.ImportBudgetLine
		suffix string // the field after lines[1]. (API) and budget[1]. (file)
	}{
		{"paid beyond committed",
			plan.BudgetLineInput{Year: 2022, SourceCode: "FNA", ImpegnatoCents: 100, LiquidatoCents: 101},
			plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", ImpegnatoEUR: 1, LiquidatoEUR: 1.01}, "liquidato_cents"},
		{"unknown source",
			plan.BudgetLineInput{Year: 2022, SourceCode: "FONDO_INESISTENTE"},
			plan.ImportBudgetLine{Year: 2022, SourceCode: "FONDO_INESISTENTE"}, "source_code"},
		{"repeated line", ok, okEUR, "source_code"},
		{"year out of range",
			plan.BudgetLineInput{Year: 2101, SourceCode: "FNA"},
			plan.ImportBudgetLine{Year: 2101, SourceCode: "FNA"}, "year"},
	} {
		_, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{ok, c.api})
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field != "lines[1]."+c.suffix {
			t.Errorf("%s: the service says %v, want lines[1].%s", c.name, err, c.suffix)
		}
		_, err = d.svc.Import(d.ctx, importer, smallImport([]plan.ImportBudgetLine{okEUR, c.file}, nil))
		want := "plans[0].objectives[2].budget[1]." + c.suffix
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field != want {
			t.Errorf("%s: the importer says %v, want %s", c.name, err, want)
		}
	}

	// Amounts in a file are euros: what is not a whole cent, or negative, names the euro field.
	for _, c := range []struct {
		line  plan.ImportBudgetLine
		field string
	}{
		{plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", StanziatoEUR: 0.001}, "stanziato_eur"},
		{plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", ImpegnatoEUR: -1}, "impegnato_eur"},
		{plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", LiquidatoEUR: 2e9}, "liquidato_eur"},
		{plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", StanziatoEUR: math.NaN()}, "stanziato_eur"},
		{plan.ImportBudgetLine{Year: 2022, SourceCode: "FNA", StanziatoEUR: math.Inf(1)}, "stanziato_eur"},
	} {
		_, err := d.svc.Import(d.ctx, importer, smallImport([]plan.ImportBudgetLine{okEUR, c.line}, nil))
		wantField(t, err, "plans[0].objectives[2].budget[1]."+c.field)
	}

	// Measurements, evaluations and assignments meet the service's checks as well.
	for _, c := range []struct {
		change func(*plan.ImportObjective)
		field  string
	}{
		{func(o *plan.ImportObjective) {
			o.Indicators = []plan.ImportIndicator{{Kind: plan.Result, Name: "Utenti", Measurements: []plan.MeasurementImport{{Period: "2022", Value: 1}, {Period: "2022-13", Value: 2}}}}
		}, "indicators[0].measurements[1].period"},
		{func(o *plan.ImportObjective) { o.Indicators = []plan.ImportIndicator{{Kind: "altro", Name: "Utenti"}} }, "indicators[0].kind"},
		{func(o *plan.ImportObjective) {
			o.Evaluations = []plan.ImportEvaluation{{Year: 2022, AchievementPct: ptr(150)}}
		}, "evaluations[0].achievement_pct"},
		{func(o *plan.ImportObjective) {
			o.Assignments = []plan.ImportAssignment{{Partner: "laquilone", Activity: " "}}
		}, "assignments[0].activity"},
		{func(o *plan.ImportObjective) {
			o.Assignments = []plan.ImportAssignment{{Partner: "ignota", Activity: "CSE"}}
		}, "assignments[0].partner"},
		{func(o *plan.ImportObjective) { o.ItemCode = "1" }, "item_code"},
	} {
		_, err := d.svc.Import(d.ctx, importer, smallImport([]plan.ImportBudgetLine{okEUR}, c.change))
		wantField(t, err, "plans[0].objectives[2]."+c.field)
	}
	_, err := d.svc.Import(d.ctx, importer, plan.ImportFile{Plans: []plan.ImportPlan{{Title: "P", StartYear: 2021, EndYear: 2023, Status: "vigente"}}})
	wantField(t, err, "plans[0].status")

	// Nothing of the refused files was written: not the plan, not the objectives before the
	// bad one, not the partner.
	plans, total, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{Page: plan.Page{Limit: 10}})
	noError(t, err)
	if total != 1 || plans[0].ID != p.ID {
		t.Errorf("plans after refused imports: %+v", plans)
	}
	if _, total, _ := d.svc.Partners(d.ctx, d.udp, plan.Page{}); total != 0 {
		t.Errorf("%d partners written by refused imports", total)
	}

	// The same file, corrected, imports.
	rep, err := d.svc.Import(d.ctx, importer, smallImport([]plan.ImportBudgetLine{okEUR, {Year: 2022, SourceCode: "FNA", StanziatoEUR: 10.5, ImpegnatoEUR: 2, LiquidatoEUR: 1}}, nil))
	noError(t, err)
	if rep.Plans != 1 || rep.Objectives != 3 || rep.Partners != 1 {
		t.Errorf("corrected import = %+v", rep)
	}
}
