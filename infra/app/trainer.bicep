metadata description = 'GPU trainer (azd service "trainer"): an event-triggered Container Apps Job that KEDA starts per message on the training-requests queue, authenticated with the managed identity.'

param name string
param location string
param tags object = {}

param containerAppsEnvironmentId string
param gpuProfileName string
param containerRegistryLoginServer string
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param applicationInsightsConnectionString string

param requestsQueueName string
param resultsQueueName string

@description('SERVICE_TRAINER_RESOURCE_EXISTS from azd: true once the job exists, so re-provisioning keeps the deployed image.')
param exists bool = false
@minValue(1)
param maxExecutions int = 4
@description('Seconds one training execution may run.')
param replicaTimeout int = 7200
param cpu int
param memory string

module currentImage '../modules/host/container-image.bicep' = {
  name: '${name}-image'
  params: {
    exists: exists
    name: name
    kind: 'job'
  }
}

resource trainer 'Microsoft.App/jobs@2025-07-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'trainer' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: containerAppsEnvironmentId
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeout
      replicaRetryLimit: 1
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxExecutions
          pollingInterval: 30
          rules: [
            {
              name: 'training-requests'
              type: 'azure-queue'
              metadata: {
                accountName: storageAccountName
                queueName: requestsQueueName
                queueLength: '1'
              }
              identity: identityId
            }
          ]
        }
      }
      registries: [
        {
          server: containerRegistryLoginServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'trainer'
          image: empty(currentImage.outputs.image) ? 'mcr.microsoft.com/k8se/quickstart-jobs:latest' : currentImage.outputs.image
          resources: {
            cpu: cpu
            memory: memory
          }
          env: [
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
            { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
            { name: 'AzureWebJobsStorage__blobServiceUri', value: storageBlobEndpoint }
            { name: 'AzureWebJobsStorage__queueServiceUri', value: storageQueueEndpoint }
            { name: 'AzureWebJobsStorage__tableServiceUri', value: storageTableEndpoint }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
            { name: 'Trainer__RequestsQueue', value: requestsQueueName }
            { name: 'Trainer__ResultsQueue', value: resultsQueueName }
          ]
        }
      ]
    }
  }
}

output name string = trainer.name
