metadata description = 'Built-in role definition ids used by the platform (one place, exported).'

@export()
@description('Built-in Azure role definition ids (GUIDs).')
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0c172fe3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0a4c2'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3a'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
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
