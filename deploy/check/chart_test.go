package check

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/yannh/kubeconform/pkg/validator"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"sigs.k8s.io/yaml"
)

const (
	chartDir   = "../helm/ambiti"
	prodValues = "../helm/ambiti/ci/production-values.yaml"
	// kubeVersion is the Kubernetes release whose OpenAPI spec schemas/ was generated from.
	kubeVersion = "1.34.2"
)

// render renders the chart as `helm install --dry-run` without a cluster does (values checked
// against values.schema.json, every template, hooks included) and returns each manifest by its
// source. The engine is called directly rather than through action.Install, which would bring
// Kubernetes' client libraries into the build (twice the packages) for nothing a dry run uses.
func render(t *testing.T, vals map[string]any) map[string]string {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := chartutil.ParseKubeVersion("v" + kubeVersion)
	if err != nil {
		t.Fatal(err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	opts := chartutil.ReleaseOptions{Name: "ambiti", Namespace: "ambiti", Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValues(ch, vals, opts, caps)
	if err != nil {
		t.Fatalf("values: %v", err)
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	out := map[string]string{}
	for name, text := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for i, doc := range strings.Split(text, "\n---") {
			doc = strings.TrimSpace(doc)
			if doc == "" || doc == "---" || !strings.Contains(doc, "kind:") {
				continue
			}
			key := name
			if i > 0 {
				key = fmt.Sprintf("%s#%d", name, i)
			}
			out[key] = doc
		}
	}
	return out
}

func loadValues(t *testing.T, file string) map[string]any {
	t.Helper()
	if file == "" {
		return map[string]any{}
	}
	v, err := chartutil.ReadValuesFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return v.AsMap()
}

// newValidator reads the committed schemas only: a kind without a schema is an error, not a skip.
func newValidator(t *testing.T) validator.Validator {
	t.Helper()
	dir, err := filepath.Abs("schemas")
	if err != nil {
		t.Fatal(err)
	}
	v, err := validator.New([]string{dir + "/{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"},
		validator.Opts{KubernetesVersion: kubeVersion, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// validate checks one or more YAML documents; it returns the problems found.
func validate(v validator.Validator, name, manifest string) []string {
	var problems []string
	for _, res := range v.Validate(name, io.NopCloser(strings.NewReader(manifest))) {
		switch res.Status {
		case validator.Valid, validator.Empty:
		default:
			msg := fmt.Sprintf("%s: status %d", name, res.Status)
			if res.Err != nil {
				msg += ": " + res.Err.Error()
			}
			for _, ve := range res.ValidationErrors {
				msg += fmt.Sprintf("\n    %s: %s", ve.Path, ve.Msg)
			}
			problems = append(problems, msg)
		}
	}
	return problems
}

func TestChartLints(t *testing.T) {
	for _, file := range []string{"", prodValues} {
		kv, _ := chartutil.ParseKubeVersion("v" + kubeVersion)
		res := lint.AllWithKubeVersion(chartDir, loadValues(t, file), "ambiti", kv)
		for _, m := range res.Messages {
			if m.Severity >= support.WarningSev {
				t.Errorf("lint (values %q): %s", file, m)
			}
		}
	}
}

// Every manifest the chart renders, with the default values and with production-like ones, is
// valid for Kubernetes (strict: no unknown field), and the properties the operators rely on hold.
func TestChartRendersValidManifests(t *testing.T) {
	v := newValidator(t)
	for _, file := range []string{"", prodValues} {
		name := "defaults"
		if file != "" {
			name = filepath.Base(file)
		}
		t.Run(name, func(t *testing.T) {
			manifests := render(t, loadValues(t, file))
			kinds := map[string]map[string]any{}
			names := make([]string, 0, len(manifests))
			for name := range manifests {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				for _, p := range validate(v, name, manifests[name]) {
					t.Error(p)
				}
				var obj map[string]any
				if err := yaml.Unmarshal([]byte(manifests[name]), &obj); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				kinds[obj["kind"].(string)] = obj
			}
			for _, k := range []string{"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "Job", "NetworkPolicy", "PodDisruptionBudget", "CronJob"} {
				if kinds[k] == nil {
					t.Errorf("no %s rendered", k)
				}
			}
			if file == "" && kinds["Secret"] == nil {
				t.Error("default values: no Secret rendered")
			}
			if file != "" && kinds["ConfigMap"] == nil {
				t.Error("production values: no tenants ConfigMap rendered")
			}
			checkProperties(t, kinds)
		})
	}
}

func checkProperties(t *testing.T, kinds map[string]map[string]any) {
	get := func(obj any, path ...any) any {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				m, _ := obj.(map[string]any)
				obj = m[k]
			case int:
				l, _ := obj.([]any)
				if k >= len(l) {
					return nil
				}
				obj = l[k]
			}
		}
		return obj
	}
	if min, _ := get(kinds["HorizontalPodAutoscaler"], "spec", "minReplicas").(float64); min < 2 {
		t.Errorf("HPA minReplicas %v, want at least 2", min)
	}
	pod := get(kinds["Deployment"], "spec", "template", "spec")
	c := get(pod, "containers", 0)
	if get(c, "livenessProbe", "httpGet", "path") != "/healthz" || get(c, "readinessProbe", "httpGet", "path") != "/readyz" {
		t.Error("probes: want liveness /healthz and readiness /readyz")
	}
	if get(pod, "securityContext", "runAsNonRoot") != true || get(pod, "securityContext", "seccompProfile", "type") != "RuntimeDefault" {
		t.Errorf("pod securityContext %v", get(pod, "securityContext"))
	}
	if get(c, "securityContext", "readOnlyRootFilesystem") != true || get(c, "securityContext", "allowPrivilegeEscalation") != false ||
		get(c, "securityContext", "capabilities", "drop", 0) != "ALL" {
		t.Errorf("container securityContext %v", get(c, "securityContext"))
	}
	if get(c, "resources", "requests") == nil || get(c, "resources", "limits") == nil {
		t.Error("no resources")
	}
	host, _ := get(kinds["Ingress"], "spec", "rules", 1, "host").(string)
	if !strings.HasPrefix(host, "*.") || get(kinds["Ingress"], "spec", "tls", 0, "hosts", 1) != host {
		t.Errorf("Ingress: want a wildcard host with TLS, got rules %v", get(kinds["Ingress"], "spec"))
	}
	job := kinds["Job"]
	if hook, _ := get(job, "metadata", "annotations", "helm.sh/hook").(string); hook != "pre-install,pre-upgrade" ||
		fmt.Sprint(get(job, "spec", "template", "spec", "containers", 0, "args")) != "[tenants sync]" {
		t.Errorf("migration Job: hook %q, args %v", hook, get(job, "spec", "template", "spec", "containers", 0, "args"))
	}
}

// The validator really reads the schemas: a misspelt field and a wrong type are refused, and a
// kind without a committed schema is not silently skipped.
func TestValidatorRefusesBadManifests(t *testing.T) {
	v := newValidator(t)
	for name, doc := range map[string]string{
		"unknown field": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports: [{port: 80}]\n  selectr: {app: x}\n",
		"wrong type":    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n",
		"no schema":     "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n",
	} {
		if len(validate(v, name, doc)) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	if p := validate(v, "valid", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"); len(p) > 0 {
		t.Errorf("a valid ConfigMap refused: %v", p)
	}
}

// The committed values.schema.json refuses what it should (Helm checks values against it).
func TestValuesSchemaRefusesBadValues(t *testing.T) {
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	for name, vals := range map[string]map[string]any{
		"one replica":   {"replicaCount": 1},
		"unknown value": {"replicas": 3},
		"bad log level": {"logLevel": "verbose"},
	} {
		if err := chartutil.ValidateAgainstSchema(ch, merge(t, ch, vals)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func merge(t *testing.T, ch *chart.Chart, vals map[string]any) map[string]any {
	t.Helper()
	out, err := chartutil.CoalesceValues(ch, vals)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
