package plan

import (
	"testing"

	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestPageTexts: the plan's pages parse in the shell, and every text they use is in the plan's
// catalogue or the shell's, in every language.
func TestPageTexts(t *testing.T) {
	amendments := []AmendmentStatus{AmendmentOpen, AmendmentProposed, AmendmentApproved}
	var variations []string // an amendment's steps in the history: transition.variazione_<status>
	for _, a := range amendments {
		variations = append(variations, "variazione_"+string(a))
	}
	var dyn []string
	for _, keys := range [][]string{
		webtest.Keys("status", Statuses...),
		webtest.Keys("transition", Statuses...),
		webtest.Keys("amendment.status", amendments...),
		webtest.Keys("transition", variations...),
		webtest.Keys("change.entity", "objective", "indicator", "budget", "assignment", "measurement", "plan"),
		webtest.Keys("change.op", "create", "update", "delete", "copy"),
		webtest.Keys("diff_field", DiffFields...),
		webtest.Keys("attachments.of", ParentKinds...),
		webtest.Keys("flash", "attachment_added", "attachment_removed"),
		webtest.Keys("indicator.kind", indicatorKinds...),
		webtest.Keys("binding.figure", Figures...),
		webtest.Keys("binding.figure", "closed_reason", FigureONS4Change),
		webtest.Keys("binding.ons4", ONS4Items...),
		webtest.Keys("objective.marker", Innovative, Continuing),
		webtest.Keys("evaluation.user", UserEvaluations...),
		webtest.Keys("evaluation.need", NeedMetAnswers...),
		webtest.Keys("evaluation.yesno", "si", "no"),
		webtest.Keys("partner.kind", PartnerKinds...),
		webtest.Keys("meeting.kind", MeetingKinds...),
		webtest.Keys("participant", ParticipantTypes...),
		webtest.Keys("report.status", ReportSent, ReportAccepted, ReportReturned),
		webtest.Keys("flash", "plan_propose", "plan_approve", "plan_return", "plan_close", "amendment_propose", "amendment_approve", "amendment_return"),
	} {
		dyn = append(dyn, keys...)
	}
	webtest.CheckTexts(t, webtest.Room{GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 300}, Pages(nil))
}
