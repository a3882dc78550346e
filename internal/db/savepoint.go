package db

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
)

// savepointConn is one real connection that is already inside a transaction. Libraries that
// open their own transactions through database/sql (goose does, one per migration) get
// savepoints instead, so everything they do commits or rolls back with the outer transaction.
type savepointConn struct {
	*stdlib.Conn
	n int
}

func (c *savepointConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *savepointConn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	c.n++
	name := fmt.Sprintf("ambiti_sp_%d", c.n)
	if _, err := c.Conn.ExecContext(ctx, "SAVEPOINT "+name, nil); err != nil {
		return nil, err
	}
	return &savepointTx{conn: c, name: name}, nil
}

// ResetSession keeps the connection: stdlib's own version discards a connection that is inside
// a transaction, which is the point here.
func (c *savepointConn) ResetSession(context.Context) error {
	if c.Conn.Conn().IsClosed() {
		return driver.ErrBadConn
	}
	return nil
}

type savepointTx struct {
	conn *savepointConn
	name string
}

func (t *savepointTx) Commit() error {
	_, err := t.conn.Conn.ExecContext(context.Background(), "RELEASE SAVEPOINT "+t.name, nil)
	return err
}

func (t *savepointTx) Rollback() error {
	_, err := t.conn.Conn.ExecContext(context.Background(), "ROLLBACK TO SAVEPOINT "+t.name, nil)
	return err
}
