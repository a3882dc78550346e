package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
)

// metrics are the server's Prometheus series, on a registry of its own (no global default).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(d *db.DB) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		registry: reg,
		// Labels are the route pattern, never the raw path or the district: bounded cardinality
		// with hundreds of districts.
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ambiti_http_requests_total", Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ambiti_http_request_duration_seconds", Help: "HTTP request latency by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if d != nil {
		stat := func(name, help string, f func() float64) {
			reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
		}
		stat("ambiti_db_connections_open", "Open connections in the pool.", func() float64 { return float64(d.Stats().OpenConnections) })
		stat("ambiti_db_connections_in_use", "Connections in use.", func() float64 { return float64(d.Stats().InUse) })
		stat("ambiti_db_wait_seconds_total", "Time spent waiting for a connection.", func() float64 { return d.Stats().WaitDuration.Seconds() })
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "ambiti_db_round_trips_total", Help: "Round trips to PostgreSQL: a statement sent on its own, or a whole batch.",
		}, func() float64 { return float64(d.RoundTrips()) }))
	}
	return m
}

// observe records every request that reached the router (unknown hosts included).
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := methodLabel(c.Request().Method)
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// methodLabel is the request's method when it is one HTTP defines, else "OTHER": a label
// taken from the request line as sent would let anyone grow the series without bound (a
// 100,000-character method, once per request). The route label is the matched pattern or
// "unmatched", and the status is the one the server wrote: both bounded too.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

var errMetricsRefused = apperr.New(apperr.Forbidden, "metriche riservate: leggibili dalla macchina stessa o con il token delle metriche", "metrics are private: readable from this machine or with the metrics token")

// gate keeps /metrics for the operators. With a metrics token configured, a scraper must send
// it as a Bearer token (which is then not taken for a login), wherever it connects from: a
// proxy on the same machine would make every client look local. Without one, only clients on
// this machine (loopback) may read it.
func (m *metrics) gate(token string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Path() != "/metrics" {
				return next(c)
			}
			r := c.Request()
			if token != "" {
				if subtle.ConstantTimeCompare([]byte(r.Header.Get(echo.HeaderAuthorization)), []byte("Bearer "+token)) != 1 {
					return errMetricsRefused
				}
				r.Header.Del(echo.HeaderAuthorization)
				return next(c)
			}
			if ip := net.ParseIP(c.RealIP()); ip != nil && ip.IsLoopback() {
				return next(c)
			}
			return errMetricsRefused
		}
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
}
