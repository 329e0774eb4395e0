metadata description = 'Storage account reachable only with Entra ID (shared-key access off), with the containers, queues and tables the platform uses.'

import { storageRoleAssignment } from '../security/role-ids.bicep'

param name string
param location string
param tags object = {}
param containers string[] = []
param queues string[] = []
param tables string[] = []
@description('Data-plane role assignments: on the account, or scoped to one container, queue or table (Azure supports all three scopes for the Storage data roles).')
param roleAssignments storageRoleAssignment[] = []

@description('Containers whose blobs are versioned and never expire here (model registry: an overwritten or deleted card/model/alias stays recoverable). Versioning is an account-level switch; the lifecycle policy deletes old versions elsewhere.')
param versionedContainers string[] = []

@description('Days after the last modification before blobs in a container are deleted (lifecycle management). Containers not listed keep their blobs.')
param retentionDays object = {}

@description('Days a previous blob version is kept in containers that are not in versionedContainers.')
@minValue(1)
param previousVersionRetentionDays int = 7

@description('Public: reachable from the internet with Entra ID only (default). Private: public network access disabled; reach it through private endpoints (see README, Deploy: private endpoints).')
@allowed([
  'Public'
  'Private'
])
param networkAccess string = 'Public'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: networkAccess == 'Public' ? 'Enabled' : 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: networkAccess == 'Public' ? 'Allow' : 'Deny'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    // Blob versioning (account level): every overwrite of registry/{model}/aliases.json or a card keeps the previous
    // version. https://learn.microsoft.com/azure/storage/blobs/versioning-enable
    isVersioningEnabled: !empty(versionedContainers)
  }
}

// Lifecycle management: base blobs expire per container after retentionDays[container] days since modification;
// previous versions outside the versioned containers expire after previousVersionRetentionDays. Schema:
// https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview (rules, filters.prefixMatch
// "container/", actions.baseBlob.delete.daysAfterModificationGreaterThan, actions.version.delete.daysAfterCreationGreaterThan).
var expiringContainers = filter(containers, c => contains(retentionDays, c))
var unversionedPrefixes = map(filter(containers, c => !contains(versionedContainers, c)), c => '${c}/')
var expiryRules = [
  for c in expiringContainers: {
    enabled: true
    name: 'expire-${c}'
    type: 'Lifecycle'
    definition: {
      filters: {
        blobTypes: ['blockBlob']
        prefixMatch: ['${c}/']
      }
      actions: {
        baseBlob: {
          delete: {
            daysAfterModificationGreaterThan: retentionDays[c]
          }
        }
      }
    }
  }
]
var versionRules = empty(versionedContainers)
  ? []
  : [
      {
        enabled: true
        name: 'expire-previous-versions'
        type: 'Lifecycle'
        definition: {
          filters: {
            blobTypes: ['blockBlob']
            prefixMatch: unversionedPrefixes
          }
          actions: {
            version: {
              delete: {
                daysAfterCreationGreaterThan: previousVersionRetentionDays
              }
            }
          }
        }
      }
    ]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = if (!empty(concat(expiryRules, versionRules))) {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: concat(expiryRules, versionRules)
    }
  }
  dependsOn: [
    blobContainers
  ]
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for c in containers: {
    parent: blobService
    name: c
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for q in queues: {
    parent: queueService
    name: q
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for t in tables: {
    parent: tableService
    name: t
  }
]

var accountAssignments = filter(roleAssignments, a => empty(a.?container) && empty(a.?queue) && empty(a.?table))
var containerAssignments = filter(roleAssignments, a => !empty(a.?container))
var queueAssignments = filter(roleAssignments, a => !empty(a.?queue))
var tableAssignments = filter(roleAssignments, a => !empty(a.?table))

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in accountAssignments: {
    name: guid(storage.id, a.principalId, a.roleDefinitionId)
    scope: storage
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

resource containerScopedAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in containerAssignments: {
    name: guid(storage.id, 'container', a.container!, a.principalId, a.roleDefinitionId)
    scope: blobContainers[indexOf(containers, a.container!)]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

resource queueScopedAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in queueAssignments: {
    name: guid(storage.id, 'queue', a.queue!, a.principalId, a.roleDefinitionId)
    scope: storageQueues[indexOf(queues, a.queue!)]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

resource tableScopedAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in tableAssignments: {
    name: guid(storage.id, 'table', a.table!, a.principalId, a.roleDefinitionId)
    scope: storageTables[indexOf(tables, a.table!)]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
