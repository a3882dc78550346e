package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenantdump/dumptest"
)

// TestDemoDistrictExportImportRoundTrip loads the demo districts, exports two of them, imports
// them into a second, empty database and compares every table of their schemas and their
// platform rows, counted and hashed here (not by the archive's manifest).
func TestDemoDistrictExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	src := dbtest.NewDatabase(t)
	root, _ := dbtest.RepoRoot()
	env := map[string]string{"DATABASE_URL": src, "AMBITI_TENANTS_DIR": copyTenants(t),
		"AMBITI_DEMO_DIR": filepath.Join(root, "deploy/demo"), "AMBITI_DEV_IDP_ISSUER": "http://localhost:9998",
		"AMBITI_MASTER_KEY": testMasterKey}
	for _, args := range [][]string{{"tenants", "sync"}, {"demo", "load"}} {
		if out, err := ambiti(t, env, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	dir := t.TempDir()
	dst := dbtest.NewDatabase(t)
	dstEnv := map[string]string{"DATABASE_URL": dst, "AMBITI_MASTER_KEY": testMasterKey}
	for _, slug := range []string{"trento", "valle-trompia"} {
		file := filepath.Join(dir, slug+".ambiti.gz")
		out, err := ambiti(t, env, "tenants", "export", slug, "--out", file)
		if err != nil {
			t.Fatalf("export %s: %v\n%s", slug, err, out)
		}
		if fi, err := os.Stat(file); err == nil {
			t.Logf("%s (%d KiB)", strings.TrimSpace(out), fi.Size()/1024)
		}
		if !strings.Contains(out, "the import needs it") {
			t.Errorf("export %s does not name the master key:\n%s", slug, out)
		}
		out, err = ambiti(t, dstEnv, "tenants", "import", file)
		if err != nil {
			t.Fatalf("import %s: %v\n%s", slug, err, out)
		}
		t.Log(strings.TrimSpace(out))
		want, got := dumptest.Digests(t, src, slug), dumptest.Digests(t, dst, slug)
		if len(want) < 40 {
			t.Errorf("%s: only %d tables compared", slug, len(want))
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("%s %s: %s in the copy, %s in the original", slug, name, got[name], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d tables in the copy, %d in the original", slug, len(got), len(want))
		}
		// A second import of the same district is refused, and so is an altered archive.
		if out, err := ambiti(t, dstEnv, "tenants", "import", file); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("a second import of %s: %v\n%s", slug, err, out)
		}
	}
	if n := demoProfiles(t, dst, "t_trento"); n != 6 {
		t.Errorf("%d link workers' profiles in the imported trento, want 6", n)
	}
	out, err := ambiti(t, dstEnv, "audit", "verify")
	if err != nil || strings.Count(out, "ok") < 2 {
		t.Errorf("the imported districts' audit trails (%v):\n%s", err, out)
	}

	tampered := filepath.Join(dir, "tampered.ambiti.gz")
	alter(t, filepath.Join(dir, "trento.ambiti.gz"), tampered, "prescrizione sociale", "prescrizione Sociale")
	if out, err := ambiti(t, dstEnv, "tenants", "import", tampered, "--as", "trento-bis"); err == nil || !strings.Contains(err.Error(), "damaged or altered") {
		t.Errorf("a tampered archive: %v\n%s", err, out)
	}
	if _, err := ambiti(t, dstEnv, "tenants", "import", filepath.Join(dir, "trento.ambiti.gz"), "--as", "trento-bis"); err != nil {
		t.Errorf("import --as: %v", err)
	}
	out, _ = ambiti(t, dstEnv, "tenants", "list")
	if !strings.Contains(out, "trento-bis") || strings.Contains(out, "terre-dargine") {
		t.Errorf("districts after the imports:\n%s", out)
	}
}

// alter copies an archive with the first old in a table's rows replaced by new (a valid row,
// so that only the checksums can tell).
func alter(t *testing.T, from, to, old, new string) {
	t.Helper()
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(zr)
	// Past the header line, which names the district too.
	i := bytes.IndexByte(text, '\n') + 1
	j := bytes.Index(text[i:], []byte(old)) + i
	if j < i {
		t.Fatalf("no %q in a row", old)
	}
	text = append(text[:j:j], append([]byte(new), text[j+len(old):]...)...)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(text)
	zw.Close()
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDumpCommandLineMistakes(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://x"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tenants", "export"}, "name the district"},
		{[]string{"tenants", "export", "--out", "f"}, "name the district"},
		{[]string{"tenants", "import"}, "name the archive"},
		{[]string{"tenants", "import", "f.gz", "--as"}, "needs a value"},
		{[]string{"tenants", "import", "f.gz", "--frobnicate"}, "not defined"},
	} {
		_, err := ambiti(t, env, c.args...)
		var ue usageError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &ue) {
			t.Errorf("ambiti %v: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
}
