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
    appSettings: {
      TASKHUB_NAME: taskHubName
      // Event Grid fires the blob triggers here; the listing timer is for func start on Azurite only.
      'AzureWebJobs.IncomingScan.Disabled': 'true'
    }
  }
}

output name string = app.outputs.name
output uri string = 'https://${app.outputs.defaultHostName}'
