package plan

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// sqlResults hands a queued read's callback the rows of a statement run through
// database/sql, inside a transaction (readInTx), as pgx's batch would: the callbacks only
// step and scan, which both sides do alike for the plan's column types.
type sqlResults struct{ rows *sql.Rows }

var errNotAQuery = errors.New("plan: a queued read must be a query")

func (r *sqlResults) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, errNotAQuery }
func (r *sqlResults) Query() (pgx.Rows, error)         { return &sqlRows{rows: r.rows}, nil }
func (r *sqlResults) QueryRow() pgx.Row                { return sqlRow{rows: r.rows} }
func (r *sqlResults) Tx() pgx.Tx                       { return nil }
func (r *sqlResults) Close() error {
	if err := r.rows.Close(); err != nil {
		return err
	}
	return r.rows.Err()
}

// sqlRows is a *sql.Rows as pgx.Rows.
type sqlRows struct{ rows *sql.Rows }

func (r *sqlRows) Close()                                       { _ = r.rows.Close() }
func (r *sqlRows) Err() error                                   { return r.rows.Err() }
func (r *sqlRows) CommandTag() pgconn.CommandTag                { return pgconn.CommandTag{} }
func (r *sqlRows) FieldDescriptions() []pgconn.FieldDescription { return nil }
func (r *sqlRows) Next() bool                                   { return r.rows.Next() }
func (r *sqlRows) Values() ([]any, error)                       { return nil, errors.ErrUnsupported }
func (r *sqlRows) RawValues() [][]byte                          { return nil }
func (r *sqlRows) Conn() *pgx.Conn                              { return nil }
func (r *sqlRows) TypeMap() *pgtype.Map                         { return nil }

func (r *sqlRows) Scan(dest ...any) error { return r.rows.Scan(dest...) }

// sqlRow is the first row of a *sql.Rows as pgx.Row: none is pgx.ErrNoRows.
type sqlRow struct{ rows *sql.Rows }

func (r sqlRow) Scan(dest ...any) error {
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	return r.rows.Scan(dest...)
}
