// Package roles is the vocabulary of Ambiti's roles, shared by the district definitions (which
// map identity-provider claims to roles) and by authorization.
package roles

import "slices"

// The roles.
const (
	Assemblea  = "assemblea"   // Assemblea dei Sindaci: reads plans and budgets, approves
	UdP        = "udp"         // Ufficio di Piano: writes the plan, manages the district
	Coop       = "coop"        // cooperative / third-sector partner: its own assignments only
	ASST       = "asst"        // ASST / APSS health staff: socio-sanitary integration
	LinkWorker = "link_worker" // social-prescribing pathways assigned to them
	// Coordinatore is the link workers' coordinator (COPE) or the process manager (VMD): every
	// pathway of the district, assigns and reassigns them.
	Coordinatore = "coordinatore"
	DPO          = "dpo"      // the district's data protection officer: the audit trail, subject requests
	Regione      = "regione"  // regional body: aggregates of its districts (domain region:<slug>)
	Operator     = "operator" // platform operations, no personal data (domain platform)
)

// District are the roles that exist inside a district, grantable by its Ufficio di Piano.
var District = []string{UdP, Assemblea, Coop, ASST, LinkWorker, Coordinatore, DPO}

// All are every role.
var All = []string{UdP, Assemblea, Coop, ASST, LinkWorker, Coordinatore, DPO, Regione, Operator}

// ValidDistrict reports whether role exists inside a district.
func ValidDistrict(role string) bool { return slices.Contains(District, role) }
