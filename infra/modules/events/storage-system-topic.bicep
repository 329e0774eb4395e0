metadata description = 'Event Grid system topic for a storage account. The Functions blob-trigger subscription is added after deploy (infra/hooks), when the blobs extension endpoint exists and its key can be read without putting it in the template.'

param name string
param location string
param tags object = {}
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output id string = topic.id
output name string = topic.name
