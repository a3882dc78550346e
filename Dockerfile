# Ambiti server image: a static binary, the migrations embedded, the district definitions beside it.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ambiti ./cmd/ambiti

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/ambiti /app/ambiti
COPY tenants /app/tenants
COPY policies /app/policies
ENV AMBITI_ADDR=:8080 AMBITI_TENANTS_DIR=/app/tenants
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/app/ambiti"]
CMD ["serve"]
