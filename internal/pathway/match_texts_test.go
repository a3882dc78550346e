package pathway_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/web"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestMatchTexts checks the texts the matching page names by code (the reasons, where the
// needed skills came from) in both languages, and that every skill has both names.
func TestMatchTexts(t *testing.T) {
	w, err := web.New(web.Deps{}, pathway.Pages(nil))
	if err != nil {
		t.Fatal(err)
	}
	keys := webtest.Keys("pathway.match.reason", pathway.ReasonTerritoryCovered, pathway.ReasonTerritoryNotCovered,
		pathway.ReasonTerritoryUnknown, pathway.ReasonCaseload, pathway.ReasonFull, pathway.ReasonLanguageNeutral,
		pathway.ReasonLanguageSpoken, pathway.ReasonLanguageNotSpoken, pathway.ReasonSkillsNone, pathway.ReasonSkillsHad,
		pathway.ReasonSkillsMissing, pathway.ReasonNoProfile)
	keys = append(keys, webtest.Keys("pathway.match.skills_from", pathway.SkillsFromQuery, pathway.SkillsFromAssessments, pathway.SkillsFromNone)...)
	for _, lang := range web.Languages {
		for _, k := range keys {
			if !w.HasText(lang, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	ps, err := pathway.LoadProgrammes()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if len(p.Skills) == 0 {
			t.Errorf("programme %s has no skills to match on", p.Code)
		}
	}
}
