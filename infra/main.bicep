targetScope = 'subscription'

metadata description = 'Serverless MLOps platform: storage, monitoring, Functions (Flex Consumption), registry, Container Apps with a serverless GPU profile, the GPU scorer and the GPU trainer job.'

import { roles, roleAssignment } from 'modules/security/role-ids.bicep'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption and the chosen serverless GPU profile (and you need GPU quota there).')
param location string

@description('Object id of the deploying user or pipeline principal; gets data-plane roles on storage. Empty: no user roles.')
param principalId string = ''

@description('Kind of principal principalId is (a pipeline signing in with OIDC is a ServicePrincipal).')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Serverless GPU workload profile for the scorer and the trainer.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfile string = 'Consumption-GPU-NC8as-T4'

// No Bicep default: newGuid() would mint a new key on every `azd up` and lock out every client. azd generates the
// value once, keeps it in the environment's config, and passes the same one on later deployments.
@secure()
@description('Key for the GPU scorer\'s x-api-key header. Generated once per azd environment and kept in .azure/<env>/config.json (infra.parameters.scorerApiKey).')
@metadata({
  azd: {
    type: 'generate'
    config: { length: 40, noSpecial: true }
  }
})
param scorerApiKey string

@description('Scorer replicas kept warm; 0 scales to zero between requests (cold start loads CUDA and the model).')
@minValue(0)
@maxValue(10)
param scorerMinReplicas int = 0

@description('Set by azd after the first deploy (SERVICE_SCORER_IMAGE_NAME) so re-provisioning keeps the running image.')
param scorerImageName string = ''

@description('Set by azd after the first deploy (SERVICE_TRAINER_IMAGE_NAME).')
param trainerImageName string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Blob containers, queues and tables the platform uses (core/Storage/BlobLayout.cs and the GPU work queues).
var platformContainers = [
  'datasets'
  'models'
  'registry'
  'quarantine'
  'processed'
  'runs'
  'predictions'
  'feedback'
  'monitoring'
]
var trainingRequestsQueue = 'gpu-training-requests'
var trainingResultsQueue = 'gpu-training-results'
var platformQueues = [
  trainingRequestsQueue
  trainingResultsQueue
]
// Durable Functions (Azure Storage provider) keeps its task hub in the same account: the hub's queues and
// blob leases are created by the runtime; its history and instance tables are created here up front.
var taskHubName = 'ServerlessMlops'
var platformTables = [
  '${taskHubName}Instances'
  '${taskHubName}History'
  'labeling' // low-confidence predictions awaiting a label (core/Monitoring/Labeling/LabelingQueue.cs)
]

var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

// Resources per replica on each serverless GPU profile.
var gpuSizes = {
  'Consumption-GPU-NC8as-T4': {
    cpu: 8
    memory: '56Gi'
  }
  'Consumption-GPU-NC24-A100': {
    cpu: 24
    memory: '220Gi'
  }
}
var gpuProfileName = 'gpu'

var appRoles roleAssignment[] = [
  // Functions host + Durable task hub + blob trigger, platform blobs
  { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataOwner }
  // Durable work-item/control queues, blob-trigger poison queue, GPU training queues (incl. the KEDA scaler)
  { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageQueueDataContributor }
  // Durable history/instance tables
  { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageTableDataContributor }
]
var userRoles roleAssignment[] = empty(principalId)
  ? []
  : [
      // Upload datasets (README: drop a file at datasets/{model}/incoming/) and read results.
      { principalId: principalId, principalType: principalType, roleDefinitionId: roles.storageBlobDataContributor }
      { principalId: principalId, principalType: principalType, roleDefinitionId: roles.storageQueueDataContributor }
    ]

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    roleAssignments: [
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.monitoringMetricsPublisher }
    ]
  }
}

module storage 'modules/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containers: concat(platformContainers, [deploymentContainerName])
    queues: platformQueues
    tables: platformTables
    roleAssignments: concat(appRoles, userRoles)
  }
}

module blobEvents 'modules/events/storage-system-topic.bicep' = {
  name: 'blob-events'
  scope: rg
  params: {
    name: '${abbrs.eventGridDomainsTopics}${resourceToken}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module registry 'modules/host/container-registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
    location: location
    tags: tags
    roleAssignments: [
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.acrPull }
    ]
  }
}

module containerAppsEnvironment 'modules/host/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: '${abbrs.appManagedEnvironments}${resourceToken}'
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuProfileName: gpuProfileName
    gpuProfileType: gpuProfile
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
  }
}

module scorer 'app/scorer.bicep' = {
  name: 'scorer'
  scope: rg
  params: {
    name: '${abbrs.appContainerApps}scorer-${resourceToken}'
    location: location
    tags: tags
    containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
    gpuProfileName: containerAppsEnvironment.outputs.gpuProfileName
    containerRegistryLoginServer: registry.outputs.loginServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    apiKey: scorerApiKey
    imageName: scorerImageName
    minReplicas: scorerMinReplicas
    cpu: gpuSizes[gpuProfile].cpu
    memory: gpuSizes[gpuProfile].memory
  }
}

module trainer 'app/trainer.bicep' = {
  name: 'trainer'
  scope: rg
  params: {
    name: '${abbrs.appContainerAppsJobs}trainer-${resourceToken}'
    location: location
    tags: tags
    containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
    gpuProfileName: containerAppsEnvironment.outputs.gpuProfileName
    containerRegistryLoginServer: registry.outputs.loginServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    requestsQueueName: trainingRequestsQueue
    resultsQueueName: trainingResultsQueue
    imageName: trainerImageName
    cpu: gpuSizes[gpuProfile].cpu
    memory: gpuSizes[gpuProfile].memory
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = containerAppsEnvironment.outputs.id
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerAppsEnvironment.outputs.name
output AZURE_GPU_PROFILE string = gpuProfile
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URI string = api.outputs.uri
output AZURE_FUNCTION_NAME_DATASET_DROP string = 'DatasetDrop'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = blobEvents.outputs.name
output AZURE_TASKHUB_NAME string = taskHubName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output SCORER_NAME string = scorer.outputs.name
output SCORER_URI string = scorer.outputs.uri
output TRAINER_JOB_NAME string = trainer.outputs.name
output TRAINING_REQUESTS_QUEUE string = trainingRequestsQueue
