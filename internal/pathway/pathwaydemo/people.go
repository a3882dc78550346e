package pathwaydemo

import (
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/pathway"
)

// Fictional people: real Italian (and a few other) first names, and surnames that are all
// words for "example", so no demo person can be mistaken for a real one.
var (
	women     = []string{"Giulia", "Sara", "Martina", "Chiara", "Aurora", "Sofia", "Elisa", "Beatriz", "Amina", "Irene", "Noemi", "Alessia"}
	men       = []string{"Luca", "Matteo", "Davide", "Andrea", "Tommaso", "Riccardo", "João", "Omar", "Samuele", "Nicola", "Filippo", "Gabriele"}
	surnamesF = []string{"Esempio", "Fittizia", "Prova", "Inventata", "Immaginaria", "Dimostrativa", "Campione", "Modello", "Ipotetica", "Finzione"}
	surnamesM = []string{"Esempio", "Fittizio", "Prova", "Inventato", "Immaginario", "Dimostrativo", "Campione", "Modello", "Ipotetico", "Finzione"}
)

// person i, aged age at engaged, with a codice fiscale that checks (fictional too).
func (g *gen) person(i, age int, engaged time.Time) pathway.PersonInput {
	female := i%2 == 0
	given, family, sex := men[i/2%len(men)], surnamesM[i%len(surnamesM)], "M"
	if female {
		given, family, sex = women[i/2%len(women)], surnamesF[i%len(surnamesF)], "F"
	}
	birth := engaged.AddDate(-age, -g.r.IntN(11), -g.r.IntN(28))
	lang := "it"
	if given == "Beatriz" || given == "João" {
		lang = "pt"
	}
	return pathway.PersonInput{
		GivenName: given, FamilyName: family, CodiceFisc: codiceFiscale(family, given, birth, female, i),
		BirthDate: birth.Format(time.DateOnly), Sex: sex, Municipality: g.spec.Municipality, Language: lang,
		Contacts: pathway.Contacts{Phone: fmt.Sprintf("+39 333 000 %04d", i), Email: fmt.Sprintf("persona%02d@esempio.invalid", i)},
	}
}

// codiceFiscale builds a well-formed code: letters of the names, birth date, a fictional
// place code Z999 made unique by i, and the control character.
func codiceFiscale(family, given string, birth time.Time, female bool, i int) string {
	day := birth.Day()
	if female {
		day += 40
	}
	first := fmt.Sprintf("%s%s%02d%c%02dZ%03d", letters(family), letters(given), birth.Year()%100, "ABCDEHLMPRST"[birth.Month()-1], day, 100+i)
	return first + string(pathway.CFControl(first))
}

// letters are three upper-case letters of a name, consonants first, padded with X.
func letters(name string) string {
	var cons, vows []rune
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= 'A' && r <= 'Z':
		default:
			continue // accents and the like
		}
		if r == 'A' || r == 'E' || r == 'I' || r == 'O' || r == 'U' {
			vows = append(vows, r)
		} else {
			cons = append(cons, r)
		}
	}
	out := string(append(cons, vows...)) + "XXX"
	return out[:3]
}
