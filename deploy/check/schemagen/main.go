// Command schemagen writes the Kubernetes JSON schemas that the chart test validates against,
// for the kinds the chart renders only, from the Kubernetes project's own OpenAPI v3 spec.
//
// The test runs offline, so the schemas are generated once and committed (schemas/). Their
// source is the OpenAPI v3 spec published in the k8s.io/kubernetes Go module
// (api/openapi-spec/v3), fetched from the Go module proxy:
//
//	dir=$(go mod download -json k8s.io/kubernetes@v1.34.2 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
//	go run ./schemagen -spec "$dir/api/openapi-spec/v3" -out schemas/v1.34.2-strict
//
// What it does, as kubeconform's own openapi2jsonschema does: every object schema with
// properties gets additionalProperties: false (strict: an unknown or misspelt field is an
// error), allOf wrappers of a single $ref become the $ref, descriptions and defaults are
// dropped, and all definitions reachable from the kinds go into one _definitions.json that
// each kind's file refers to (<kind>-<group>-<version>.json, kubeconform's file naming).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// kinds maps each rendered kind's file name to its spec file and definition.
var kinds = map[string][2]string{
	"configmap-v1":                           {"api__v1_openapi.json", "io.k8s.api.core.v1.ConfigMap"},
	"secret-v1":                              {"api__v1_openapi.json", "io.k8s.api.core.v1.Secret"},
	"service-v1":                             {"api__v1_openapi.json", "io.k8s.api.core.v1.Service"},
	"serviceaccount-v1":                      {"api__v1_openapi.json", "io.k8s.api.core.v1.ServiceAccount"},
	"pod-v1":                                 {"api__v1_openapi.json", "io.k8s.api.core.v1.Pod"},
	"deployment-apps-v1":                     {"apis__apps__v1_openapi.json", "io.k8s.api.apps.v1.Deployment"},
	"job-batch-v1":                           {"apis__batch__v1_openapi.json", "io.k8s.api.batch.v1.Job"},
	"cronjob-batch-v1":                       {"apis__batch__v1_openapi.json", "io.k8s.api.batch.v1.CronJob"},
	"ingress-networking-v1":                  {"apis__networking.k8s.io__v1_openapi.json", "io.k8s.api.networking.v1.Ingress"},
	"networkpolicy-networking-v1":            {"apis__networking.k8s.io__v1_openapi.json", "io.k8s.api.networking.v1.NetworkPolicy"},
	"horizontalpodautoscaler-autoscaling-v2": {"apis__autoscaling__v2_openapi.json", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"},
	"poddisruptionbudget-policy-v1":          {"apis__policy__v1_openapi.json", "io.k8s.api.policy.v1.PodDisruptionBudget"},
}

func main() {
	spec := flag.String("spec", "", "folder of the Kubernetes OpenAPI v3 spec (api/openapi-spec/v3)")
	out := flag.String("out", "schemas/v1.34.2-strict", "folder to write")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

func run(spec, out string) error {
	all := map[string]any{}
	for _, k := range kinds {
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		b, err := os.ReadFile(filepath.Join(spec, k[0]))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w", k[0], err)
		}
		for name, s := range doc.Components.Schemas {
			all[name] = s
		}
	}
	defs := map[string]any{}
	var visit func(name string) error
	visit = func(name string) error {
		if _, done := defs[name]; done {
			return nil
		}
		s, ok := all[name]
		if !ok {
			return fmt.Errorf("no definition %s", name)
		}
		var refs []string
		defs[name] = convert(s, &refs)
		for _, r := range refs {
			if err := visit(r); err != nil {
				return err
			}
		}
		return nil
	}
	names := make([]string, 0, len(kinds))
	for file, k := range kinds {
		names = append(names, file)
		if err := visit(k[1]); err != nil {
			return err
		}
	}
	sort.Strings(names)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := write(filepath.Join(out, "_definitions.json"), map[string]any{"definitions": defs}); err != nil {
		return err
	}
	for _, file := range names {
		k := kinds[file]
		root := map[string]any{"$ref": "_definitions.json#/definitions/" + k[1]}
		if err := write(filepath.Join(out, file+".json"), root); err != nil {
			return err
		}
	}
	return nil
}

const componentRef = "#/components/schemas/"

// convert rewrites one OpenAPI schema into a strict draft-4 JSON schema, collecting the names
// of the definitions it refers to.
func convert(v any, refs *[]string) any {
	switch n := v.(type) {
	case []any:
		out := make([]any, len(n))
		for i, e := range n {
			out[i] = convert(e, refs)
		}
		return out
	case map[string]any:
		if all, ok := n["allOf"].([]any); ok && len(all) == 1 {
			if m, ok := all[0].(map[string]any); ok && m["$ref"] != nil {
				return convert(m, refs)
			}
		}
		if ref, ok := n["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, componentRef)
			*refs = append(*refs, name)
			return map[string]any{"$ref": "#/definitions/" + name}
		}
		out := map[string]any{}
		for k, e := range n {
			switch {
			case k == "description" || k == "default" || strings.HasPrefix(k, "x-kubernetes-"):
			case k == "properties":
				props := map[string]any{}
				for p, s := range e.(map[string]any) {
					props[p] = convert(s, refs)
				}
				out[k] = props
			default:
				out[k] = convert(e, refs)
			}
		}
		if _, has := n["properties"]; has && n["additionalProperties"] == nil && n["x-kubernetes-preserve-unknown-fields"] == nil {
			out["additionalProperties"] = false
		}
		return out
	}
	return v
}

func write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
