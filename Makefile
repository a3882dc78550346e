# Ambiti — the two commands are `make run` and `make test` (see README.md).
.PHONY: run test build vet

run: ## start the platform on http://localhost:8080 with the demo districts
	@deploy/dev/run.sh

test: ## run the whole test suite on a real PostgreSQL
	@deploy/dev/test.sh

build: ## build bin/ambiti
	go build -o bin/ambiti ./cmd/ambiti

vet:
	go vet ./...
