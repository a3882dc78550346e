package directory

import (
	"testing"

	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestPageTexts: the directory's pages parse in the shell, and every text they use is in the
// directory's catalogue or the shell's, in every language.
func TestPageTexts(t *testing.T) {
	tax, err := loadTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	var needs []string
	for _, term := range tax.Terms {
		needs = append(needs, term.Code)
	}
	var dyn []string
	for _, keys := range [][]string{
		webtest.Keys("directory.need", needs...),
		webtest.Keys("directory.day", weekdayCodes...),
		webtest.Keys("flash", "directory_confirmed", "directory_published", "directory_unpublished", "directory_approved", "directory_rejected"),
	} {
		dyn = append(dyn, keys...)
	}
	webtest.CheckTexts(t, webtest.Room{GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 100}, Pages(nil))
}
