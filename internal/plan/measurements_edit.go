package plan

import (
	"context"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var errMeasurementNotFound = apperr.New(apperr.NotFound, "misurazione non trovata", "measurement not found")

// measurementForWrite loads a measurement about to be corrected or deleted and checks that
// whoever acts may record its indicator's values now (monitoring: not while the Assemblea
// examines the plan). Measurements are monitoring, not the plan's content: in an approved
// plan they are corrected without an amendment, and every correction goes into the log.
func measurementForWrite(tx *tenancy.Tx, actor Actor, id int64) (Measurement, error) {
	var ms []Measurement
	if err := tx.Where("id = ?", id).Limit(1).Find(&ms).Error; err != nil {
		return Measurement{}, err
	}
	if len(ms) == 0 {
		return Measurement{}, errMeasurementNotFound
	}
	ind, err := findIndicator(tx, ms[0].IndicatorID)
	if err != nil {
		return ms[0], err
	}
	if ind.Binding.Bound() {
		return ms[0], errBoundMeasurement
	}
	o, err := objectiveForWrite(tx, actor, ind.ObjectiveID)
	if err != nil {
		return ms[0], err
	}
	return ms[0], monitoringGuard(tx, o.PlanID)
}

// Measurement returns one measurement.
func (s *Service) Measurement(ctx context.Context, actor Actor, id int64) (Measurement, error) {
	var m Measurement
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		var ms []Measurement
		if err := tx.Where("id = ?", id).Limit(1).Find(&ms).Error; err != nil {
			return err
		}
		if len(ms) == 0 {
			return errMeasurementNotFound
		}
		m = ms[0]
		return nil
	})
	return m, err
}

// CorrectMeasurement applies edit to a recorded value: its period, value, source or note. A
// period another value of the indicator already holds is refused (correct that one instead).
func (s *Service) CorrectMeasurement(ctx context.Context, actor Actor, id int64, edit Edit[MeasurementInput]) (Measurement, error) {
	var m Measurement
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		before, err := measurementForWrite(tx, actor, id)
		if err != nil {
			return err
		}
		v := before.Value
		in := MeasurementInput{Period: before.Period, Value: &v, Source: before.Source, Note: before.Note}
		if err := edit(&in); err != nil {
			return err
		}
		var ps problems
		if ps.add(in.validate()); !ps.has("period") || !ps.has("value") {
			if err := correctionFits(tx, before.IndicatorID, &in, &ps); err != nil {
				return err
			}
		}
		if err := ps.err(); err != nil {
			return err
		}
		var taken int64
		if err := tx.Model(&Measurement{}).Where("indicator_id = ? AND period = ? AND id <> ?", before.IndicatorID, in.Period, id).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return apperr.Invalidf("period", "C'è già un valore per il periodo %s: correggere quello", "There is already a value for period %s: correct that one", in.Period)
		}
		m = before
		m.Period, m.Value, m.Source, m.Note, m.RecordedBy = in.Period, *in.Value, in.Source, in.Note, actor.ID
		if err := tx.Model(&m).Where("id = ?", id).Select("period", "value", "source", "note", "recorded_by").Updates(&m).Error; err != nil {
			return storeError(err, "misurazione")
		}
		return logChange(tx, nil, actor, "measurement", id, "update", before, m)
	})
	return m, err
}

// DeleteMeasurement removes a recorded value, keeping it in the plan's log.
func (s *Service) DeleteMeasurement(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *tenancy.Tx) error {
		m, err := measurementForWrite(tx, actor, id)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Measurement{}).Error; err != nil {
			return storeError(err, "misurazione")
		}
		return logChange(tx, nil, actor, "measurement", id, "delete", m, nil)
	})
}

// measurementAt is the value already recorded for an indicator's period, if any: recording
// the same period again corrects it, and the log keeps what it was.
func measurementAt(tx *tenancy.Tx, indicatorID int64, period string) (*Measurement, error) {
	var ms []Measurement
	if err := tx.Where("indicator_id = ? AND period = ?", indicatorID, period).Limit(1).Find(&ms).Error; err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, nil
	}
	return &ms[0], nil
}

// logRecorded logs a recorded value: a new one, or the correction of the period's value.
func logRecorded(tx *tenancy.Tx, actor Actor, prev *Measurement, m Measurement) error {
	if prev == nil {
		return logChange(tx, nil, actor, "measurement", m.ID, "create", nil, m)
	}
	return logChange(tx, nil, actor, "measurement", m.ID, "update", *prev, m)
}

// correctionFits holds a corrected value to what a new one must respect, the plan's years and
// the indicator's unit, adding its refusals to ps; the error is a failure to read them.
func correctionFits(tx *tenancy.Tx, indicatorID int64, in *MeasurementInput, ps *problems) error {
	ind, err := findIndicator(tx, indicatorID)
	if err != nil {
		return err
	}
	o, err := findObjective(tx, ind.ObjectiveID)
	if err != nil {
		return err
	}
	p, err := findPlan(tx, o.PlanID, false)
	if err != nil {
		return err
	}
	ps.add(in.validateFor(ind, p))
	return nil
}
