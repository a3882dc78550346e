package pathway

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// anxietyFromAge is the age from which the ONS anxiety item is asked: the ONS guidance for
// children leaves it out below 16.
const anxietyFromAge = 16

// The ONS4 items: the JSON name of each and its sealed column, in the questionnaire's order.
var ons4Items = []struct{ field, column string }{
	{"life_satisfaction", "life_satisfaction_enc"},
	{"worthwhile", "worthwhile_enc"},
	{"happiness", "happiness_enc"},
	{"anxiety", "anxiety_enc"},
}

func (m *ONS4) items() []**int {
	return []**int{&m.LifeSatisfaction, &m.Worthwhile, &m.Happiness, &m.Anxiety}
}

// AddONS4 records one ONS4 measurement: four items, each a whole number 0–10, stored (and
// sealed) apart and never summed. Anxiety is required from 16 years of age at measured_on and
// must be absent below (Invalid "anxiety"). The baseline is taken once per pathway (Conflict,
// "occasion"); a programme that does not measure ONS4 refuses it (Conflict, "programme").
func (s *Service) AddONS4(ctx context.Context, a actor.Actor, pathwayID string, in ONS4) (ONS4, error) {
	var out ONS4
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if !t.prog.Measures("ons4") {
			e := apperr.New(apperr.Conflict, "il programma non misura il benessere con l'ONS4", "the programme does not measure ONS4")
			return e.WithField("programme")
		}
		if err := ses.checkONS4(t, &in); err != nil {
			return err
		}
		cols := make([][]byte, len(ons4Items))
		for i, v := range in.items() {
			if *v == nil {
				continue
			}
			if cols[i], err = ses.seal(t, ons4Items[i].column, strconv.Itoa(**v)); err != nil {
				return err
			}
		}
		in.ID, in.PathwayID = uuid.NewString(), t.ID
		err = ses.Exec(`INSERT INTO outcome_measures (id, pathway_id, instrument, occasion, measured_on, life_satisfaction_enc,
			worthwhile_enc, happiness_enc, anxiety_enc, recorded_by, created_at) VALUES (?, ?, 'ons4', ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID, t.ID, in.Occasion, in.MeasuredOn, cols[0], cols[1], cols[2], cols[3], a.ID, s.now()).Error
		if err != nil {
			return recordError(err, "misura ONS4")
		}
		out = in
		return ses.recorded(t, "outcome", "ons4", "create", in.ID, in.Occasion)
	})
	return out, err
}

// checkONS4 validates a measurement: occasion, date, the four items and the anxiety rule.
func (s *session) checkONS4(t recordTarget, in *ONS4) error {
	if err := recOneOf("occasion", in.Occasion, "baseline", "follow_up", "chiusura"); err != nil {
		return err
	}
	var err error
	if in.MeasuredOn, err = s.recDay("measured_on", in.MeasuredOn, true, true); err != nil {
		return err
	}
	age, known, err := s.ageOn(t, in.MeasuredOn)
	if err != nil {
		return err
	}
	child := known && age < anxietyFromAge
	for i, v := range in.items() {
		f := ons4Items[i].field
		switch {
		case f == "anxiety" && child && *v != nil:
			return apperr.Invalidf(f, "sotto i %d anni la domanda sull'ansia non si pone", "the anxiety item is not asked under %d", anxietyFromAge)
		case f == "anxiety" && child:
		case *v == nil:
			return apperr.Invalidf(f, "risposta obbligatoria: un numero intero da 0 a 10", "answer required: a whole number from 0 to 10")
		case **v < 0 || **v > 10:
			return apperr.Invalidf(f, "un numero intero da 0 a 10", "a whole number from 0 to 10")
		}
	}
	if in.Occasion == "baseline" {
		var n int64
		if err := s.Raw(`SELECT count(*) FROM outcome_measures WHERE pathway_id = ? AND instrument = 'ons4' AND occasion = 'baseline'`,
			t.ID).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			e := apperr.New(apperr.Conflict, "la misura iniziale (baseline) del percorso è già registrata",
				"the pathway's baseline is already recorded")
			return e.WithField("occasion")
		}
	}
	return nil
}

// ageOn is the person's age in whole years on day, from their sealed date of birth; known is
// false when it was not recorded (then the adult questionnaire applies). Reading it is an
// access to the person's data, audited.
func (s *session) ageOn(t recordTarget, day string) (age int, known bool, err error) {
	var rows []struct{ BirthDateEnc []byte }
	if err := s.Raw(`SELECT birth_date_enc FROM persons WHERE id = ?`, t.PersonID).Scan(&rows).Error; err != nil {
		return 0, false, err
	}
	if len(rows) == 0 || len(rows[0].BirthDateEnc) == 0 {
		return 0, false, nil
	}
	plain, err := s.keys.Open(t.PersonID, "birth_date_enc", rows[0].BirthDateEnc)
	if err != nil {
		return 0, false, err
	}
	s.Audit(tenancy.Access{Subject: t.PersonID, What: "persona", Action: "read", Detail: "birth_date"})
	born, err1 := time.Parse(time.DateOnly, plain)
	on, err2 := time.Parse(time.DateOnly, day)
	if err1 != nil || err2 != nil {
		return 0, false, nil
	}
	age = on.Year() - born.Year()
	if on.Month() < born.Month() || (on.Month() == born.Month() && on.Day() < born.Day()) {
		age--
	}
	return age, true, nil
}

// outcomeRow is an outcome_measures row.
type outcomeRow struct {
	ID                  string
	Occasion            string
	MeasuredOn          string
	LifeSatisfactionEnc []byte
	WorthwhileEnc       []byte
	HappinessEnc        []byte
	AnxietyEnc          []byte
}

// outcomes reads the pathway's ONS4 measurements, decrypted, oldest first.
func (s *session) outcomes(p Pathway) ([]ONS4, error) {
	var rows []outcomeRow
	if err := s.Raw(`SELECT id::text, occasion, measured_on::text AS measured_on, life_satisfaction_enc, worthwhile_enc,
		happiness_enc, anxiety_enc FROM outcome_measures WHERE pathway_id = ? AND instrument = 'ons4'
		ORDER BY measured_on, created_at`, p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]ONS4, 0, len(rows))
	for _, r := range rows {
		m := ONS4{ID: r.ID, PathwayID: p.ID, Occasion: r.Occasion, MeasuredOn: r.MeasuredOn}
		sealed := [][]byte{r.LifeSatisfactionEnc, r.WorthwhileEnc, r.HappinessEnc, r.AnxietyEnc}
		for i, v := range m.items() {
			if len(sealed[i]) == 0 {
				continue
			}
			plain, err := s.keys.Open(p.PersonID, ons4Items[i].column, sealed[i])
			if err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(plain)
			if err != nil {
				return nil, fmt.Errorf("pathway: ons4 %s: %w", r.ID, err)
			}
			*v = &n
		}
		out = append(out, m)
	}
	return out, nil
}
