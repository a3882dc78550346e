package tenantdump

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// reader walks an archive's lines.
type reader struct {
	br *bufio.Reader
}

func newReader(r io.Reader) *reader { return &reader{br: bufio.NewReaderSize(r, 1<<16)} }

// next reads the next JSON line; io.EOF only at the very end.
func (r *reader) next() (line, error) {
	var l line
	b, err := r.br.ReadBytes('\n')
	if errors.Is(err, io.EOF) && len(b) == 0 {
		return l, io.EOF
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return l, damaged("read: %v", err)
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return l, damaged("an unreadable line: %v", err)
	}
	return l, nil
}

// rows returns a reader of the current table's rows, up to (not including) the `\.` line,
// which hashes what it hands out.
func (r *reader) rows() *rowReader { return &rowReader{br: r.br, d: newDigest()} }

type rowReader struct {
	br   *bufio.Reader
	d    *digest
	rest []byte // what is left of the current line
	done bool
}

func (rr *rowReader) Read(p []byte) (int, error) {
	for len(rr.rest) == 0 {
		if rr.done {
			return 0, io.EOF
		}
		b, err := rr.br.ReadBytes('\n')
		if err != nil {
			return 0, damaged("a table's rows end before their end mark")
		}
		if bytes.Equal(b, endOfRows) {
			rr.done = true
			return 0, io.EOF
		}
		rr.d.add(b)
		rr.rest = b
	}
	n := copy(p, rr.rest)
	rr.rest = rr.rest[n:]
	return n, nil
}

// drain reads what COPY did not (a failed COPY): the reader is then at the next line.
func (rr *rowReader) drain() error {
	_, err := io.Copy(io.Discard, rr)
	return err
}

// errDamaged marks an archive that is cut short, altered or not an archive at all.
var errDamaged = errors.New("tenantdump: the archive is damaged or altered")

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDamaged, fmt.Sprintf(format, args...))
}
