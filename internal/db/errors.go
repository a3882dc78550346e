package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Classify recognises, once for every package, the database failures that are not bugs:
//
//   - the database cannot be reached or dropped the connection (connect errors, network
//     errors, a connection closed under us, SQLSTATE class 08, 53 and 57P01–57P03, a deadline
//     passed while waiting for it): apperr.Unavailable, answered 503 with Retry-After;
//   - PostgreSQL refused a value (SQLSTATE class 22, data exception: a number out of range,
//     a NUL character or bytes that are not UTF-8, a date out of range; 54000, a value too
//     large for an index): apperr.Invalid, answered 400. Input validation should have named
//     the field first; this is the safety net for what it missed. A division by zero (22012)
//     or a floating point exception (22P01) is our own arithmetic and stays a bug.
//
// Anything else gives nil. The cause stays in the returned error, for the logs.
func Classify(err error) *apperr.Error {
	if err == nil {
		return nil
	}
	if unreachable(err) {
		return apperr.Wrap(apperr.Unavailable, err,
			"database temporaneamente non raggiungibile: riprovare tra poco",
			"database temporarily unreachable: try again shortly")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return apperr.Wrap(apperr.Unavailable, err,
			"il servizio non ha risposto in tempo: riprovare tra poco",
			"the service did not answer in time: try again shortly")
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return nil
	}
	switch {
	case pg.Code == "22012", pg.Code == "22P01":
		return nil // division by zero, floating point exception: our arithmetic, not the caller's data
	case !strings.HasPrefix(pg.Code, "22") && pg.Code != "54000":
		return nil
	}
	e := apperr.Wrap(apperr.Invalid, err, "valore non ammesso", "value not allowed")
	e.Field = pg.ColumnName
	switch pg.Code {
	case "22003": // numeric_value_out_of_range
		e.Message, e.MessageEN = "numero fuori dall'intervallo ammesso", "number out of the allowed range"
	case "22021", "22P05": // character_not_in_repertoire, untranslatable_character
		e.Message, e.MessageEN = "testo con caratteri non ammessi (per esempio il carattere nullo)", "text with characters that are not allowed (such as the NUL character)"
	case "22007", "22008", "22009", "22015": // datetime format, datetime overflow, time zone, interval overflow
		e.Message, e.MessageEN = "data od ora non valida o fuori dall'intervallo ammesso", "date or time invalid or out of the allowed range"
	case "22001", "54000": // string_data_right_truncation, program_limit_exceeded (index row too large)
		e.Message, e.MessageEN = "testo troppo lungo", "text too long"
	}
	return e
}

// unreachable reports whether err says the database could not be reached or the connection
// died, as opposed to a statement that failed.
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"): // connection exception
			return true
		case strings.HasPrefix(pg.Code, "53"): // insufficient resources: too many connections, out of memory, disk full
			return true
		case pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		}
	}
	return false
}
