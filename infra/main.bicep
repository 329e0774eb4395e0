targetScope = 'subscription'

metadata description = 'Serverless MLOps platform: storage, monitoring, Functions (Flex Consumption), registry, Container Apps with a serverless GPU profile, the GPU scorer and the GPU trainer job.'

import { roles, roleAssignment, storageRoleAssignment } from 'modules/security/role-ids.bicep'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds every resource name.')
param environmentName string

// Serverless (Consumption) GPU profiles are offered in West US 3, Australia East and Sweden Central
// (https://learn.microsoft.com/azure/container-apps/workload-profiles-overview, "Consumption GPU"); Flex Consumption
// must be offered there too: confirm with `az functionapp list-flexconsumption-locations` before adding a region.
@minLength(1)
@description('Region for every resource. It must offer Flex Consumption and the chosen serverless GPU profile (and you need GPU quota there).')
@allowed([
  'westus3'
  'australiaeast'
  'swedencentral'
])
@metadata({
  azd: {
    type: 'location'
  }
})
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

@description('Memory of each Functions instance. The pipeline trains in an activity only what fits its share of this (TrainingRouting, compute auto); more goes to the trainer job. Flex Consumption: "Supported values are 2048, 4096" (learn.microsoft.com/azure/azure-functions/flex-consumption-plan#instance-memory).')
@allowed([
  2048
  4096
])
param apiInstanceMemoryMB int = 2048

@description('Trainer job executions at once: an MLP run with N replicas needs N at the same time (each holds one GPU; request the GPU quota for it).')
@minValue(1)
@maxValue(16)
param trainerMaxExecutions int = 4

@description('SERVICE_SCORER_RESOURCE_EXISTS, set by azd before each provision: keep the deployed scorer image.')
param scorerExists bool = false

@description('SERVICE_TRAINER_RESOURCE_EXISTS, set by azd before each provision: keep the deployed trainer image.')
param trainerExists bool = false

@description('Days before logged predictions are deleted (lifecycle management on the predictions container).')
@minValue(1)
param predictionsRetentionDays int = 90

@description('Days before label files in the feedback container are deleted.')
@minValue(1)
param feedbackRetentionDays int = 365

@description('Days before the originals of accepted drops (processed container) are deleted; the Parquet dataset versions stay.')
@minValue(1)
param processedRetentionDays int = 90

@description('Days before rejected drops and their reports (quarantine container) are deleted.')
@minValue(1)
param quarantineRetentionDays int = 30

@description('Days before run artifacts (runs container: candidates, holdouts, gate reports and the sync/ rounds of distributed training) are deleted. Nothing a live alias serves is in runs: the registry keeps its own copies.')
@minValue(1)
param runsRetentionDays int = 90

@description('Storage network access: Public (Entra ID only, default) or Private (public network access disabled; private endpoints in a VNet that the Container Apps environment and the Function App join; README "Private endpoints").')
@allowed([
  'Public'
  'Private'
])
param storageNetworkAccess string = 'Public'

// Entra ID for the HTTP API and the scorer (README, "Who may call what"): the app registration is a directory object
// that azd cannot create, so it is made once by hand and passed in. Empty: Functions keeps function keys and the scorer
// its x-api-key only.
@description('Client id of the API\'s Entra ID app registration (app roles Scoring and Admin). Set: App Service authentication on the Function App and bearer tokens on the scorer. Empty: keys only.')
param entraApiClientId string = ''

@description('Tenant of that app registration; empty: the tenant of the deployment.')
param entraTenantId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var entraEnabled = !empty(entraApiClientId)
var entraIssuer = '${environment().authentication.loginEndpoint}${empty(entraTenantId) ? tenant().tenantId : entraTenantId}/v2.0'
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
  'scoring' // batch scoring inputs and results (core/BatchScoring/BatchLayout.cs)
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
  'features' // the online feature store, latest values per entity (core/FeatureStore/OnlineFeatureStore.cs)
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

