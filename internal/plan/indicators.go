package plan

import (
	"context"
	"regexp"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// indicatorFields are the indicator form's fields, in its order.
var indicatorFields = []string{"name", "kind", "unit", "position", "baseline", "target", "direction", "target_min", "target_max", "baseline_note", "binding"}

// validate checks an indicator's definition, every field at once in the form's order.
func (in *Indicator) validate() error {
	var ps problems
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		ps.add(apperr.Invalidf("name", "Indicare il nome dell'indicatore", "Enter the indicator's name"))
	case len(in.Name) > 500:
		ps.add(apperr.Invalidf("name", "Il nome è troppo lungo: al massimo 500 caratteri", "The name is too long: at most 500 characters"))
	}
	if !contains(IndicatorKinds, in.Kind) {
		ps.add(apperr.Invalidf("kind", "Scegliere il tipo di indicatore: processo, risultato, outcome o impatto", "Choose the indicator's kind: processo, risultato, outcome or impatto"))
	}
	if len(in.Unit) > 40 {
		ps.add(apperr.Invalidf("unit", "L'unità di misura è troppo lunga: al massimo 40 caratteri", "The unit is too long: at most 40 characters"))
	}
	ps.add(checkPosition(in.Position), checkDecimal("baseline", in.Baseline), checkDecimal("target", in.Target))
	ps.add(in.validateFigures(), in.validateDirection())
	ps.add(in.Binding.validate())
	return ps.err()
}

// objectiveForWrite loads the objective a change hangs from and checks who may change it.
func objectiveForWrite(tx *tenancy.Tx, actor Actor, objectiveID int64) (Objective, error) {
	o, err := findObjective(tx, objectiveID)
	if err != nil {
		return o, err
	}
	if !writesAnyObjective(actor) && !o.SocioSanitary {
		return o, errOnlyIntegrated
	}
	return o, nil
}

// indicatorForWrite loads an indicator whose definition is about to change, checks who may
// change it and returns the open amendment to record the change in (nil for a draft).
func indicatorForWrite(tx *tenancy.Tx, actor Actor, id int64) (Indicator, *int64, error) {
	in, err := findIndicator(tx, id)
	if err != nil {
		return in, nil, err
	}
	o, err := objectiveForWrite(tx, actor, in.ObjectiveID)
	if err != nil {
		return in, nil, err
	}
	amendment, err := contentGuard(tx, o.PlanID)
	return in, amendment, err
}

func findIndicator(tx *tenancy.Tx, id int64) (Indicator, error) {
	var is []Indicator
	if err := tx.Where("id = ?", id).Limit(1).Find(&is).Error; err != nil {
		return Indicator{}, err
	}
	if len(is) == 0 {
		return Indicator{}, errIndicatorNotFound
	}
	return is[0], nil
}

// CreateIndicator adds an indicator to an objective.
func (s *Service) CreateIndicator(ctx context.Context, actor Actor, objectiveID int64, in Indicator) (Indicator, error) {
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		o, err := objectiveForWrite(tx, actor, objectiveID)
		if err != nil {
			return err
		}
		amendment, err := contentGuard(tx, o.PlanID)
		if err != nil {
			return err
		}
		touched = o.PlanID
		in.ID, in.ObjectiveID, in.Latest, in.Progress, in.Bound = 0, objectiveID, nil, nil, nil
		var ps problems
		if ps.add(in.validate(), in.Binding.checkKnown(s.programmes)); ps.err() != nil {
			return ps.err()
		}
		if err := tx.Omit("created_at", "updated_at").Create(&in).Error; err != nil {
			return storeError(err, "indicatore")
		}
		return record(tx, amendment, actor, "indicator", in.ID, "create", nil, in)
	})
	return in, err
}

// UpdateIndicator applies edit to an indicator's definition.
func (s *Service) UpdateIndicator(ctx context.Context, actor Actor, id int64, edit Edit[Indicator]) (Indicator, error) {
	var in Indicator
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		var amendment *int64
		var err error
		if in, amendment, err = indicatorForWrite(tx, actor, id); err != nil {
			return err
		}
		before, snap := in, snapshot(in)
		if err := edit(&in); err != nil {
			return err
		}
		in.ID, in.ObjectiveID, in.Latest, in.Progress, in.Bound = before.ID, before.ObjectiveID, nil, nil, nil
		var ps problems
		if ps.add(in.validate(), in.Binding.checkKnown(s.programmes)); ps.err() != nil {
			return ps.err()
		}
		if err := tx.Model(&in).Where("id = ?", id).Select("position", "kind", "name", "unit", "baseline", "baseline_note", "target",
			"direction", "target_min", "target_max", "bound_programme", "bound_figure").Updates(&in).Error; err != nil {
			return storeError(err, "indicatore")
		}
		return record(tx, amendment, actor, "indicator", id, "update", snap, in)
	})
	return in, err
}

