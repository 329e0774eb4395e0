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

@description('SERVICE_SCORER_RESOURCE_EXISTS from azd: true once the app exists, so re-provisioning keeps the image `azd deploy` put there instead of resetting it to the placeholder.')
param exists bool = false

@description('Scorer:EntraId:Audience: the API app registration\'s client id (aud of its v2.0 tokens); empty: x-api-key only.')
param entraAudience string = ''

@description('Scorer:EntraId:Authority: https://login.microsoftonline.com/{tenant-id}/v2.0.')
param entraAuthority string = ''
@minValue(0)
param minReplicas int = 0
@minValue(1)
param maxReplicas int = 3
@description('vCPUs and memory of one replica on the GPU profile.')
param cpu int
param memory string

module currentImage '../modules/host/container-image.bicep' = {
  name: '${name}-image'
  params: {
    exists: exists
    name: name
    kind: 'app'
  }
}

// The scorer listens on 8080 (ASPNETCORE_HTTP_PORTS below and in its Dockerfile), and so does the first-provision
// placeholder, the .NET sample app (https://github.com/dotnet/dotnet-docker/blob/main/samples/README.md runs it
// with -p 8000:8080): `azd deploy` only swaps the image, so ingress must already point at 8080.
var appPort = 8080
var placeholderImage = 'mcr.microsoft.com/dotnet/samples:aspnetapp'
var usePlaceholder = empty(currentImage.outputs.image)
// Probe limits (ContainerAppProbe, Microsoft.App REST API: failureThreshold 1-10, periodSeconds 1-240, timeoutSeconds 1-240;
// https://learn.microsoft.com/dotnet/api/azure.resourcemanager.appcontainers.models.containerappprobe):
// the startup budget is period x threshold = 200 s for CUDA initialisation and the first champion load.
// The placeholder has no /api/health, so these probes apply to the real image only.
var healthProbes = [
  {
    type: 'Startup'
    httpGet: {
      path: '/api/health'
      port: appPort
    }
    periodSeconds: 20
    failureThreshold: 10
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
    // Storage answers and every champion loads (containers/scorer/Hosting/ScorerReadiness.cs); liveness above stays
    // cheap, so a slow champion load makes the replica unready, never restarted. The app answers within
    // Scorer:ReadinessTimeout (4 s) so the probe's timeoutSeconds (default 1, max 240) is 5.
    type: 'Readiness'
    httpGet: {
      path: '/api/health/ready'
      port: appPort
    }
    periodSeconds: 5
    timeoutSeconds: 5
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
        targetPort: appPort
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
          image: usePlaceholder ? placeholderImage : currentImage.outputs.image
          resources: {
            cpu: cpu
            memory: memory
          }
          env: concat([
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
          ], empty(entraAudience) ? [] : [
            // containers/scorer/Hosting/ScorerEntraIdOptions.cs (section Scorer:EntraId)
            { name: 'Scorer__EntraId__Audience', value: entraAudience }
            { name: 'Scorer__EntraId__Authority', value: entraAuthority }
          ])
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
