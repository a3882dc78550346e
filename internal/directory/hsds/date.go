package hsds

import (
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// HSDS 3.0 marks its date fields (assured_date, valid_from, valid_to, last_action_date...)
// with "datapackage_type": "date" rather than "format": "date", so a format check alone would
// let "27/11/2026" through. This vocabulary asserts that keyword for dates; the other values
// ("time", "datetime") are left alone: HSDS's own times ("09:00", without a zone) would not
// pass a strict RFC 3339 check, and last_modified already carries "format": "date-time".

const dateVocabularyURL = "https://ambiti.invalid/hsds/vocab/datapackage-type"

func dateVocabulary() *jsonschema.Vocabulary {
	return &jsonschema.Vocabulary{URL: dateVocabularyURL, Compile: compileDate}
}

func compileDate(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
	if t, _ := obj["datapackage_type"].(string); t == "date" {
		return dateExt{}, nil
	}
	return nil, nil
}

// dateExt checks a string is a calendar date, YYYY-MM-DD.
type dateExt struct{}

func (dateExt) Validate(ctx *jsonschema.ValidatorContext, v any) {
	s, ok := v.(string)
	if !ok {
		return // "type" reports a non-string
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		ctx.AddError(&notDate{Got: s})
	}
}

// notDate is the error kind of a bad date.
type notDate struct{ Got string }

func (*notDate) KeywordPath() []string { return []string{"datapackage_type"} }

func (k *notDate) LocalizedString(p *message.Printer) string {
	return p.Sprintf("%q is not a date (YYYY-MM-DD)", k.Got)
}
