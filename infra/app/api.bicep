metadata description = 'The platform\'s Functions app (azd service "api"): triggers, HTTP API and Durable orchestrations on Flex Consumption.'

param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string

@description('Subnet for VNet integration (private storage path); empty: none.')
param virtualNetworkSubnetId string = ''

@description('Durable Functions task hub (host.json reads %TASKHUB_NAME%).')
param taskHubName string

@description('Client id of the API\'s Entra ID app registration; empty: no App Service authentication (function keys only).')
param entraClientId string = ''

@description('OpenID issuer of that registration\'s tenant (https://login.microsoftonline.com/{tenant-id}/v2.0).')
param entraIssuer string = ''

@description('Memory of each instance (Flex Consumption: 2048 or 4096); the platform routes training by the same figure.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Endpoint of the registry events topic (CloudEvents schema); the api publishes with its identity.')
param registryEventsTopicEndpoint string

module app '../modules/host/flex-function-app.bicep' = {
  name: 'api-function-app'
  params: {
    name: name
    planName: planName
    location: location
    tags: tags
    siteTags: { 'azd-service-name': 'api' }
    identityId: identityId
    identityClientId: identityClientId
    storageBlobEndpoint: storageBlobEndpoint
    storageQueueEndpoint: storageQueueEndpoint
    storageTableEndpoint: storageTableEndpoint
    deploymentContainerName: deploymentContainerName
    virtualNetworkSubnetId: virtualNetworkSubnetId
    applicationInsightsConnectionString: applicationInsightsConnectionString
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    instanceMemoryMB: instanceMemoryMB
    appSettings: {
      // compute auto trains in the activity only what fits this instance (core/Specs/Routing/TrainingRoutingOptions.cs).
      TrainingRouting__InstanceMemoryMb: string(instanceMemoryMB)
      TASKHUB_NAME: taskHubName
      // core/Registry/Events/RegistryEventOptions.cs: with a topic, events go to Event Grid instead of the local queue.
      RegistryEvents__TopicEndpoint: registryEventsTopicEndpoint
      // Event Grid fires the blob triggers here; the listing timer is for func start on Azurite only.
      'AzureWebJobs.IncomingScan.Disabled': 'true'
      // app/WebConsole/ConsoleOptions.cs: Easy Auth refuses function keys, so the console offers its sign-in instead.
      Console__SignIn: empty(entraClientId) ? 'Key' : 'Entra'
    }
  }
}

// The console's shell: the page and its two files (fixed names, console/vite.config.mjs), and the bare folder path
// that redirects to the page. Exact paths: the authsettingsV2 reference documents no wildcard or prefix form.
// tests/Serverless.Infra.Tests holds this list to the console build's files.
var consoleShellPaths = [
  '/api/console'
  '/api/console/'
  '/api/console/index.html'
  '/api/console/assets/console.js'
  '/api/console/assets/console.css'
]

// With Easy Auth on, a request without a token never reaches the host. Excluded: the anonymous routes
// (functions/Http/HealthFunction.cs, SchemaFunction.cs; the smoke test reads health), the console's shell (its
// sign-in button leads to /.auth/login/aad, whose session cookie then authenticates its API calls), and the blobs extension's
// Event Grid webhook, which Event Grid calls without a token (it is guarded by the blobs_extension key in its URL;
// MicrosoftDocs/azure-docs#99036: Easy Auth answers Event Grid deliveries 401).
module auth '../modules/security/function-app-entra-auth.bicep' = if (!empty(entraClientId)) {
  name: 'api-entra-auth'
  params: {
    functionAppName: app.outputs.name
    clientId: entraClientId
    openIdIssuer: entraIssuer
    allowedAudiences: [
      entraClientId
      'api://${entraClientId}'
    ]
    excludedPaths: concat([
      '/api/health'
      '/api/schemas/model.json'
      '/api/openapi.json'
      '/runtime/webhooks/blobs'
    ], consoleShellPaths)
  }
}

output name string = app.outputs.name
output uri string = 'https://${app.outputs.defaultHostName}'
