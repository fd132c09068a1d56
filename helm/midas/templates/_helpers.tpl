{{/*
Names, labels and the shared pieces of every Midas workload.
*/}}

{{/* The processes, in the order the gateway depends on them last. */}}
{{- define "midas.serviceNames" -}}
availability booking pricing notification calendar gateway
{{- end }}

{{/* Each process with the prefix of its variables (<PREFIX>_PORT, and <PREFIX>_URL for the gateway). */}}
{{- define "midas.envPrefixes" -}}
availability: AVAILABILITY
booking: BOOKING
pricing: PRICING
notification: NOTIFICATION
calendar: CALENDAR
gateway: GATEWAY
{{- end }}

{{- define "midas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
"<release>-midas", or the release name alone when it already contains the chart name.
Component names are appended to it, so it is kept short enough for "-notification".
*/}}
{{- define "midas.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "midas.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "midas.labels" -}}
helm.sh/chart: {{ include "midas.chart" . }}
{{ include "midas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: midas
{{- end }}

{{- define "midas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "midas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component; call with (dict "root" $ "name" "booking"). */}}
{{- define "midas.componentLabels" -}}
{{ include "midas.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "midas.componentSelectorLabels" -}}
{{ include "midas.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Resource name of one component: "<fullname>-<name>". */}}
{{- define "midas.componentName" -}}
{{- printf "%s-%s" (include "midas.fullname" .root) .name }}
{{- end }}

{{/* In-cluster URL of one component's Service. */}}
{{- define "midas.componentUrl" -}}
{{- $svc := index .root.Values.services .name }}
{{- printf "http://%s.%s.svc.%s:%v" (include "midas.componentName" .) .root.Release.Namespace .root.Values.clusterDomain $svc.port }}
{{- end }}

{{- define "midas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "midas.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "midas.configMapName" -}}
{{- printf "%s-config" (include "midas.fullname" .) }}
{{- end }}

{{- define "midas.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- printf "%s-secrets" (include "midas.fullname" .) }}
{{- end }}
{{- end }}

{{- define "midas.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
The non-secret environment as a YAML map: what the chart computes, overlaid with `config`
(an operator's value wins; an empty one means "unset").
*/}}
{{- define "midas.configEnv" -}}
{{- $env := dict "NODE_ENV" "production" }}
{{- range $name, $prefix := include "midas.envPrefixes" . | fromYaml }}
{{- $svc := index $.Values.services $name }}
{{- $_ := set $env (printf "%s_PORT" $prefix) (toString $svc.port) }}
{{- if ne $name "gateway" }}
{{- $_ := set $env (printf "%s_URL" $prefix) (include "midas.componentUrl" (dict "root" $ "name" $name)) }}
{{- end }}
{{- end }}
{{- if .Values.services.gateway.internalPort }}
{{- /* The gateway's /metrics and readiness detail, for Prometheus only (never on its Service). */}}
{{- $_ := set $env "GATEWAY_INTERNAL_PORT" (toString .Values.services.gateway.internalPort) }}
{{- end }}
{{- if .Values.migrations.enabled }}
{{- /* The Job has applied every migration before these pods start. */}}
{{- $_ := set $env "MIDAS_SKIP_MIGRATIONS" "true" }}
{{- end }}
{{- if .Values.otel.enabled }}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" .Values.otel.endpoint }}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_PROTOCOL" "http/protobuf" }}
{{- $_ := set $env "OTEL_METRICS_EXPORTER" "none" }}
{{- $_ := set $env "OTEL_LOGS_EXPORTER" "none" }}
{{- $_ := set $env "OTEL_TRACES_SAMPLER" .Values.otel.sampler }}
{{- $_ := set $env "OTEL_TRACES_SAMPLER_ARG" (toString .Values.otel.samplerArg) }}
{{- $_ := set $env "MIDAS_TRACE_SLOW_MS" (toString (int .Values.otel.slowMs)) }}
{{- else }}
{{- $_ := set $env "OTEL_TRACES_EXPORTER" "none" }}
{{- $_ := set $env "OTEL_METRICS_EXPORTER" "none" }}
{{- $_ := set $env "OTEL_LOGS_EXPORTER" "none" }}
{{- end }}
{{- range $key, $value := .Values.config }}
{{- if kindIs "invalid" $value }}
{{- else if eq (toString $value) "" }}
{{- $_ := unset $env $key }}
{{- else }}
{{- $_ := set $env $key (toString $value) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
The value of one chart-created secret key, exactly as given: nothing is generated or looked up,
so every render of the same values gives the same Secret (GitOps tools render without a cluster).
*/}}
{{- define "midas.secretValue" -}}
{{- index .root.Values.secrets .key | default "" | toString }}
{{- end }}

{{/*
The `data` of a chart-created Secret: base64 values, empty keys left out. Call with
(dict "root" $) for every key of `secrets`, or (dict "root" $ "keys" (list ...)) for some.
*/}}
{{- define "midas.secretData" -}}
{{- $root := .root }}
{{- $keys := keys $root.Values.secrets }}
{{- if hasKey . "keys" }}
{{- $keys = .keys }}
{{- end }}
{{- range $key := $keys | sortAlpha }}
{{- $value := include "midas.secretValue" (dict "root" $root "key" $key) }}
{{- if $value }}
{{ $key }}: {{ $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Secret keys a process cannot start without; the rest are optional integrations. */}}
{{- define "midas.requiredSecretKey" -}}
{{- if has .key (list "DATABASE_URL" "REDIS_URL" "AMQP_URL") }}true
{{- else if and (eq .key "JWT_SECRET") (not .root.Values.config.JWT_JWKS_URL) }}true
{{- else if eq .key "WEBHOOK_SECRET_KEY" }}true
{{- end }}
{{- end }}

{{/* Pod and container security: no root, no writable root filesystem, no capabilities. */}}
{{- define "midas.podSecurityContext" -}}
{{ toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "midas.containerSecurityContext" -}}
{{ toYaml .Values.securityContext }}
{{- end }}

{{/* Pod annotations that restart pods when their configuration changes. */}}
{{- define "midas.configChecksums" -}}
checksum/config: {{ include "midas.configEnv" . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secrets: {{ include "midas.secretData" (dict "root" .) | sha256sum }}
{{- end }}
{{- end }}

{{/* The prometheus.io annotations for pod-discovering scrapers. */}}
{{- define "midas.metricsAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/path: /metrics
prometheus.io/port: {{ .port | quote }}
{{- end }}
{{- end }}

{{/* OTEL_RESOURCE_ATTRIBUTES; $(K8S_*) are expanded by the kubelet from the env set before it. */}}
{{- define "midas.otelResourceAttributes" -}}
{{- $attrs := list "k8s.pod.name=$(K8S_POD_NAME)" "k8s.namespace.name=$(K8S_NAMESPACE)" "service.namespace=midas" (printf "service.version=%s" (default .Chart.AppVersion .Values.image.tag)) }}
{{- range $key, $value := .Values.otel.resourceAttributes }}
{{- $attrs = append $attrs (printf "%s=%v" $key $value) }}
{{- end }}
{{- join "," $attrs }}
{{- end }}
