#!/bin/sh
# azd postdeploy hook (service "api"): subscribes the Functions blobs extension webhooks of the DatasetDrop,
# FeedbackDrop and ScoringDrop functions to BlobCreated events under the datasets, feedback and scoring containers. Runs after deploy because Event Grid validates
# the webhook when the subscription is created, and the blobs_extension key exists only once the host has
# started. The key is read here at run time and never stored in the template, the repo or azd's .env.
# Needs the Azure CLI signed in to the same subscription (az login).
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd deploy / azd up)}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_FUNCTION_APP_URI:?}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?}"

# Wake the host so it registers the blobs extension and creates its system key.
curl -fsS -o /dev/null --retry 10 --retry-delay 6 --retry-all-errors "$AZURE_FUNCTION_APP_URI/api/health" || true

key=""
attempt=0
while [ -z "$key" ] && [ "$attempt" -lt 20 ]; do
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  [ -n "$key" ] || { attempt=$((attempt + 1)); sleep 6; }
done
[ -n "$key" ] || { echo "The blobs_extension system key did not appear; are the drop functions deployed?" >&2; exit 1; }

# function:container pairs (functions/Intake/*DropTrigger.cs).
for pair in DatasetDrop:datasets FeedbackDrop:feedback ScoringDrop:scoring; do
  function_name="${pair%%:*}"
  container="${pair#*:}"
  # The scoring container also receives the batches' own results and working files: only drops under
  # {model}/incoming/ are delivered (advanced filter operator StringContains on the event's subject).
  set --
  [ "$container" = scoring ] && set -- --advanced-filter subject StringContains /incoming/
  endpoint="${AZURE_FUNCTION_APP_URI}/runtime/webhooks/blobs?functionName=Host.Functions.${function_name}&code=${key}"
  az eventgrid system-topic event-subscription create \
    --name "${container}-incoming" \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
    --endpoint-type webhook \
    --endpoint "$endpoint" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "/blobServices/default/containers/${container}/blobs/" \
    --max-delivery-attempts 30 \
    --event-ttl 1440 \
    "$@" \
    --output none
  echo "Event Grid: BlobCreated under ${container}/ -> ${AZURE_FUNCTION_APP_NAME} (${function_name})"
done
