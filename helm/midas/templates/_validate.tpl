{{/*
Refuses values that would render but could never run, with one line saying what to change.
Included by configmap.yaml, which every release renders.
*/}}
{{- define "midas.validate" -}}
{{- $errors := list }}
{{- if not .Values.existingSecret }}
{{- range $key := list "DATABASE_URL" "REDIS_URL" "AMQP_URL" }}
{{- if not (index $.Values.secrets $key) }}
{{- $errors = append $errors (printf "secrets.%s is empty: set it, or name a Secret holding it in existingSecret" $key) }}
{{- end }}
{{- end }}
{{- $jwt := .Values.secrets.JWT_SECRET | default "" | toString }}
{{- if and $jwt (lt (len $jwt) 32) }}
{{- $errors = append $errors "secrets.JWT_SECRET must be at least 32 characters" }}
{{- else if and (not $jwt) (not .Values.config.JWT_JWKS_URL) }}
{{- $errors = append $errors "secrets.JWT_SECRET is empty: set it (at least 32 characters), name a Secret holding it in existingSecret, or use config.JWT_JWKS_URL; the chart does not generate one, since a generated key changes on every render" }}
{{- end }}
{{- $webhookKey := .Values.secrets.WEBHOOK_SECRET_KEY | default "" | toString }}
{{- if and $webhookKey (lt (len $webhookKey) 32) }}
{{- $errors = append $errors "secrets.WEBHOOK_SECRET_KEY must be at least 32 characters" }}
{{- else if and (not $webhookKey) .Values.services.notification.enabled }}
{{- $errors = append $errors "secrets.WEBHOOK_SECRET_KEY is empty: set it (at least 32 characters, kept across releases) or name a Secret holding it in existingSecret; notification refuses to start in production without it" }}
{{- end }}
{{- end }}
{{- $shutdown := .Values.config.SHUTDOWN_TIMEOUT_MS | default 8000 | int }}
{{- $needed := add (div $shutdown 1000) (int .Values.preStopSleepSeconds) 2 }}
{{- if lt (int .Values.terminationGracePeriodSeconds) (int $needed) }}
{{- $errors = append $errors (printf "terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds plus SHUTDOWN_TIMEOUT_MS in seconds plus 2 (%v), or pods are killed mid-drain" .Values.terminationGracePeriodSeconds $needed) }}
{{- end }}
{{- range $name := include "midas.serviceNames" . | splitList " " }}
{{- $svc := index $.Values.services $name }}
{{- if and $svc.enabled $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) }}
{{- $errors = append $errors (printf "services.%s.autoscaling: minReplicas exceeds maxReplicas" $name) }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.services.gateway.enabled) }}
{{- $errors = append $errors "ingress.enabled needs services.gateway.enabled: the gateway is the only entry point" }}
{{- end }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- end }}
