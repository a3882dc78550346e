package pathwaytest

import "github.com/ambiti/ambiti/internal/authz/authztest"

func dpo() authztest.Table {
	return authztest.Table{}
}
