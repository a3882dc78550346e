{{/* The release's full name: <release>-ambiti, or the release name when it says ambiti already. */}}
{{- define "ambiti.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ambiti.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ambiti.labels" -}}
{{ include "ambiti.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "ambiti.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "ambiti.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-env" (include "ambiti.fullname" .)) -}}
{{- end -}}

{{- define "ambiti.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "ambiti.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The tenants come from a ConfigMap when the values hold any, else from the image. */}}
{{- define "ambiti.tenantsFromConfigMap" -}}
{{- if or .Values.tenants.districts .Values.tenants.regions }}true{{ end -}}
{{- end -}}

{{/* The environment of every Ambiti container (server and jobs). */}}
{{- define "ambiti.env" -}}
envFrom:
  - secretRef:
      name: {{ include "ambiti.secretName" . }}
env:
  - name: AMBITI_BASE_DOMAIN
    value: {{ .Values.domain | quote }}
  - name: AMBITI_PUBLIC_SCHEME
    value: {{ .Values.publicScheme | quote }}
  - name: AMBITI_LOG_LEVEL
    value: {{ .Values.logLevel | quote }}
  - name: AMBITI_DB_MAX_CONNS
    value: {{ .Values.dbMaxConns | quote }}
  {{- if include "ambiti.tenantsFromConfigMap" . }}
  - name: AMBITI_TENANTS_DIR
    value: /etc/ambiti/tenants
  {{- end }}
  {{- with .Values.platformOIDC.issuer }}
  - name: AMBITI_PLATFORM_OIDC_ISSUER
    value: {{ . | quote }}
  {{- end }}
  - name: AMBITI_PLATFORM_OIDC_CLIENT_ID
    value: {{ .Values.platformOIDC.clientID | quote }}
  {{- with .Values.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/* Volumes of every Ambiti pod: a writable /tmp (the root is read-only) and the tenants. */}}
{{- define "ambiti.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 256Mi
  {{- if include "ambiti.tenantsFromConfigMap" . }}
  - name: tenants
    configMap:
      name: {{ include "ambiti.fullname" . }}-tenants
      items:
        {{- range $slug, $_ := .Values.tenants.districts }}
        - key: district.{{ $slug }}.yaml
          path: {{ $slug }}.yaml
        {{- end }}
        {{- range $slug, $_ := .Values.tenants.regions }}
        - key: region.{{ $slug }}.yaml
          path: regions/{{ $slug }}.yaml
        {{- end }}
  {{- end }}
{{- end -}}

{{- define "ambiti.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if include "ambiti.tenantsFromConfigMap" . }}
  - name: tenants
    mountPath: /etc/ambiti/tenants
    readOnly: true
  {{- end }}
{{- end -}}

{{/* Hook annotations of what the migration Job needs before the release's resources exist. */}}
{{- define "ambiti.preHook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}
