package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// progressBar draws "distretto n di N" with a bar and the time left on one terminal line,
// rewritten in place. It draws only on a terminal: in a log file or a CI job the table printed
// at the end says everything, and carriage returns would only clutter it.
type progressBar struct {
	w    io.Writer
	on   bool
	last time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	if !ok {
		return &progressBar{w: w}
	}
	st, err := f.Stat()
	return &progressBar{w: w, on: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

// report redraws the line at most ten times a second, and always for the last district.
func (b *progressBar) report(p tenancy.Progress) {
	if !b.on || (p.Done < p.Total && time.Since(b.last) < 100*time.Millisecond) {
		return
	}
	b.last = time.Now()
	fmt.Fprintf(b.w, "\r%s", progressLine(p))
}

// finish ends the progress line so that the report starts on a line of its own.
func (b *progressBar) finish() {
	if b.on && !b.last.IsZero() {
		fmt.Fprintln(b.w)
	}
}

// progressLine is the text of the bar, e.g.
// "distretto 250 di 1000 [#######.....................] 25% · mancano / ETA 0:45".
func progressLine(p tenancy.Progress) string {
	const width = 28
	filled := 0
	if p.Total > 0 {
		filled = p.Done * width / p.Total
	}
	eta := p.ETA().Round(time.Second)
	return fmt.Sprintf("distretto %d di %d [%s%s] %3d%% · mancano / ETA %d:%02d ",
		p.Done, p.Total, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		percent(p.Done, p.Total), int(eta.Minutes()), int(eta.Seconds())%60)
}

func percent(done, total int) int {
	if total == 0 {
		return 100
	}
	return done * 100 / total
}
