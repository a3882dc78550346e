package plan_test

import (
	"fmt"
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// BenchmarkObjectivesList is the API's objectives list as the store reads it, on a plan of 37
// objectives (the demo's largest): "batch" is Service.Objectives (one round trip, pgx
// decoding into the typed struct), "tx" the read it replaced, kept here as the baseline (a
// GORM transaction: BEGIN, set_config, the plan, count(*), SELECT *, COMMIT). Each reports
// its round trips per read.
func BenchmarkObjectivesList(b *testing.B) {
	d, ctx, who := benchDistrict(b)
	scope := tenancy.NewScope(d)
	svc := plan.NewService(scope, nil)
	p, err := svc.CreatePlan(ctx, who, plan.PlanInput{Title: "Piano di Zona 2024-2026", StartYear: 2024, EndYear: 2026})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 37 {
		o := plan.Objective{Title: fmt.Sprintf("Obiettivo %d", i+1), AreaCode: "A", Description: "Un testo lungo quanto una scheda: bisogni, target, modalità, risultati attesi.",
			Needs: "Bisogni rilevati nel territorio", ExpectedResults: "Più persone raggiunte", Target: "Famiglie"}
		if _, err := svc.CreateObjective(ctx, who, p.ID, o); err != nil {
			b.Fatal(err)
		}
	}
	f := plan.ObjectiveFilter{Page: plan.Page{Limit: 100}}
	run := func(b *testing.B, read func() (int, error)) {
		before := d.RoundTrips()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			n, err := read()
			if err != nil || n != 37 {
				b.Fatalf("%d objectives, %v", n, err)
			}
		}
		b.ReportMetric(float64(d.RoundTrips()-before)/float64(b.N), "round-trips/op")
	}
	b.Run("batch", func(b *testing.B) {
		run(b, func() (int, error) {
			os, _, err := svc.Objectives(ctx, who, p.ID, f)
			return len(os), err
		})
	})
	b.Run("tx", func(b *testing.B) {
		run(b, func() (int, error) {
			var os []plan.Objective
			err := scope.Tx(ctx, who, func(tx *tenancy.Tx) error {
				var ps []plan.Plan
				if err := tx.Raw(`SELECT * FROM plans WHERE id = ?`, p.ID).Scan(&ps).Error; err != nil {
					return err
				}
				var total int64
				q := tx.Model(&plan.Objective{}).Where("plan_id = ?", p.ID)
				if err := q.Count(&total).Error; err != nil {
					return err
				}
				return q.Order("position, id").Limit(f.Limit).Offset(f.Offset).Find(&os).Error
			})
			return len(os), err
		})
	})
}
