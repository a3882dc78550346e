# Ambiti server image: one static binary (the SQL migrations and the Casbin policies are embedded
# in it: migrations/embed.go, policies/embed.go), the district definitions and demo plans beside it.
# Run time is distroless static, user nonroot: no shell, no package manager, no libc.
#   docker build -t ambiti --build-arg VERSION=$(git describe --always) .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ambiti ./cmd/ambiti \
 && /out/ambiti version

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/ambiti /app/ambiti
COPY tenants /app/tenants
COPY policies /app/policies
COPY deploy/demo /app/demo
ENV AMBITI_ADDR=:8080 AMBITI_TENANTS_DIR=/app/tenants AMBITI_DEMO_DIR=/app/demo
EXPOSE 8080
USER nonroot:nonroot
# No shell in the image: the binary checks itself (GET /readyz on loopback, 0 or 1).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/app/ambiti", "healthcheck"]
ENTRYPOINT ["/app/ambiti"]
CMD ["serve"]
