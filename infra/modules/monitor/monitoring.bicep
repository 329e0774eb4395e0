metadata description = 'Log Analytics workspace and workspace-based Application Insights, both Entra-only (local auth disabled).'

import { roleAssignment } from '../security/role-ids.bicep'

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object = {}
@description('Role assignments on the Application Insights component (e.g. Monitoring Metrics Publisher).')
param roleAssignments roleAssignment[] = []

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    features: {
      disableLocalAuth: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in roleAssignments: {
    name: guid(applicationInsights.id, a.principalId, a.roleDefinitionId)
    scope: applicationInsights
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

output logAnalyticsWorkspaceId string = logAnalytics.id
output logAnalyticsWorkspaceName string = logAnalytics.name
output applicationInsightsName string = applicationInsights.name
@description('Not a secret: identifies the component; ingestion is Entra-authenticated because local auth is off.')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
