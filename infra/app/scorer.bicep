metadata description = 'GPU scorer (azd service "scorer"): a Container App on the serverless GPU workload profile, pulled with the managed identity.'

param name string
param location string
param tags object = {}

param containerAppsEnvironmentId string
param gpuProfileName string
param containerRegistryLoginServer string
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param applicationInsightsConnectionString string

@secure()
@description('The key clients send in x-api-key (Container Apps ingress has no function keys).')
param apiKey string

@description('Image azd deployed last (SERVICE_SCORER_IMAGE_NAME); empty on the first provision, which runs a placeholder.')
param imageName string = ''
@minValue(0)
param minReplicas int = 0
@minValue(1)
param maxReplicas int = 3
@description('vCPUs and memory of one replica on the GPU profile.')
param cpu int
param memory string

var usePlaceholder = empty(imageName)
var appPort = 8080
// The placeholder answers on port 80 and has no /api/health, so probes apply to the real image only.
var healthProbes = [
  {
    type: 'Startup'
    httpGet: {
      path: '/api/health'
      port: appPort
    }
    periodSeconds: 5
    failureThreshold: 60
  }
  {
    type: 'Liveness'
    httpGet: {
      path: '/api/health'
      port: appPort
    }
    periodSeconds: 15
    failureThreshold: 3
  }
  {
    type: 'Readiness'
    httpGet: {
      path: '/api/health'
      port: appPort
    }
    periodSeconds: 5
    failureThreshold: 3
  }
]

resource scorer 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'scorer' })
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
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: usePlaceholder ? 80 : appPort
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: containerRegistryLoginServer
          identity: identityId
        }
      ]
      secrets: [
        { name: 'scorer-api-key', value: apiKey }
      ]
    }
    template: {
      containers: [
        {
          name: 'scorer'
          image: usePlaceholder ? 'mcr.microsoft.com/k8se/quickstart:latest' : imageName
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
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(appPort) }
            { name: 'Scorer__ApiKey', secretRef: 'scorer-api-key' }
            // On the GPU profile a scorer that silently fell back to CPU would look healthy but be slow: fail loudly.
            { name: 'Scoring__ExecutionProvider', value: 'cuda' }
          ]
          probes: usePlaceholder ? [] : healthProbes
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
      }
    }
  }
}

output name string = scorer.name
output uri string = 'https://${scorer.properties.configuration.ingress.fqdn}'
