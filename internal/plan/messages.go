package plan

import (
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Refusals in plain words: people read them next to a field, so an empty field says what to
// write ("Indicare il periodo"), not that "" is not valid.

// periodError refuses the period s (empty or malformed).
func periodError(field, s string) *apperr.Error {
	if strings.TrimSpace(s) == "" {
		return apperr.Invalidf(field, "Indicare il periodo: un anno (2022), un semestre (2022-S1), un trimestre (2022-Q3) o un mese (2022-03)", "Enter the period: a year (2022), a half (2022-S1), a quarter (2022-Q3) or a month (2022-03)")
	}
	return apperr.Invalidf(field, "Il periodo «%s» non è nella forma attesa: un anno (2022), un semestre (2022-S1), un trimestre (2022-Q3) o un mese (2022-03)", "The period “%s” is not in the expected form: a year (2022), a half (2022-S1), a quarter (2022-Q3) or a month (2022-03)", s)
}

// dateError refuses the date s (empty or malformed).
func dateError(field, s string) *apperr.Error {
	if strings.TrimSpace(s) == "" {
		return apperr.Invalidf(field, "Indicare la data (giorno, mese e anno)", "Enter the date (day, month and year)")
	}
	return apperr.Invalidf(field, "La data «%s» non è valida: scriverla come AAAA-MM-GG (es. 2022-03-31)", "The date “%s” is not valid: write it as YYYY-MM-DD (e.g. 2022-03-31)", s)
}

// amendmentNeeded is the refusal of a change to an approved plan with no open amendment.
var amendmentNeeded = apperr.New(apperr.Conflict,
	"Il piano è approvato: per modificarlo aprire prima una variazione, indicandone la motivazione (pagina del piano, «Apri una variazione»)",
	"The plan is approved: to change it, first open an amendment with its reason (plan page, “Open an amendment”)")

// NeedMetChoices are the answers the evaluation form offers: "parzialmente" stays accepted
// (the regional sheets and old imports use it) but means the same as "in parte", so the form
// offers one of the two only.
var NeedMetChoices = []string{"si", "no", "in_parte"}

// needMetChoice is the form's answer for a stored one.
func needMetChoice(v string) string {
	if v == "parzialmente" {
		return "in_parte"
	}
	return v
}
