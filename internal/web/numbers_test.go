package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
)

func TestNumbersReadTheDecimalComma(t *testing.T) {
	for in, want := range map[string]float64{"75,5": 75.5, "75.5": 75.5, "1.234,5": 1234.5, "1.234.567": 1234567, "1.234.567,25": 1234567.25,
		"12": 12, "-3": -3, "+4,25": 4.25, "0,5": 0.5, ",5": 0.5, "0.123": 0.123, "12.5": 12.5, "1 234,5": 1234.5, "1234": 1234, "1,234": 1.234} {
		got, err := parseNumber(in)
		if err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]error{"1.234": errAmbiguous, "12.345": errAmbiguous, "1,234.5": errAmbiguous,
		"abc": errNotNumber, "1,2,3": errNotNumber, "12.34.5": errNotNumber, "1e5": errNotNumber, "12,": errNotNumber,
		"12.": errNotNumber, "-": errNotNumber, "1.23,4": errNotNumber, "NaN": errNotNumber, "Inf": errNotNumber} {
		if _, err := parseNumber(in); err != want {
			t.Errorf("parseNumber(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestFormNumbersNameTheFieldAndSayWhy(t *testing.T) {
	v := url.Values{"value": {"75,5"}, "pct": {"75,5"}, "n": {"1.000,0"}, "amb": {"1.234"}}
	if f, err := FloatValue(v, "value", "x", "x"); err != nil || *f != 75.5 {
		t.Errorf("FloatValue 75,5 = %v, %v", f, err)
	}
	if n, err := IntValue(v, "n", "x", "x"); err != nil || *n != 1000 {
		t.Errorf("IntValue 1.000,0 = %v, %v", n, err)
	}
	_, err := IntValue(v, "pct", "percentuale: un numero intero", "percentage: a whole number")
	if e, ok := apperr.As(err); !ok || e.Field != "pct" || !strings.Contains(e.Message, "intero") {
		t.Errorf("IntValue 75,5 error = %v", err)
	}
	_, err = FloatValue(v, "amb", "x", "x")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "amb" || !strings.Contains(e.Message, "ambiguo") {
		t.Errorf("FloatValue 1.234 error = %v", err)
	}
}
