package money

import "testing"

func TestStyles(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Italian.Cents(123456), "1.234,56"},
		{Italian.Cents(-123456789), "-1.234.567,89"},
		{Italian.Cents(5), "0,05"},
		{English.Cents(100000000), "1,000,000.00"},
		{Italian.Plain(123456), "1234,56"},
		{English.Plain(123400), "1234"},
		{Italian.Number(1234.5), "1.234,5"},
		{English.Number(-87.126), "-87.13"},
		{Italian.Number(80), "80"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
