package pathwaytest

import "github.com/ambiti/ambiti/internal/authz/authztest"

func records() authztest.Table {
	return authztest.Table{}
}
