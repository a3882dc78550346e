package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

func TestPathwaysRetentionCommand(t *testing.T) {
	t.Parallel()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx := context.Background()
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A COPE pathway closed six years ago (retention 5) in Valle Trompia, one closed last year.
	for _, x := range ts {
		if x.Slug != "valle-trompia" {
			continue
		}
		err := tenancy.NewScope(d).TxFor(ctx, x, actor.System("retention-test"), func(tx *tenancy.Tx) error {
			for _, closed := range []time.Time{time.Now().AddDate(-6, 0, 0), time.Now().AddDate(-1, 0, 0)} {
				var id string
				if err := tx.Raw("INSERT INTO persons (created_by) VALUES ('test') RETURNING id").Row().Scan(&id); err != nil {
					return err
				}
				if err := tx.Exec(`INSERT INTO pathways (person_id, programme, stage, engaged_on, closed_on, closure_reason)
					VALUES (?, 'cope', 'chiusura', '2018-01-01', ?, 'altro')`, id, closed.Format(time.DateOnly)).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"DATABASE_URL": url, "AMBITI_MASTER_KEY": testMasterKey}
	out, err := ambiti(t, env, "pathways", "retention", "--district", "valle-trompia")
	if err != nil || !strings.Contains(out, "valle-trompia: 1 percorsi anonimizzati / anonymised") || strings.Contains(out, "trento") {
		t.Errorf("retention: %v\n%s", err, out)
	}
	out, err = ambiti(t, env, "pathways", "retention")
	if err != nil || !strings.Contains(out, "valle-trompia: 0 percorsi") || !strings.Contains(out, "trento: 0 percorsi") {
		t.Errorf("retention again, every district: %v\n%s", err, out)
	}
	if _, err := ambiti(t, env, "pathways", "retention", "--district", "nowhere"); err == nil {
		t.Error("retention of an unknown district succeeded")
	}
}