// One identity per app, each with data roles scoped to the containers, queues and tables it touches.
// Functions host (AzureWebJobsStorage: host locks, Durable task hub, blob triggers, deployment package): the
// roles the Functions docs require for identity-based host storage, on the whole account.
var apiRoles storageRoleAssignment[] = [
  { principalId: apiIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataOwner.id }
  { principalId: apiIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageQueueDataContributor.id }
  { principalId: apiIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageTableDataContributor.id }
]
// Internet-facing scorer: reads the registry and the ONNX models, writes the prediction log and queues uncertain
// predictions for labeling (LabelingQueue, at score time while the row's features are in memory), and reads the
// online feature store for requests that send entity keys (point reads only; materialization writes it). Nothing else;
// it creates no storage (everything above is created here).
var scorerRoles storageRoleAssignment[] = [
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataReader.id, container: 'registry' }
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataReader.id, container: 'models' }
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataContributor.id, container: 'predictions' }
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageTableDataContributor.id, table: 'labeling' }
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageTableDataReader.id, table: 'features' }
]
// GPU trainer job: reads dataset versions, reads/writes its run's artifacts, consumes requests (receive, renew,
// delete; KEDA reads the length with the same identity) and posts results. Queue Data Contributor on each of
// its two queues only: the worker also creates them if missing (GpuTrainingWorker.EnsureQueuesAsync).
var trainerRoles storageRoleAssignment[] = [
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataReader.id, container: 'datasets' }
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataContributor.id, container: 'runs' }
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageQueueDataContributor.id, queue: trainingRequestsQueue }
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageQueueDataContributor.id, queue: trainingResultsQueue }
]
var userRoles storageRoleAssignment[] = empty(principalId)
  ? []
  : [
      // Upload datasets (README: drop a file at datasets/{model}/incoming/) and read results.
      { principalId: principalId, principalType: principalType, roleDefinitionId: roles.storageBlobDataContributor.id }
      { principalId: principalId, principalType: principalType, roleDefinitionId: roles.storageQueueDataContributor.id }
    ]
var telemetryRoles roleAssignment[] = [
  { principalId: apiIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.monitoringMetricsPublisher.id }
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.monitoringMetricsPublisher.id }
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.monitoringMetricsPublisher.id }
]
// Only the Functions host publishes registry events (core/Registry/Events/EventGridRegistryEventPublisher.cs).
var eventRoles roleAssignment[] = [
  { principalId: apiIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.eventGridDataSender.id }
]
// Only the container apps pull images; the Function App runs a platform image.
var pullRoles roleAssignment[] = [
  { principalId: scorerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.acrPull.id }
  { principalId: trainerIdentity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.acrPull.id }
]

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module apiIdentity 'modules/security/user-assigned-identity.bicep' = {
  name: 'identity-api'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module scorerIdentity 'modules/security/user-assigned-identity.bicep' = {
  name: 'identity-scorer'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}scorer-${resourceToken}'
    location: location
    tags: tags
  }
}

module trainerIdentity 'modules/security/user-assigned-identity.bicep' = {
  name: 'identity-trainer'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}trainer-${resourceToken}'
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
    roleAssignments: telemetryRoles
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
    roleAssignments: concat(apiRoles, scorerRoles, trainerRoles, userRoles)
    versionedContainers: ['registry']
    retentionDays: {
      predictions: predictionsRetentionDays
      feedback: feedbackRetentionDays
      processed: processedRetentionDays
      quarantine: quarantineRetentionDays
      runs: runsRetentionDays
    }
    networkAccess: storageNetworkAccess
  }
}

// Private storage path (off by default): VNet, private endpoints and DNS; the environment and the Function App join it.
var privateStorage = storageNetworkAccess == 'Private'

module network 'modules/network/storage-private-network.bicep' = if (privateStorage) {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
    storageAccountName: storage.outputs.name
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

module registryEvents 'modules/events/registry-events-topic.bicep' = {
  name: 'registry-events'
  scope: rg
  params: {
    name: '${abbrs.eventGridDomainsTopics}registry-${resourceToken}'
    location: location
    tags: tags
    roleAssignments: eventRoles
  }
}

module registry 'modules/host/container-registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
    location: location
    tags: tags
    roleAssignments: pullRoles
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
    infrastructureSubnetId: privateStorage ? network!.outputs.containerAppsSubnetId : ''
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
    identityId: apiIdentity.outputs.id
    identityClientId: apiIdentity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
    virtualNetworkSubnetId: privateStorage ? network!.outputs.functionsSubnetId : ''
    entraClientId: entraApiClientId
    entraIssuer: entraEnabled ? entraIssuer : ''
    instanceMemoryMB: apiInstanceMemoryMB
    registryEventsTopicEndpoint: registryEvents.outputs.endpoint
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
    identityId: scorerIdentity.outputs.id
    identityClientId: scorerIdentity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    apiKey: scorerApiKey
    // v2.0 access tokens carry the API's client id as aud (learn.microsoft.com/entra/identity-platform/access-tokens).
    entraAudience: entraApiClientId
    entraAuthority: entraEnabled ? entraIssuer : ''
    exists: scorerExists
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
    identityId: trainerIdentity.outputs.id
    identityClientId: trainerIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    requestsQueueName: trainingRequestsQueue
    resultsQueueName: trainingResultsQueue
    exists: trainerExists
    maxExecutions: trainerMaxExecutions
    cpu: gpuSizes[gpuProfile].cpu
    memory: gpuSizes[gpuProfile].memory
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
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
output AZURE_EVENTGRID_REGISTRY_TOPIC_NAME string = registryEvents.outputs.name
output AZURE_TASKHUB_NAME string = taskHubName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output SCORER_NAME string = scorer.outputs.name
output SCORER_URI string = scorer.outputs.uri
output TRAINER_JOB_NAME string = trainer.outputs.name
output TRAINING_REQUESTS_QUEUE string = trainingRequestsQueue
