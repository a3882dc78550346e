package pathway

import (
	"context"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// AddMeeting records a meeting or follow-up contact; its notes are sealed. next_follow_up,
// when given (today or later), becomes the pathway's next follow-up, which drives the
// caseload's "da sentire questa settimana". Invalid (Field) for a bad date, kind or text.
func (s *Service) AddMeeting(ctx context.Context, a actor.Actor, pathwayID string, in Meeting) (Meeting, error) {
	var out Meeting
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if in.HeldOn, err = ses.recDay("held_on", in.HeldOn, true, true); err != nil {
			return err
		}
		if err := recOneOf("kind", in.Kind, "incontro", "telefonata", "follow_up", "visita"); err != nil {
			return err
		}
		if in.Notes, err = recText("notes", in.Notes, false, 10000); err != nil {
			return err
		}
		if in.NextFollowUp, err = ses.recDay("next_follow_up", in.NextFollowUp, false, false); err != nil {
			return err
		}
		if in.NextFollowUp != "" && in.NextFollowUp < s.today().Format("2006-01-02") {
			return apperr.Invalidf("next_follow_up", "il prossimo contatto è oggi o più avanti", "the next follow-up is today or later")
		}
		sealed, err := ses.seal(t, "notes_enc", in.Notes)
		if err != nil {
			return err
		}
		in.ID, in.PathwayID, in.RecordedByName = uuid.NewString(), t.ID, a.Name
		err = ses.Exec(`INSERT INTO pathway_meetings (id, pathway_id, held_on, kind, notes_enc, recorded_by, recorded_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.ID, t.ID, in.HeldOn, in.Kind, sealed, a.ID, a.Name, s.now()).Error
		if err != nil {
			return recordError(err, "incontro")
		}
		if in.NextFollowUp != "" {
			if err := ses.Exec(`UPDATE pathways SET next_follow_up = ?, updated_at = ? WHERE id = ?`,
				in.NextFollowUp, s.now(), t.ID).Error; err != nil {
				return recordError(err, "percorso")
			}
		}
		out = in
		return ses.recorded(t, "meeting", "incontro", "create", in.ID, in.Kind)
	})
	return out, err
}

// meetingRow is a pathway_meetings row.
type meetingRow struct {
	ID             string
	HeldOn         string
	Kind           string
	NotesEnc       []byte
	RecordedByName string
}

// meetings reads the pathway's meetings, decrypted, newest first.
func (s *session) meetings(p Pathway) ([]Meeting, error) {
	var rows []meetingRow
	if err := s.Raw(`SELECT id::text, held_on::text AS held_on, kind, notes_enc, recorded_by_name FROM pathway_meetings
		WHERE pathway_id = ? ORDER BY held_on DESC, created_at DESC`, p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Meeting, 0, len(rows))
	for _, r := range rows {
		notes, err := s.keys.Open(p.PersonID, "notes_enc", r.NotesEnc)
		if err != nil {
			return nil, err
		}
		out = append(out, Meeting{ID: r.ID, PathwayID: p.ID, HeldOn: r.HeldOn, Kind: r.Kind, Notes: notes,
			RecordedByName: r.RecordedByName})
	}
	return out, nil
}
