package authz

// PolicyChannel is the NOTIFY channel on which every instance reloads its role bindings: code
// that writes bindings outside the Authorizer (a district's import) notifies it too.
const PolicyChannel = policyChannel
