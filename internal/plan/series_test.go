package plan_test

import (
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
)

func TestSortPeriodsRunsForwardInTime(t *testing.T) {
	t.Parallel()
	var ms []plan.Measurement
	for _, p := range []string{"2025", "2024-S2", "2024-12", "2024-Q3", "2024", "2024-01", "2024-S1", "2024-Q1"} {
		ms = append(ms, plan.Measurement{Period: p})
	}
	var got []string
	for _, m := range plan.SortPeriods(ms) {
		got = append(got, m.Period)
	}
	if want := "2024 2024-S1 2024-Q1 2024-01 2024-S2 2024-Q3 2024-12 2025"; strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}

// TestObjectiveDetailCarriesEachIndicatorsWholeSeries: the objective sheet (and the dossier the
// workbook is written from) holds every period's value with source and note, not only the last.
func TestObjectiveDetailCarriesEachIndicatorsWholeSeries(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, o := d.approved("Piano con serie")
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Accessi", Unit: "n.", Target: ptr(30.0)})
	if err == nil {
		t.Fatal("an approved plan took an indicator without an amendment")
	}
	p2, o2 := d.draft("Piano in bozza")
	in, err = d.svc.CreateIndicator(d.ctx, d.udp, o2.ID, plan.Indicator{Kind: plan.Result, Name: "Accessi", Unit: "n.", Target: ptr(30.0)})
	noError(t, err)
	for _, m := range []plan.MeasurementInput{
		{Period: "2025", Value: ptr(22.0), Source: "Registro accessi", Note: "dopo l'apertura"},
		{Period: "2024", Value: ptr(10.0), Source: "Registro accessi"},
		{Period: "2024-S1", Value: ptr(4.0)},
	} {
		_, err := d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, m)
		noError(t, err)
	}
	det, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o2.ID)
	noError(t, err)
	s := det.Indicators[0].Series
	if len(s) != 3 || s[0].Period != "2024" || s[1].Period != "2024-S1" || s[2].Period != "2025" ||
		s[2].Source != "Registro accessi" || s[2].Note != "dopo l'apertura" || s[2].Value != 22 {
		t.Errorf("series = %+v", s)
	}
	dos, err := d.svc.Dossier(d.ctx, d.udp, p2.ID)
	noError(t, err)
	if got := len(dos.Objectives[0].Indicators[0].Series); got != 3 {
		t.Errorf("the dossier's series has %d values", got)
	}
}
