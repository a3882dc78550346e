package region

import (
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestPageTexts: the regional pages parse in the shell, and every text they use is in the
// region's catalogue or the shell's, in every language.
func TestPageTexts(t *testing.T) {
	dyn := append(webtest.Keys("participant", plan.ParticipantTypes...), webtest.Keys("status", plan.Statuses...)...)
	webtest.CheckTexts(t, webtest.Room{GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 50}, Pages(nil))
}
