metadata description = 'Event Grid custom topic for registry events (core/Registry/Events): CloudEvents 1.0 input schema, Entra ID only (local auth disabled), the api identity as the only sender.'

import { roleAssignment } from '../security/role-ids.bicep'

param name string
param location string
param tags object = {}
@description('Role assignments on the topic (EventGrid Data Sender for the api identity).')
param roleAssignments roleAssignment[] = []

// https://learn.microsoft.com/azure/templates/microsoft.eventgrid/topics: inputSchema 'CloudEventSchemaV1_0' makes the
// topic accept CloudEvents 1.0 as published (EventGridPublisherClient.SendEventAsync(CloudEvent)); disableLocalAuth
// refuses access keys and SAS, so publishing needs a token with EventGrid Data Sender.
resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    minimumTlsVersionAllowed: '1.2'
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in roleAssignments: {
    name: guid(topic.id, a.principalId, a.roleDefinitionId)
    scope: topic
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
    }
  }
]

output id string = topic.id
output name string = topic.name
output endpoint string = topic.properties.endpoint
