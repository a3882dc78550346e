package plan

import (
	"os"
	"testing"

	"github.com/ambiti/ambiti/internal/web"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestPageTexts: the plan's pages parse in the shell, and every text they use is in the plan's
// catalogue or the shell's, in every language.
func TestPageTexts(t *testing.T) {
	w, err := web.New(web.Deps{}, Pages(nil))
	if err != nil {
		t.Fatal(err)
	}
	var dyn []string
	add := func(prefix string, values ...string) {
		for _, v := range values {
			dyn = append(dyn, prefix+"."+v)
		}
	}
	for _, s := range Statuses {
		add("status", string(s))
		add("transition", string(s))
	}
	for _, s := range []AmendmentStatus{AmendmentOpen, AmendmentProposed, AmendmentApproved} {
		add("amendment.status", string(s))
		add("transition", "variazione_"+string(s))
	}
	add("change.entity", "objective", "indicator", "budget", "assignment")
	add("change.op", "create", "update", "delete")
	add("indicator.kind", indicatorKinds...)
	add("objective.marker", Innovative, Continuing)
	add("evaluation.user", UserEvaluations...)
	add("evaluation.need", NeedMetAnswers...)
	add("evaluation.yesno", "si", "no")
	add("partner.kind", PartnerKinds...)
	add("meeting.kind", MeetingKinds...)
	add("participant", ParticipantTypes...)
	add("flash", "plan_propose", "plan_approve", "plan_return", "plan_close", "amendment_propose", "amendment_approve", "amendment_return")
	webtest.CheckTexts(t, w, webtest.Room{Files: os.DirFS("."), GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 300})
}
