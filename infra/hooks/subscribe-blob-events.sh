#!/bin/sh
# azd postdeploy hook (service "api"): subscribes the Functions blobs extension webhook of the DatasetDrop
# function to BlobCreated events under the datasets container. Runs after deploy because Event Grid validates
# the webhook when the subscription is created, and the blobs_extension key exists only once the host has
# started. The key is read here at run time and never stored in the template, the repo or azd's .env.
# Needs the Azure CLI signed in to the same subscription (az login).
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd deploy / azd up)}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_FUNCTION_APP_URI:?}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?}"
function_name="${AZURE_FUNCTION_NAME_DATASET_DROP:-DatasetDrop}"

# Wake the host so it registers the blobs extension and creates its system key.
curl -fsS -o /dev/null --retry 10 --retry-delay 6 --retry-all-errors "$AZURE_FUNCTION_APP_URI/api/health" || true

key=""
attempt=0
while [ -z "$key" ] && [ "$attempt" -lt 20 ]; do
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  [ -n "$key" ] || { attempt=$((attempt + 1)); sleep 6; }
done
[ -n "$key" ] || { echo "The blobs_extension system key did not appear; is the DatasetDrop function deployed?" >&2; exit 1; }

endpoint="${AZURE_FUNCTION_APP_URI}/runtime/webhooks/blobs?functionName=Host.Functions.${function_name}&code=${key}"

az eventgrid system-topic event-subscription create \
  --name datasets-incoming \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/datasets/blobs/ \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --output none

echo "Event Grid: BlobCreated under datasets/ -> ${AZURE_FUNCTION_APP_NAME} (${function_name})"
