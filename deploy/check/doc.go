// Package check validates Ambiti's deployable files without running them (no Docker engine, no
// Kubernetes cluster, no network): the Helm chart rendered with the Helm library and every
// manifest validated by kubeconform against the Kubernetes schemas committed in schemas/ (see
// schemagen), the compose file against the Compose specification, the Keycloak realm files.
//
// It is a module of its own so that Helm's and Kubernetes' large dependency trees stay out of
// the server's go.mod; deploy/dev/test.sh runs it after the main suite.
package check
