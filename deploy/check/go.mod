module github.com/ambiti/ambiti/deploy/check

go 1.26

require (
	github.com/compose-spec/compose-go/v2 v2.16.2 // indirect
	github.com/yannh/kubeconform v0.8.0 // indirect
	helm.sh/helm/v3 v3.19.0 // indirect
)
