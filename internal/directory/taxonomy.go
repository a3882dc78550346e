package directory

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
)

//go:embed taxonomy.json
var taxonomyFile []byte

// Taxonomy is the catalogue of needs as shipped in taxonomy.json: the source of every
// district's taxonomy_terms (same ids, so that HSDS exports agree across districts).
type Taxonomy struct {
	Taxonomy struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		URI         string `json:"uri"`
		Version     string `json:"version"`
	} `json:"taxonomy"`
	Terms []TaxonomyTerm `json:"terms"`
}

// loadTaxonomy reads the embedded catalogue.
func loadTaxonomy() (Taxonomy, error) {
	var t Taxonomy
	if err := json.Unmarshal(taxonomyFile, &t); err != nil {
		return t, fmt.Errorf("directory: taxonomy.json: %w", err)
	}
	if len(t.Terms) == 0 {
		return t, fmt.Errorf("directory: taxonomy.json has no terms")
	}
	return t, nil
}

// term finds a term by code or id.
func (t Taxonomy) term(codeOrID string) (TaxonomyTerm, bool) {
	for _, x := range t.Terms {
		if x.Code == codeOrID || x.ID == codeOrID {
			return x, true
		}
	}
	return TaxonomyTerm{}, false
}

// termID resolves a filter's need (code or id) to the term's id; "" stays "" (no filter), and an
// unknown one is Invalid naming field, with what the English message calls it.
func (t Taxonomy) termID(field, codeOrID, what string) (string, error) {
	if codeOrID == "" {
		return "", nil
	}
	x, ok := t.term(strings.TrimSpace(codeOrID))
	if !ok {
		return "", apperr.Invalidf(field, "bisogno sconosciuto %q", "unknown "+what+" %q", codeOrID)
	}
	return x.ID, nil
}
