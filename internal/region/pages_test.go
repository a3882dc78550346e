package region

import (
	"os"
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/web"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestPageTexts: the regional pages parse in the shell, and every text they use is in the
// region's catalogue or the shell's, in every language.
func TestPageTexts(t *testing.T) {
	w, err := web.New(web.Deps{}, Pages(nil))
	if err != nil {
		t.Fatal(err)
	}
	var dyn []string
	for _, p := range plan.ParticipantTypes {
		dyn = append(dyn, "participant."+p)
	}
	for _, s := range plan.Statuses {
		dyn = append(dyn, "status."+string(s))
	}
	webtest.CheckTexts(t, w, webtest.Room{Files: os.DirFS("."), GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 50})
}
