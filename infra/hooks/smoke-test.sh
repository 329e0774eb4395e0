#!/bin/sh
# Post-deploy smoke test (deploy.yml runs it after `azd deploy`; run it yourself with `azd env get-values` exported).
# Health of the Functions API and the GPU scorer, then, when SMOKE_MODEL names a model that has a champion, one
# prediction through each (SMOKE_ROWS: the request body, {"rows":[{...}]}). A fresh environment has no champion
# yet, so the prediction is opt-in rather than a guaranteed 404.
set -eu

: "${AZURE_FUNCTION_APP_URI:?}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_RESOURCE_GROUP:?}"
: "${SCORER_URI:?}"

# The scorer scales to zero on a GPU profile: the first request waits for a replica (CUDA + model load).
get() { curl -fsS -o /dev/null --retry 20 --retry-delay 15 --retry-all-errors --max-time 120 "$1"; }
get "$AZURE_FUNCTION_APP_URI/api/health"
echo "smoke: api health ok"
get "$SCORER_URI/api/health"
echo "smoke: scorer health ok"

if [ -z "${SMOKE_MODEL:-}" ]; then
  echo "smoke: SMOKE_MODEL not set; prediction skipped"
  exit 0
fi
: "${SMOKE_ROWS:?SMOKE_ROWS must hold a predict body when SMOKE_MODEL is set}"
: "${SCORER_API_KEY:?}"

predict() { # url, header
  out=$(curl -fsS --retry 5 --retry-delay 10 --retry-all-errors --max-time 120 -X POST "$1/api/models/$SMOKE_MODEL/predict" \
    -H "$2" -H 'content-type: application/json' -d "$SMOKE_ROWS")
  case "$out" in
    *'"predictions"'*) echo "smoke: predict via $1 ok" ;;
    *) echo "smoke: predict via $1 answered without predictions: $out" >&2; exit 1 ;;
  esac
}
# With Entra ID on (ENTRA_API_CLIENT_ID), Easy Auth answers a function key alone with 401: call with a token of the
# signed-in principal, which needs the Scoring app role. Otherwise the default function key.
if [ -n "${ENTRA_API_CLIENT_ID:-}" ]; then
  token=$(az account get-access-token --scope "api://$ENTRA_API_CLIENT_ID/.default" --query accessToken -o tsv)
  predict "$AZURE_FUNCTION_APP_URI" "authorization: Bearer $token"
else
  function_key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query "functionKeys.default" -o tsv)
  predict "$AZURE_FUNCTION_APP_URI" "x-functions-key: $function_key"
fi
predict "$SCORER_URI" "x-api-key: $SCORER_API_KEY"
