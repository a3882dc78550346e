package pathway

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// The kinds and statuses of an activity; a concluded or refused one has ended.
const (
	activityOwn      = "attivita"
	activityReferral = "invio"

	activityProposed = "proposta"
	activityUnderway = "in_corso"
	activityDone     = "conclusa"
	activityRefused  = "rifiutata"
)

var errActivityNotFound = apperr.New(apperr.NotFound, "attività non trovata", "activity not found")

func activityEnded(status string) bool { return status == activityDone || status == activityRefused }

// AddActivity records an activity or a referral (invio). A referral names a published service
// of the district's directory (service_id), whose name is kept with it, so that the history
// stays readable if the service is withdrawn later. Invalid (Field) for a bad kind, status,
// service, description or dates.
func (s *Service) AddActivity(ctx context.Context, a actor.Actor, pathwayID string, in Activity) (Activity, error) {
	var out Activity
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if in.Status == "" {
			in.Status = activityProposed
		}
		if err := recOneOf("kind", in.Kind, activityOwn, activityReferral); err != nil {
			return err
		}
		if in.ServiceName, err = ses.referredService(in.Kind, in.ServiceID); err != nil {
			return err
		}
		if err := ses.checkActivity(&in); err != nil {
			return err
		}
		sealed, err := ses.seal(t, "description_enc", in.Description)
		if err != nil {
			return err
		}
		in.ID, in.PathwayID = uuid.NewString(), t.ID
		err = ses.Exec(`INSERT INTO activities (id, pathway_id, kind, service_id, service_name, description_enc, status,
			started_on, ended_on, created_by, created_at)
			VALUES (?, ?, ?, NULLIF(?, '')::uuid, ?, ?, ?, ?, NULLIF(?, '')::date, ?, ?)`,
			in.ID, t.ID, in.Kind, in.ServiceID, in.ServiceName, sealed, in.Status, in.StartedOn, in.EndedOn, a.ID, s.now()).Error
		if err != nil {
			return recordError(err, "attività")
		}
		out = in
		return ses.recorded(t, "activity", "attivita", "create", in.ID, in.Kind+" "+in.Status)
	})
	return out, err
}

// UpdateActivity moves an activity on (status, end date) or rewords its description: the
// fields given (not empty) replace the activity's. Its kind and service stay what they were
// (Invalid if the body tries to change them); an ended activity keeps its status.
func (s *Service) UpdateActivity(ctx context.Context, a actor.Actor, pathwayID, activityID string, in Activity) (Activity, error) {
	var out Activity
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if err := recID(activityID, errActivityNotFound); err != nil {
			return err
		}
		cur, err := ses.activity(t.Pathway, activityID)
		if err != nil {
			return err
		}
		switch {
		case in.Kind != "" && in.Kind != cur.Kind:
			return apperr.Invalidf("kind", "il tipo di un'attività non cambia", "an activity's kind does not change")
		case in.ServiceID != "" && in.ServiceID != cur.ServiceID:
			return apperr.Invalidf("service_id", "il servizio di un invio non cambia: registrare un nuovo invio", "a referral's service does not change: record a new one")
		case in.ServiceName != "" && in.ServiceName != cur.ServiceName:
			return apperr.Invalidf("service_name", "il servizio di un invio non cambia", "a referral's service does not change")
		}
		next := cur
		if in.Description != "" {
			next.Description = in.Description
		}
		if in.StartedOn != "" {
			next.StartedOn = in.StartedOn
		}
		if in.EndedOn != "" {
			next.EndedOn = in.EndedOn
		}
		if in.Status != "" && in.Status != cur.Status {
			if activityEnded(cur.Status) {
				return apperr.Invalidf("status", "un'attività conclusa o rifiutata non cambia più stato", "a concluded or refused activity keeps its status")
			}
			next.Status = in.Status
		}
		if err := ses.checkActivity(&next); err != nil {
			return err
		}
		sealed, err := ses.seal(t, "description_enc", next.Description)
		if err != nil {
			return err
		}
		err = ses.Exec(`UPDATE activities SET description_enc = ?, status = ?, started_on = ?, ended_on = NULLIF(?, '')::date
			WHERE id = ? AND pathway_id = ?`, sealed, next.Status, next.StartedOn, next.EndedOn, activityID, t.ID).Error
		if err != nil {
			return recordError(err, "attività")
		}
		out = next
		return ses.recorded(t, "activity", "attivita", "update", activityID, next.Status)
	})
	return out, err
}

