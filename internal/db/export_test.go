package db

// KeepLocal exposes the statement that keeps the platform schema out of Citus sharding, so that
// its guard can be tried on a setting plain PostgreSQL has.
const KeepLocal = keepLocal
