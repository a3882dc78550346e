package tenancytest

import (
	"fmt"
	"testing"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Synthetic defines n districts for the benchmarks: copies of Valle Trompia's definition named
// ambito-0000, ambito-0001, …, all in Lombardia, the only region defined.
func Synthetic(tb testing.TB, n int) tenancy.Definitions {
	tb.Helper()
	shipped := Definitions(tb)
	lomb, ok := shipped.Region("lombardia")
	if !ok {
		tb.Fatal("the shipped definitions have no region lombardia")
	}
	var base *tenancy.DistrictDef
	for i := range shipped.Districts {
		if shipped.Districts[i].Slug == "valle-trompia" {
			base = &shipped.Districts[i]
		}
	}
	if base == nil {
		tb.Fatal("the shipped definitions have no district valle-trompia")
	}
	defs := tenancy.Definitions{Regions: []tenancy.RegionDef{lomb}}
	for i := range n {
		d := *base
		d.Slug = fmt.Sprintf("ambito-%04d", i)
		d.Name = fmt.Sprintf("Ambito sintetico n. %d", i)
		defs.Districts = append(defs.Districts, d)
	}
	return defs
}
