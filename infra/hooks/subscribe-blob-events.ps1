# azd postdeploy hook (service "api"), Windows: same as subscribe-blob-events.sh.
# Subscribes the DatasetDrop, FeedbackDrop and ScoringDrop webhooks to BlobCreated events under datasets/, feedback/
# and scoring/ (there only under {model}/incoming/: the container also receives the batches' results).
# The blobs_extension key is read at run time; it is never stored in the template, the repo or azd's .env.
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_URI', 'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run through azd (azd deploy / azd up)." }
}

# Wake the host so it registers the blobs extension and creates its system key.
try { Invoke-WebRequest -UseBasicParsing -Uri "$($env:AZURE_FUNCTION_APP_URI)/api/health" -MaximumRetryCount 10 -RetryIntervalSec 6 | Out-Null } catch { }

$key = ''
for ($attempt = 0; $attempt -lt 20 -and -not $key; $attempt++) {
    $key = az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME --query 'systemKeys.blobs_extension' -o tsv 2>$null
    if (-not $key) { Start-Sleep -Seconds 6 }
}
if (-not $key) { throw 'The blobs_extension system key did not appear; are the drop functions deployed?' }

# function / container pairs (functions/Intake/*DropTrigger.cs).
foreach ($pair in @(@('DatasetDrop', 'datasets'), @('FeedbackDrop', 'feedback'), @('ScoringDrop', 'scoring'))) {
    $functionName, $container = $pair
    $filter = if ($container -eq 'scoring') { @('--advanced-filter', 'subject', 'StringContains', '/incoming/') } else { @() }
    $endpoint = "$($env:AZURE_FUNCTION_APP_URI)/runtime/webhooks/blobs?functionName=Host.Functions.$functionName&code=$key"
    az eventgrid system-topic event-subscription create `
        --name "$container-incoming" `
        --resource-group $env:AZURE_RESOURCE_GROUP `
        --system-topic-name $env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME `
        --endpoint-type webhook `
        --endpoint $endpoint `
        --included-event-types Microsoft.Storage.BlobCreated `
        --subject-begins-with "/blobServices/default/containers/$container/blobs/" `
        --max-delivery-attempts 30 `
        --event-ttl 1440 `
        @filter `
        --output none
    if ($LASTEXITCODE -ne 0) { throw "Creating the Event Grid subscription for $container failed." }
    Write-Host "Event Grid: BlobCreated under $container/ -> $($env:AZURE_FUNCTION_APP_NAME) ($functionName)"
}
