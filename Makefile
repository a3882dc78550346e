# Ambiti — the two commands are `make run` and `make test` (see README.md).
.PHONY: run test build vet token bench

run: ## start the platform on http://localhost:8080 with the demo districts
	@deploy/dev/run.sh

test: ## run the whole test suite on a real PostgreSQL
	@deploy/dev/test.sh

bench: ## the server beside its raw pgx ceiling (100 districts), then go test -bench; writes docs/benchmarks.md
	@deploy/dev/bench.sh

token: ## print a signed access token for a demo user: make -s token USER=udp.valle-trompia
	@go build -o bin/devidp ./cmd/devidp && bin/devidp token -user "$(USER)" -issuer "$${AMBITI_DEV_IDP_ISSUER:-http://localhost:9998}"

build: ## build bin/ambiti
	go build -o bin/ambiti ./cmd/ambiti

vet:
	go vet ./...
