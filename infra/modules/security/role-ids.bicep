metadata description = 'Built-in role definitions used by the platform (one place, exported). Each carries its display name so a test can check the id against the Azure RBAC built-in roles reference.'

// Ids from the Azure RBAC built-in roles reference
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles; copy in
// tests/Serverless.Infra.Tests/Reference/azure-builtin-roles.json, which the tests check every id against by name).
@export()
@description('Built-in Azure roles: display name and role definition id (GUID).')
var roles = {
  storageBlobDataOwner: { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' }
  storageBlobDataContributor: { name: 'Storage Blob Data Contributor', id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' }
  storageBlobDataReader: { name: 'Storage Blob Data Reader', id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' }
  storageQueueDataContributor: { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' }
  storageTableDataContributor: { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' }
  storageTableDataReader: { name: 'Storage Table Data Reader', id: '76199698-9eea-4c19-bc75-cec21354c6b6' }
  monitoringMetricsPublisher: { name: 'Monitoring Metrics Publisher', id: '3913510d-42f4-4e42-8a64-420c390055eb' }
  acrPull: { name: 'AcrPull', id: '7f951dda-4ed3-4680-a7ca-43fe172d538d' }
  eventGridDataSender: { name: 'EventGrid Data Sender', id: 'd5a91429-5739-47e2-a06b-3470a27159e7' }
}

@export()
@description('One role assignment on the resource a module creates.')
type roleAssignment = {
  @description('Object id of the identity or user receiving the role.')
  principalId: string
  principalType: 'ServicePrincipal' | 'User' | 'Group'
  @description('Built-in role definition GUID.')
  roleDefinitionId: string
}

@export()
@description('A role assignment on the storage account, or (when one of container/queue/table is set) on that one container, queue or table only.')
type storageRoleAssignment = {
  @description('Object id of the identity or user receiving the role.')
  principalId: string
  principalType: 'ServicePrincipal' | 'User' | 'Group'
  @description('Built-in role definition GUID.')
  roleDefinitionId: string
  @description('Blob container the role is scoped to.')
  container: string?
  @description('Queue the role is scoped to.')
  queue: string?
  @description('Table the role is scoped to.')
  table: string?
}
