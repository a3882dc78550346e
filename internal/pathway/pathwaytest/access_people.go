package pathwaytest

import "github.com/ambiti/ambiti/internal/authz/authztest"

func people() authztest.Table {
	return authztest.Table{}
}