// referredService returns the name of the directory's published service id: required for a
// referral, optional (a place where the activity happens) otherwise. The directory is another
// room's table, read here only for a published service's name (no personal data).
func (s *session) referredService(kind, id string) (string, error) {
	if id == "" {
		if kind == activityReferral {
			return "", apperr.Invalidf("service_id", "un invio indica il servizio della rete a cui si invia", "a referral names the service of the directory")
		}
		return "", nil
	}
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return "", apperr.Invalidf("service_id", "identificativo del servizio non valido", "invalid service id")
	}
	var names []string
	if err := s.Raw(`SELECT name FROM services WHERE id = ? AND published`, id).Scan(&names).Error; err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "", apperr.Invalidf("service_id", "servizio non presente tra le risorse pubblicate del distretto",
			"not a published service of the district's directory")
	}
	return names[0], nil
}

// checkActivity validates an activity as it will be stored (kind and service already checked).
func (s *session) checkActivity(in *Activity) error {
	var err error
	if err := recOneOf("status", in.Status, activityProposed, activityUnderway, activityDone, activityRefused); err != nil {
		return err
	}
	if in.Description, err = recText("description", in.Description, in.Kind == activityOwn, 4000); err != nil {
		return err
	}
	if in.StartedOn, err = s.recDay("started_on", in.StartedOn, true, true); err != nil {
		return err
	}
	if in.EndedOn, err = s.recDay("ended_on", in.EndedOn, in.Status == activityDone, true); err != nil {
		return err
	}
	if in.EndedOn != "" && !activityEnded(in.Status) {
		return apperr.Invalidf("ended_on", "solo un'attività conclusa o rifiutata ha una data di fine",
			"only a concluded or refused activity has an end date")
	}
	return recNotBefore("ended_on", in.EndedOn, in.StartedOn)
}

// activityRow is an activities row.
type activityRow struct {
	ID             string
	Kind           string
	ServiceID      string
	ServiceName    string
	DescriptionEnc []byte
	Status         string
	StartedOn      string
	EndedOn        string
	CreatedAt      time.Time
}

const activityColumns = `SELECT id::text, kind, COALESCE(service_id::text, '') AS service_id, service_name, description_enc,
	status, started_on::text AS started_on, COALESCE(ended_on::text, '') AS ended_on, created_at FROM activities`

func (s *session) activity(p Pathway, id string) (Activity, error) {
	var rows []activityRow
	if err := s.Raw(activityColumns+` WHERE id = ? AND pathway_id = ?`, id, p.ID).Scan(&rows).Error; err != nil {
		return Activity{}, err
	}
	if len(rows) == 0 {
		return Activity{}, errActivityNotFound
	}
	return s.openActivity(p, rows[0])
}

// activities reads the pathway's activities and referrals, decrypted, oldest first.
func (s *session) activities(p Pathway) ([]Activity, error) {
	var rows []activityRow
	if err := s.Raw(activityColumns+` WHERE pathway_id = ? ORDER BY started_on, created_at`, p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Activity, 0, len(rows))
	for _, r := range rows {
		x, err := s.openActivity(p, r)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func (s *session) openActivity(p Pathway, r activityRow) (Activity, error) {
	d, err := s.keys.Open(p.PersonID, "description_enc", r.DescriptionEnc)
	if err != nil {
		return Activity{}, err
	}
	return Activity{ID: r.ID, PathwayID: p.ID, Kind: r.Kind, ServiceID: r.ServiceID, ServiceName: r.ServiceName,
		Description: d, Status: r.Status, StartedOn: r.StartedOn, EndedOn: r.EndedOn}, nil
}
