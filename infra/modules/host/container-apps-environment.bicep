metadata description = 'Container Apps environment with workload profiles: Consumption plus one serverless GPU profile. Logs go to Log Analytics through a diagnostic setting (no workspace shared key).'

param name string
param location string
param tags object = {}
param logAnalyticsWorkspaceId string

@description('Name the apps and jobs use in workloadProfileName for GPU work.')
param gpuProfileName string = 'gpu'

@description('Serverless GPU workload profile type (quota is per region and per type).')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Subnet for the environment (private storage path); empty: the generated VNet. Only settable when the environment is created.')
param infrastructureSubnetId string = ''

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: empty(infrastructureSubnetId)
      ? null
      : {
          infrastructureSubnetId: infrastructureSubnetId
          internal: false
        }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
    zoneRedundant: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = environment.id
output name string = environment.name
output defaultDomain string = environment.properties.defaultDomain
output gpuProfileName string = gpuProfileName
