package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// demoSlugs are the shipped demo districts, provisioned with their demo data; the others are
// synthetic copies of the first.
var demoSlugs = []string{"valle-trompia", "terre-dargine", "trento"}

var (
	slugLineRE  = regexp.MustCompile(`(?m)^slug: .*$`)
	nameLineRE  = regexp.MustCompile(`(?m)^name: .*$`)
	shortLineRE = regexp.MustCompile(`(?m)^short_name: .*$`)
)

// writeTenants writes a tenants folder for n districts: the regions and the three demo
// districts of src (a checkout's tenants/), then n-3 synthetic districts, copies of Valle
// Trompia named ambito-0000, ambito-0001, … in Lombardia (the shape of
// tenancytest.Synthetic).
func writeTenants(src, dst string, n int) error {
	if err := os.MkdirAll(filepath.Join(dst, "regions"), 0o755); err != nil {
		return err
	}
	regions, err := filepath.Glob(filepath.Join(src, "regions", "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range regions {
		if err := copyFile(f, filepath.Join(dst, "regions", filepath.Base(f))); err != nil {
			return err
		}
	}
	for _, s := range demoSlugs {
		if err := copyFile(filepath.Join(src, s+".yaml"), filepath.Join(dst, s+".yaml")); err != nil {
			return err
		}
	}
	base, err := os.ReadFile(filepath.Join(src, demoSlugs[0]+".yaml"))
	if err != nil {
		return err
	}
	for i := range max(n-len(demoSlugs), 0) {
		y := slugLineRE.ReplaceAllString(string(base), "slug: "+syntheticSlug(i))
		y = nameLineRE.ReplaceAllString(y, fmt.Sprintf(`name: "Ambito sintetico n. %d"`, i))
		y = shortLineRE.ReplaceAllString(y, fmt.Sprintf(`short_name: "Sintetico %d"`, i))
		if err := os.WriteFile(filepath.Join(dst, syntheticSlug(i)+".yaml"), []byte(y), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func syntheticSlug(i int) string { return fmt.Sprintf("ambito-%04d", i) }

// writeDemo links the shipped demo (src, a checkout's deploy/demo: the demo districts' plans,
// directories and pathways) into dst.
func writeDemo(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		abs, err := filepath.Abs(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.Symlink(abs, filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// writePlanDirs spreads the synthetic districts over k demo folders beside dst's (so that each
// finds the demo users at ../dev/idp.yaml), each holding Valle Trompia's plan once for each of
// its districts and nothing else: k demo loads, run at once, give every district a plan and
// its facts, so that the regional table has as many districts with figures as the platform.
func writePlanDirs(src, parent string, n, k int) ([]string, error) {
	plan, err := filepath.Abs(filepath.Join(src, demoSlugs[0]+".yaml"))
	if err != nil {
		return nil, err
	}
	synthetic := max(n-len(demoSlugs), 0)
	k = max(1, min(k, synthetic))
	dirs := make([]string, k)
	for j := range dirs {
		dirs[j] = filepath.Join(parent, fmt.Sprintf("plans-%d", j))
		if err := os.MkdirAll(dirs[j], 0o755); err != nil {
			return nil, err
		}
	}
	for i := range synthetic {
		if err := os.Symlink(plan, filepath.Join(dirs[i%k], syntheticSlug(i)+".yaml")); err != nil {
			return nil, err
		}
	}
	if synthetic == 0 {
		return nil, nil
	}
	return dirs, nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
