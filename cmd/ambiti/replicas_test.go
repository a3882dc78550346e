package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// Two `ambiti serve` processes behind Debian's haproxy, both reaching PostgreSQL through
// Debian's PgBouncer in transaction mode with 2 server connections (the authz listener and
// migrations on the direct URL): whatever one instance does, the other honours — a login
// begun on one ends on the other, a role change and a logout on one hold on the other — a
// rolling restart loses no request, and districts sharing the pooler's two connections never
// see each other's rows.
func TestReplicasBehindABalancerAndPgBouncer(t *testing.T) {
	t.Parallel()
	r := startReplicas(t)

	t.Run("a login begun on one instance ends on the other", r.loginAcross)
	t.Run("a role change on one instance is enforced on the other", r.roleChangeAcross)
	t.Run("districts sharing two pooled connections see only their own rows", r.isolationThroughThePool)
	t.Run("a rolling restart loses no request", r.rollingRestart)
}

// replicas is the test's deployment: the identity provider, PgBouncer, two instances, haproxy.
type replicas struct {
	t         *testing.T
	e         *env // e.port is haproxy's; e.client pins each request to an instance on demand
	pin       *atomic.Value
	bin, root string
	logs      string // folder of the processes' logs
	base      []string
	admin     string // PgBouncer's admin console
	direct    string // the test database, without the pooler
	inst      [2]*replicaInstance
}

// replicaInstance is one `ambiti serve` process; name is its server name in haproxy.
type replicaInstance struct {
	name, port string
	cmd        *exec.Cmd
	exited     chan struct{}
	err        error // the process's exit, once exited is closed
}

// pinHeader asks haproxy for a given instance (use-server); servedBy is haproxy's answer.
const (
	pinHeader = "X-Ambiti-Instance"
	servedBy  = "X-Served-By"
)

// serveEnv makes the test binary `ambiti serve` (TestMain).
const serveEnv = "AMBITI_TEST_RUN_MAIN"

// TestMain runs main itself when serveEnv is set: the replicas test starts its instances so.
func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// debianTool finds a Debian program, or fails naming the package to install.
func debianTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := "/usr/sbin/" + name; replicaFileExists(p) {
		return p
	}
	t.Fatalf("%s not found: the replicas test needs Debian's %s package ('sudo apt-get install %s'; make test installs it as root)", name, name, name)
	return ""
}

func replicaFileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// replicaPort is a loopback port free at the time of asking.
func replicaPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// replicaWait polls cond until it holds or within has passed; it returns how long it took, or
// fails the test naming what.
func replicaWait(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		if cond() {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pinnedTransport sets the pin header on every request while the pin is non-empty.
type pinnedTransport struct {
	base http.RoundTripper
	pin  *atomic.Value
}

func (p pinnedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if to, _ := p.pin.Load().(string); to != "" {
		req = req.Clone(req.Context())
		req.Header.Set(pinHeader, to)
	}
	return p.base.RoundTrip(req)
}

func startReplicas(t *testing.T) *replicas {
	haproxy, pgbouncer := debianTool(t, "haproxy"), debianTool(t, "pgbouncer")
	root, err := dbtest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	// A folder the pooler can read when it runs as postgres (PgBouncer refuses to run as root).
	logs, err := os.MkdirTemp("", "ambiti-replicas-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(logs) })
	if err := os.Chmod(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	// The instances are this test binary run again as `ambiti serve` (TestMain calls main):
	// the production entry point, signals included, without the minute a separate go build of
	// the server takes to link on a loaded machine.
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := &replicas{t: t, root: root, logs: logs, bin: bin, pin: &atomic.Value{}}
	t.Cleanup(r.dumpLogsOnFailure)

	idp := startDevIdP(t)
	_, direct, _ := tenancytest.Provisioned(t, db.Config{})
	r.direct = direct
	pooled := r.startPgBouncer(pgbouncer, direct)
	r.base = []string{
		serveEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + pooled, "AMBITI_DIRECT_DATABASE_URL=" + direct,
		"AMBITI_BASE_DOMAIN=localhost", "AMBITI_PUBLIC_SCHEME=http", "AMBITI_LOG_LEVEL=warn",
		"AMBITI_DEV_IDP_ISSUER=" + idp.Issuer, "AMBITI_PLATFORM_OIDC_ISSUER=" + idp.Issuer,
		"AMBITI_PLATFORM_OIDC_CLIENT_SECRET=dev-secret-platform",
		"AMBITI_OIDC_SECRET_VALLE_TROMPIA=dev-secret-valle-trompia",
		"AMBITI_OIDC_SECRET_TERRE_DARGINE=dev-secret-terre-dargine",
		"AMBITI_OIDC_SECRET_TRENTO=dev-secret-trento",
		"AMBITI_MASTER_KEY=" + testMasterKey,
		"AMBITI_DB_MAX_CONNS=8",
		// The balancer checks every 200 ms and takes a server out at the second failed check;
		// 2 s of serving on after SIGTERM leave it ample time, even on a loaded machine.
		"AMBITI_DRAIN_DELAY=2s", "AMBITI_SHUTDOWN_TIMEOUT=15s",
	}
	for i, name := range []string{"a", "b"} {
		r.inst[i] = &replicaInstance{name: name, port: replicaPort(t)}
		r.start(t, r.inst[i])
	}
	t.Cleanup(func() {
		for _, in := range r.inst {
			r.kill(in)
		}
	})
	lbPort := r.startHAProxy(haproxy)
	client := loopbackClient()
	client.Transport = pinnedTransport{base: client.Transport, pin: r.pin}
	r.e = &env{t: t, idp: idp, port: lbPort, client: client, tokens: map[string]string{}}
	for _, in := range r.inst {
		r.waitRouted(t, in)
	}
	return r
}

// startPgBouncer runs the pooler in transaction mode with 2 server connections in front of
// the test database; it returns the pooled URL.
func (r *replicas) startPgBouncer(bin, direct string) string {
	t := r.t
	cfg, err := pgx.ParseConfig(direct)
	if err != nil {
		t.Fatal(err)
	}
	port := replicaPort(t)
	target := fmt.Sprintf("host=%s port=%d dbname=%s user=%s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
	if cfg.Password != "" {
		target += " password=" + cfg.Password
	}
	ini := fmt.Sprintf(`[databases]
ambiti = %s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %s
unix_socket_dir =
auth_type = trust
auth_file = %s
admin_users = %s
pool_mode = transaction
default_pool_size = 2
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
; a request stuck behind the two connections fails instead of hanging the test
query_wait_timeout = 30
`, target, port, filepath.Join(r.logs, "users.txt"), cfg.User)
	writeReplicaFile(t, filepath.Join(r.logs, "users.txt"), fmt.Sprintf("%q %q\n", cfg.User, cfg.Password))
	writeReplicaFile(t, filepath.Join(r.logs, "pgbouncer.ini"), ini)
	asUser := ""
	if os.Getuid() == 0 {
		asUser = "postgres" // PgBouncer refuses root; deploy/dev/pg.sh runs the cluster as postgres too
	}
	r.daemon("pgbouncer", asUser, bin, filepath.Join(r.logs, "pgbouncer.ini"))
	u := url.URL{Scheme: "postgres", User: url.UserPassword(cfg.User, cfg.Password), Host: "127.0.0.1:" + port, Path: "/ambiti", RawQuery: "sslmode=disable"}
	if cfg.Password == "" {
		u.User = url.User(cfg.User)
	}
	pooled := u.String()
	u.Path = "/pgbouncer"
	r.admin = u.String()
	replicaWait(t, 30*time.Second, "PgBouncer answers", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return pooled
}

// startHAProxy runs the balancer in front of the two instances; it returns its port.
func (r *replicas) startHAProxy(bin string) string {
	port := replicaPort(r.t)
	// Health checks on /readyz (as the platform host) every 200 ms: two failures take a server
	// out, two successes bring it back. A check may take its time (5 s): on a loaded machine
	// /readyz waits its turn for one of PgBouncer's two connections, and a short check
	// timeout then takes both servers out at once. A request whose connection is refused or closed without
	// an answer is retried, on the other server (redispatch).
	cfg := fmt.Sprintf(`global
  maxconn 1000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout queue 10s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
frontend lb
  bind 127.0.0.1:%s
  default_backend ambiti
backend ambiti
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  timeout check 5s
  default-server inter 200ms fastinter 200ms downinter 200ms fall 2 rise 2
  use-server a if { req.hdr(%[2]s) -m str a }
  use-server b if { req.hdr(%[2]s) -m str b }
  http-response set-header %[3]s %%[srv_name]
  server a 127.0.0.1:%[4]s check
  server b 127.0.0.1:%[5]s check
`, port, pinHeader, servedBy, r.inst[0].port, r.inst[1].port)
	path := filepath.Join(r.logs, "haproxy.cfg")
	writeReplicaFile(r.t, path, cfg)
	r.daemon("haproxy", "", bin, "-db", "-f", path)
	return port
}

func writeReplicaFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// daemon runs a helper process until the test ends (as asUser, unless empty), its output in
// the logs folder.
func (r *replicas) daemon(name, asUser, bin string, args ...string) {
	out, err := os.Create(filepath.Join(r.logs, name+".log"))
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if asUser != "" {
		if err := runAs(cmd, asUser); err != nil {
			r.t.Fatalf("%s: %v", name, err)
		}
	}
	orphanProof(cmd)
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("%s: %v", name, err)
	}
	r.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); out.Close() })
}

// start runs an instance and waits until it answers /readyz itself.
func (r *replicas) start(t *testing.T, in *replicaInstance) {
	t.Helper()
	out, err := os.OpenFile(filepath.Join(r.logs, "ambiti-"+in.name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(r.bin, "serve")
	cmd.Dir = r.root
	cmd.Env = append(r.base, "AMBITI_ADDR=127.0.0.1:"+in.port)
	cmd.Stdout, cmd.Stderr = out, out
	orphanProof(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.cmd, in.exited = cmd, make(chan struct{})
	go func() { in.err = cmd.Wait(); out.Close(); close(in.exited) }()
	direct := loopbackClient()
	replicaWait(t, 60*time.Second, "instance "+in.name+" ready", func() bool {
		select {
		case <-in.exited:
			t.Fatalf("instance %s exited while starting: %v", in.name, in.err)
		default:
		}
		res, err := direct.Get("http://localhost:" + in.port + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
}

func (r *replicas) kill(in *replicaInstance) {
	if in == nil || in.cmd == nil {
		return
	}
	select {
	case <-in.exited:
	default:
		in.cmd.Process.Kill()
		<-in.exited
	}
}

// waitRouted waits until haproxy sends requests to the instance again (it counts as up).
func (r *replicas) waitRouted(t *testing.T, in *replicaInstance) time.Duration {
	t.Helper()
	return replicaWait(t, 30*time.Second, "haproxy routes to "+in.name, func() bool {
		req, _ := http.NewRequest("GET", "http://"+r.e.host("")+"/healthz", nil)
		req.Header.Set(pinHeader, in.name)
		res, err := r.e.client.Do(req)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK && res.Header.Get(servedBy) == in.name
	})
}

// env is the deployment as one (sub)test sees it: the balancer's address and the pinning client.
func (r *replicas) env(t *testing.T) *env {
	return &env{t: t, idp: r.e.idp, port: r.e.port, client: r.e.client, tokens: map[string]string{}}
}

// on pins the following requests to the named instance ("" lets haproxy choose).
func (r *replicas) on(name string) { r.pin.Store(name) }

func (r *replicas) dumpLogsOnFailure() {
	if !r.t.Failed() {
		return
	}
	paths, _ := filepath.Glob(filepath.Join(r.logs, "*.log"))
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		r.t.Logf("--- %s (end) ---\n%s", filepath.Base(p), b)
	}
}

func (r *replicas) loginAcross(t *testing.T) {
	e := r.env(t)
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, jar: jar}
	r.on("a") // the login page, its state stored in platform.login_states by a…
	_, _, callback := b.authorize("valle-trompia", "udp.valle-trompia", e.idp.Password, "/api/v1/me")
	if callback == "" {
		t.Fatal("the provider did not send the browser back")
	}
	r.on("b") // …and the callback taken by b, which finds the state and makes the session
	res, body, _ := b.follow(callback)
	if res.StatusCode != http.StatusOK || res.Header.Get(servedBy) != "b" {
		t.Fatalf("callback on b: %d (served by %q) %s", res.StatusCode, res.Header.Get(servedBy), body)
	}
	var me struct {
		User      struct{ Username string }
		CSRFToken string `json:"csrf_token"`
	}
	reply{status: res.StatusCode, body: body}.json(t, &me)
	if me.User.Username != "udp.valle-trompia" {
		t.Fatalf("me after the login = %s", body)
	}
	vt, _ := url.Parse("http://" + e.host("valle-trompia") + "/")
	cookie := "ambiti_session=" + jar.Cookies(vt)[0].Value
	r.on("a")
	if got := e.call("GET", "valle-trompia", "/api/v1/me", "", nil, "Cookie", cookie); got.status != http.StatusOK {
		t.Fatalf("the session made by b, on a: %d %s", got.status, got.body)
	}
	// Logout on a ends the session on b too.
	if got := e.call("POST", "valle-trompia", "/auth/logout", "", nil, "Cookie", cookie, "X-CSRF-Token", me.CSRFToken,
		"Origin", "http://"+e.host("valle-trompia")); got.status != http.StatusOK {
		t.Fatalf("logout on a: %d %s", got.status, got.body)
	}
	r.on("b")
	if got := e.call("GET", "valle-trompia", "/api/v1/me", "", nil, "Cookie", cookie); got.status != http.StatusUnauthorized || got.header.Get(servedBy) != "b" {
		t.Errorf("the session ended on a, on b: %d (served by %q), want 401", got.status, got.header.Get(servedBy))
	}
	r.on("")
}

func (r *replicas) roleChangeAcross(t *testing.T) {
	e := r.env(t)
	defer r.on("")
	udp, coop := e.token("udp.valle-trompia"), e.token("coop.valle-trompia")
	r.on("b")
	var me struct{ User struct{ ID string } }
	e.call("GET", "valle-trompia", "/api/v1/me", coop, nil).json(t, &me)
	readsPlans := func() int {
		return e.call("GET", "valle-trompia", "/api/v1/plans", coop, nil).status
	}
	if s := readsPlans(); s != http.StatusForbidden {
		t.Fatalf("a cooperative reads the plans before any grant: %d, want 403", s)
	}
	// The bound only decides when to give up: propagation is a NOTIFY away (the figure is
	// logged), and a loaded machine must not make that a failure.
	const bound = 5 * time.Second
	for _, step := range []struct {
		method string
		want   int
	}{{"PUT", http.StatusOK}, {"DELETE", http.StatusForbidden}} {
		r.on("a")
		if got := e.call(step.method, "valle-trompia", "/api/v1/members/"+me.User.ID+"/roles/asst", udp, nil); got.status != http.StatusOK {
			t.Fatalf("%s asst on a: %d %s", step.method, got.status, got.body)
		}
		r.on("b")
		took := replicaWait(t, bound, fmt.Sprintf("%s asst on a enforced on b", step.method), func() bool { return readsPlans() == step.want })
		t.Logf("%s of a role on a enforced on b after %v", step.method, took)
	}
}

// replicaPlanTitles lists a district's plans as one udp sees them, through the balancer.
func replicaPlanTitles(e *env, slug, token string) ([]string, error) {
	got := e.call("GET", slug, "/api/v1/plans", token, nil)
	if got.status != http.StatusOK {
		return nil, fmt.Errorf("GET %s plans: %d %s", slug, got.status, got.body)
	}
	var plans struct{ Items []struct{ Title string } }
	if err := json.Unmarshal(got.body, &plans); err != nil {
		return nil, err
	}
	titles := make([]string, len(plans.Items))
	for i, p := range plans.Items {
		titles[i] = p.Title
	}
	return titles, nil
}

func (r *replicas) isolationThroughThePool(t *testing.T) {
	e := r.env(t)
	slugs := []string{"valle-trompia", "terre-dargine"}
	tokens := map[string]string{}
	for _, slug := range slugs {
		tokens[slug] = e.token("udp." + slug)
		got := e.call("POST", slug, "/api/v1/plans", tokens[slug], strings.NewReader(`{"title": "Piano di `+slug+`", "start_year": 2024, "end_year": 2026}`))
		if got.status != http.StatusCreated && got.status != http.StatusOK {
			t.Fatalf("new plan in %s: %d %s", slug, got.status, got.body)
		}
	}
	// What the pooler does meanwhile: its server connections (never more than 2) and the
	// clients waiting for one (evidence that the two districts took turns on them).
	ctx, cancel := context.WithCancel(context.Background())
	sampled := make(chan [2]int)
	go func() { sampled <- r.samplePools(ctx) }()

	const workers, rounds = 8, 30
	var wg sync.WaitGroup
	var mu sync.Mutex
	var reads int
	var wrong []string
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				slug := slugs[(w+i)%2] // each worker alternates; neighbours are out of step
				titles, err := replicaPlanTitles(e, slug, tokens[slug])
				mu.Lock()
				reads++
				if err != nil {
					wrong = append(wrong, err.Error())
				} else if len(titles) != 1 || titles[0] != "Piano di "+slug {
					wrong = append(wrong, fmt.Sprintf("%s sees %q", slug, titles))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	cancel()
	pools := <-sampled
	t.Logf("%d interleaved reads of 2 districts through PgBouncer: at most %d server connections, up to %d clients waiting", reads, pools[0], pools[1])
	if len(wrong) > 0 {
		t.Errorf("%d of %d reads wrong, e.g. %s", len(wrong), reads, wrong[0])
	}
	if pools[0] > 2 {
		t.Errorf("PgBouncer used %d server connections, configured for 2", pools[0])
	}
}

// samplePools reads PgBouncer's SHOW POOLS until ctx ends: the most server connections of the
// test's database at once, and the most clients waiting.
func (r *replicas) samplePools(ctx context.Context) [2]int {
	cfg, err := pgx.ParseConfig(r.admin)
	if err != nil {
		return [2]int{-1, -1}
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol // the admin console knows no other
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		r.t.Logf("PgBouncer's console: %v", err)
		return [2]int{-1, -1}
	}
	defer conn.Close(context.Background())
	var most [2]int
	for ctx.Err() == nil {
		rows, err := conn.Query(ctx, "SHOW POOLS")
		if err != nil {
			break
		}
		for rows.Next() {
			vals, _ := rows.Values()
			cols := map[string]string{}
			for i, f := range rows.FieldDescriptions() {
				cols[f.Name] = fmt.Sprint(vals[i])
			}
			if cols["database"] != "ambiti" {
				continue
			}
			n := func(k string) int { var v int; fmt.Sscan(cols[k], &v); return v }
			most[0] = max(most[0], n("sv_active")+n("sv_idle")+n("sv_used")+n("sv_tested")+n("sv_login"))
			most[1] = max(most[1], n("cl_waiting"))
		}
		rows.Close()
		time.Sleep(10 * time.Millisecond)
	}
	return most
}

func (r *replicas) rollingRestart(t *testing.T) {
	e := r.env(t)
	r.on("")
	token := e.token("udp.valle-trompia")
	// Two clients keep asking through the balancer, each request reading the district.
	stop := make(chan struct{})
	var sent, failed atomic.Int64
	var mu sync.Mutex
	var failures []string
	served := map[string]int{}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("GET", "http://"+e.host("valle-trompia")+"/api/v1/plans", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				sent.Add(1)
				res, err := e.client.Do(req)
				var problem string
				if err != nil {
					problem = err.Error()
				} else {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						problem = fmt.Sprintf("%d from %q", res.StatusCode, res.Header.Get(servedBy))
					}
				}
				mu.Lock()
				if problem != "" {
					failed.Add(1)
					failures = append(failures, problem)
				} else {
					served[res.Header.Get(servedBy)]++
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	for _, in := range r.inst {
		start := time.Now()
		if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-in.exited:
		case <-time.After(30 * time.Second):
			t.Fatalf("instance %s still running 30 s after SIGTERM", in.name)
		}
		if in.err != nil {
			t.Errorf("instance %s after SIGTERM: %v, want a clean exit", in.name, in.err)
		}
		stopped := time.Since(start)
		r.start(t, in)
		back := r.waitRouted(t, in)
		t.Logf("instance %s: stopped %v after SIGTERM, routed to again %v after its restart", in.name, stopped.Round(time.Millisecond), back.Round(time.Millisecond))
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("rolling restart: %d requests sent through haproxy, %d failed; served by a %d, by b %d", sent.Load(), failed.Load(), served["a"], served["b"])
	if failed.Load() > 0 {
		t.Errorf("%d of %d requests failed during the rolling restart, e.g. %s", failed.Load(), sent.Load(), failures[0])
	}
	if served["a"] == 0 || served["b"] == 0 {
		t.Errorf("requests served by a %d, by b %d: want both", served["a"], served["b"])
	}
}
