{{/*
The chart's name, overridable.
*/}}
{{- define "podium.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: the prefix of every object. Truncated to 63 characters, the limit
of a DNS label.
*/}}
{{- define "podium.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "podium.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "podium.labels" -}}
helm.sh/chart: {{ include "podium.chart" . }}
{{ include "podium.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "podium.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podium.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "podium.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "podium.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "podium.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The actuator's port: its own unless management.port is empty or the application's port.
*/}}
{{- define "podium.managementPort" -}}
{{- $port := int (default 8080 .Values.management.port) }}
{{- $port }}
{{- end }}

{{- define "podium.separateManagementPort" -}}
{{- if ne (include "podium.managementPort" .) "8080" }}true{{ end }}
{{- end }}

{{/*
The container port name that probes and the ServiceMonitor use.
*/}}
{{- define "podium.managementPortName" -}}
{{- if include "podium.separateManagementPort" . }}management{{ else }}http{{ end }}
{{- end }}

{{/*
The URL at which Spaces reach Podium: config.publicUrl, else the first Ingress host.
*/}}
{{- define "podium.publicUrl" -}}
{{- if .Values.config.publicUrl }}
{{- .Values.config.publicUrl }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- $host := (first .Values.ingress.hosts).host }}
{{- $scheme := "http" }}
{{- range .Values.ingress.tls }}
{{- if has $host .hosts }}{{ $scheme = "https" }}{{ end }}
{{- end }}
{{- printf "%s://%s" $scheme $host }}
{{- end }}
{{- end }}

{{- define "podium.datasourceUrl" -}}
{{- $pg := .Values.postgresql }}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" $pg.host $pg.port $pg.database }}
{{- if $pg.parameters }}
{{- $url = printf "%s?%s" $url $pg.parameters }}
{{- end }}
{{- $url }}
{{- end }}

{{/*
The secrets Podium reads, as (environment variable, reference): each is taken from its
existingSecret when named, else from the chart's own Secret when a literal value is given.
The Hub token goes to both HF_TOKEN, the name Hugging Face's tools know, and
PODIUM_HUB_TOKEN, which binds podium.hub.token directly.
*/}}
{{- define "podium.secretRefs" -}}
{{- $s := .Values.secrets }}
{{- $pg := .Values.postgresql }}
{{- $refs := list
  (dict "env" "HF_TOKEN" "existingSecret" $s.hubToken.existingSecret "key" $s.hubToken.key "value" $s.hubToken.value)
  (dict "env" "PODIUM_HUB_TOKEN" "existingSecret" $s.hubToken.existingSecret "key" $s.hubToken.key "value" $s.hubToken.value)
  (dict "env" "PODIUM_ADMIN_TOKEN" "existingSecret" $s.adminToken.existingSecret "key" $s.adminToken.key "value" $s.adminToken.value)
  (dict "env" "PODIUM_SECURITY_ENCRYPTION_KEY" "existingSecret" $s.encryptionKey.existingSecret "key" $s.encryptionKey.key "value" $s.encryptionKey.value)
  (dict "env" "PODIUM_SECURITY_PREVIOUS_ENCRYPTION_KEYS" "existingSecret" $s.previousEncryptionKeys.existingSecret "key" $s.previousEncryptionKeys.key "value" $s.previousEncryptionKeys.value)
  (dict "env" "SPRING_DATASOURCE_PASSWORD" "existingSecret" $pg.existingSecret "key" $pg.passwordKey "value" $pg.password)
}}
{{- toYaml (dict "refs" $refs) }}
{{- end }}

{{/*
Whether any secret is given as a literal value without an existingSecret, which makes the
chart render a Secret of its own.
*/}}
{{- define "podium.managedSecret" -}}
{{- range (include "podium.secretRefs" . | fromYaml).refs }}
{{- if and (not .existingSecret) .value }}true{{ end }}
{{- end }}
{{- end }}

{{/*
Settings that cannot work, refused with the reason rather than deployed.
*/}}
{{- define "podium.validate" -}}
{{- if and .Values.serviceMonitor.enabled (not (include "podium.separateManagementPort" .)) }}
{{- fail "serviceMonitor.enabled needs management.port other than 8080: on the application's port, metrics are for operators' tokens only." }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.secrets.encryptionKey.existingSecret) (not .Values.secrets.encryptionKey.value) }}
{{- fail (printf "replicaCount is %d but no shared secrets.encryptionKey is set: each pod would generate a key of its own and could not open what another sealed. Create one with `openssl rand -base64 32`, store it in a Secret and set secrets.encryptionKey.existingSecret, or run one replica." (int .Values.replicaCount)) }}
{{- end }}
{{- end }}
