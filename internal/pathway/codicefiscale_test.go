package pathway

import "testing"

func TestValidCF(t *testing.T) {
	for _, tc := range []struct {
		cf string
		ok bool
	}{
		{"RSSMRA85T10A562S", true},  // the textbook Mario Rossi
		{"RSSMRA85T10A562T", false}, // wrong control character
		{"RSSMRA85T10A56NB", false}, // omocodia shape, wrong control
		{"RSSMRA85T1", false},
		{"RSSMRA85Z10A562S", false}, // Z is no month
	} {
		if got := ValidCF(NormalizeCF(tc.cf)); got != tc.ok {
			t.Errorf("ValidCF(%s) = %v, want %v", tc.cf, got, tc.ok)
		}
	}
	omocode := "RSSMRA85T10A56N"
	if !ValidCF(omocode + string(CFControl(omocode))) {
		t.Error("an omocodia code with its control character must be valid")
	}
	if NormalizeCF(" rssmra85t10a562s ") != "RSSMRA85T10A562S" {
		t.Error("NormalizeCF")
	}
}