// DeleteIndicator removes an indicator and its measurements.
func (s *Service) DeleteIndicator(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *tenancy.Tx) error {
		in, amendment, err := indicatorForWrite(tx, actor, id)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Indicator{}).Error; err != nil {
			return storeError(err, "indicatore")
		}
		return record(tx, amendment, actor, "indicator", id, "delete", in, nil)
	})
}

var periodRE = regexp.MustCompile(`^[0-9]{4}(-(S[12]|Q[1-4]|0[1-9]|1[0-2]))?$`)

// MeasurementInput is a measured value.
type MeasurementInput struct {
	Period string   `json:"period"`
	Value  *float64 `json:"value"`
	Source string   `json:"source"`
	Note   string   `json:"note"`
}

// RecordMeasurement records (or corrects) the value of an indicator for a period. Monitoring:
// allowed while the plan is in force or closed.
func (s *Service) RecordMeasurement(ctx context.Context, actor Actor, indicatorID int64, in MeasurementInput) (Measurement, error) {
	if err := in.validate(); err != nil {
		return Measurement{}, err
	}
	var m Measurement
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		ind, err := findIndicator(tx, indicatorID)
		if err != nil {
			return err
		}
		if ind.Binding.Bound() {
			return errBoundMeasurement
		}
		o, err := objectiveForWrite(tx, actor, ind.ObjectiveID)
		if err != nil {
			return err
		}
		if err := monitoringGuard(tx, o.PlanID); err != nil {
			return err
		}
		touched = o.PlanID
		p, err := findPlan(tx, o.PlanID, false)
		if err != nil {
			return err
		}
		if err := in.validateFor(ind, p); err != nil {
			return err
		}
		prev, err := measurementAt(tx, indicatorID, in.Period)
		if err != nil {
			return err
		}
		if err := tx.Raw(`INSERT INTO measurements (indicator_id, period, value, source, note, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, now())
			ON CONFLICT (indicator_id, period) DO UPDATE
			SET value = excluded.value, source = excluded.source, note = excluded.note,
			    recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
			RETURNING *`, indicatorID, in.Period, *in.Value, in.Source, in.Note, actor.ID).Scan(&m).Error; err != nil {
			return err
		}
		return logRecorded(tx, actor, prev, m)
	})
	return m, err
}

// validate checks a measurement on its own and trims its texts.
func (in *MeasurementInput) validate() error {
	in.Period, in.Source, in.Note = strings.TrimSpace(in.Period), strings.TrimSpace(in.Source), strings.TrimSpace(in.Note)
	// Every refusal at once, so that the form shows them all.
	var errs []error
	errs = append(errs, checkDecimal("value", in.Value))
	if !periodRE.MatchString(in.Period) {
		errs = append(errs, periodError("period", in.Period))
	}
	if in.Value == nil {
		errs = append(errs, apperr.Invalidf("value", "Indicare il valore", "Enter the value"))
	}
	if len(in.Source) > 300 || len(in.Note) > 2000 {
		errs = append(errs, apperr.Invalidf("note", "La fonte o la nota è troppo lunga (al massimo 300 e 2.000 caratteri)", "The source or the note is too long (at most 300 and 2,000 characters)"))
	}
	return apperr.Join(errs...)
}

// validateFor checks a (validated) measurement against its indicator's unit and its plan's years.
func (in *MeasurementInput) validateFor(ind Indicator, p Plan) error {
	return apperr.Join(checkPeriodInPlan("period", in.Period, p), checkValueForUnit("value", ind.Unit, in.Value))
}

// measurementFields are the measurement form's fields, in its order.
var measurementFields = []string{"period", "value", "source", "note"}

// Measurements lists an indicator's values, oldest period first.
func (s *Service) Measurements(ctx context.Context, actor Actor, indicatorID int64) ([]Measurement, error) {
	var out []Measurement
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if _, err := findIndicator(tx, indicatorID); err != nil {
			return err
		}
		return tx.Where("indicator_id = ?", indicatorID).Order("period, recorded_at").Find(&out).Error
	})
	return out, err
}
