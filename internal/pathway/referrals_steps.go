package pathway

import (
	"context"
	"slices"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The steps of a referral after it is sent: inviato → accettato | rifiutato | annullato;
// accettato → concluso | annullato; the others are final. The receiving organisation's users
// accept, refuse and conclude; when the organisation has no users here (partner_code ''), the
// sender's side records those steps for it. Only the sender's side cancels.

// ReferralStepInput is the body of a step: the version the actor saw; the reason of a refusal
// or a cancellation; the outcome (and an optional note) of a conclusion.
type ReferralStepInput struct {
	Version int    `json:"version"`
	Reason  string `json:"reason,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Note    string `json:"note,omitempty"`
}

// nextSteps are the statuses each status may move to.
var nextSteps = map[string][]string{
	refSent:     {refAccepted, refRefused, refCancelled},
	refAccepted: {refConcluded, refCancelled},
}

var errReferralVersion = apperr.New(apperr.Conflict,
	"l'invio è stato aggiornato da qualcun altro nel frattempo: ricaricare la pagina e riprovare",
	"the referral was changed by someone else meanwhile: reload and try again").WithField("version")

// AcceptReferral records that the organisation takes the person on.
func (s *Service) AcceptReferral(ctx context.Context, a actor.Actor, id string, in ReferralStepInput) (Referral, error) {
	return s.referralStep(ctx, a, id, refAccepted, in)
}

// RefuseReferral records that the organisation cannot take the person on, with the reason.
func (s *Service) RefuseReferral(ctx context.Context, a actor.Actor, id string, in ReferralStepInput) (Referral, error) {
	return s.referralStep(ctx, a, id, refRefused, in)
}

// ConcludeReferral records how an accepted referral went (outcome), with an optional note.
func (s *Service) ConcludeReferral(ctx context.Context, a actor.Actor, id string, in ReferralStepInput) (Referral, error) {
	return s.referralStep(ctx, a, id, refConcluded, in)
}

// CancelReferral withdraws a referral not yet ended (the sender's side), with the reason.
func (s *Service) CancelReferral(ctx context.Context, a actor.Actor, id string, in ReferralStepInput) (Referral, error) {
	return s.referralStep(ctx, a, id, refCancelled, in)
}

// MayTakeReferralSteps reports whether the actor may take some step of a referral (the inbox,
// or the sender's side): what the step routes ask before reading a body.
func MayTakeReferralSteps(a actor.Actor) bool {
	return a.Can(object, actInbox) || a.Can(object, actRefer)
}

// checkStep validates a step's body for the status it moves to.
func checkStep(to string, in *ReferralStepInput) (note string, err error) {
	switch to {
	case refRefused, refCancelled:
		if in.Outcome != "" || in.Note != "" {
			return "", apperr.Invalidf("outcome", "l'esito si indica solo alla conclusione", "an outcome is given only when concluding")
		}
		return recText("reason", in.Reason, true, 2000)
	case refConcluded:
		if in.Reason != "" {
			return "", apperr.Invalidf("reason", "alla conclusione si indicano l'esito e, se serve, una nota", "a conclusion takes an outcome and an optional note")
		}
		if err := recOneOf("outcome", in.Outcome, referralOutcomes...); err != nil {
			return "", err
		}
		return recText("note", in.Note, false, 2000)
	default:
		if in.Reason != "" || in.Outcome != "" || in.Note != "" {
			return "", apperr.Invalidf("reason", "l'accettazione non ha motivo, esito o nota", "an acceptance takes no reason, outcome or note")
		}
		return "", nil
	}
}

// referralStep moves a referral to status to, if the actor's side may take that step.
func (s *Service) referralStep(ctx context.Context, a actor.Actor, id, to string, in ReferralStepInput) (Referral, error) {
	if !MayTakeReferralSteps(a) {
		return Referral{}, errForbidden
	}
	note, err := checkStep(to, &in)
	if err != nil {
		return Referral{}, err
	}
	var out Referral
	err = s.work(ctx, a, func(ses *session) error {
		r, ok, err := ses.referralRowByID(id, true)
		if err != nil {
			return err
		}
		if !ok {
			return errReferralNotFound
		}
		inbox := ses.inboxSide(r)
		sender, err := ses.senderSide(r)
		if err != nil {
			return err
		}
		switch {
		case !inbox && !sender:
			return errReferralNotFound
		case to == refCancelled && !sender:
			return apperr.New(apperr.Forbidden, "solo chi ha inviato la persona annulla l'invio",
				"only the sending side cancels a referral")
		case to != refCancelled && !inbox && r.PartnerCode != "":
			return apperr.New(apperr.Forbidden, "risponde all'invio l'organizzazione che lo riceve",
				"the receiving organisation answers the referral")
		}
		if in.Version != r.Version {
			return errReferralVersion
		}
		if !slices.Contains(nextSteps[r.Status], to) {
			return apperr.New(apperr.Conflict, "l'invio è "+r.Status+": questo passaggio non è possibile",
				"the referral is "+r.Status+": this step is not possible").WithField("status")
		}
		sealed, err := ses.keys.Seal(r.PersonID, fieldStepNote, note)
		if err != nil {
			return err
		}
		outcome := ""
		if to == refConcluded {
			outcome = in.Outcome
		}
		res := ses.Exec(`UPDATE referrals SET status = ?, outcome = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, to, outcome, s.now(), r.ID, r.Version)
		if res.Error != nil {
			return recordError(res.Error, "invio")
		}
		if res.RowsAffected == 0 {
			return errReferralVersion
		}
		org := ""
		if inbox {
			org = a.Organisation
		}
		if err := ses.addStep(r.ID, to, outcome, sealed, org); err != nil {
			return err
		}
		if err := ses.event(Pathway{ID: r.PathwayID}, "referral", "", "", to+" "+r.ID); err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: r.PersonID, What: "invio", Action: "update", Detail: r.ID})
		if sender {
			out, err = ses.referral(r.ID)
			return err
		}
		x, err := ses.inboxViews([]referralRow{r})
		if err != nil {
			return err
		}
		out = x[0].asReferral()
		out.Status, out.Outcome, out.Version = to, outcome, r.Version+1
		return nil
	})
	return out, err
}

// inboxSide reports whether the actor answers the referral for its organisation.
func (s *session) inboxSide(r referralRow) bool {
	a := s.Actor
	return a.Can(object, actInbox) && a.Organisation != "" && r.PartnerCode == a.Organisation
}

// senderSide reports whether the actor works the referral's pathway (refer and full reach).
func (s *session) senderSide(r referralRow) (bool, error) {
	if !s.Actor.Can(object, actRefer) {
		return false, nil
	}
	_, reach, err := s.loadPathway(r.PathwayID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return false, nil
	}
	return reach == reachFull, err
}
