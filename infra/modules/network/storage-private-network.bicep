metadata description = 'Private path to the storage account (storageNetworkAccess = Private): a VNet with a subnet for the Container Apps environment, one for the Function App\'s VNet integration, and private endpoints for blob, queue and table with their privatelink DNS zones linked to the VNet.'

param name string
param location string
param tags object = {}
param storageAccountId string
param storageAccountName string

@description('Address space of the VNet; the three subnets below are carved from it.')
param addressPrefix string = '10.40.0.0/16'

// Workload-profiles environments need at least a /27, delegated to Microsoft.App/environments
// (https://learn.microsoft.com/azure/container-apps/networking); Flex Consumption VNet integration uses a subnet
// delegated to Microsoft.App/environments as well (Azure-Samples/remote-mcp-apim-functions-python infra/app/vnet.bicep).
var subnets = [
  { name: 'container-apps', prefix: cidrSubnet(addressPrefix, 23, 0), delegation: 'Microsoft.App/environments' }
  { name: 'functions', prefix: cidrSubnet(addressPrefix, 24, 2), delegation: 'Microsoft.App/environments' }
  { name: 'private-endpoints', prefix: cidrSubnet(addressPrefix, 24, 3), delegation: '' }
]
// Storage sub-resources (private endpoint groupIds) and their zones: privatelink.<service>.<storage suffix>
// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns, Storage).
var services = [
  'blob'
  'queue'
  'table'
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      for s in subnets: {
        name: s.name
        properties: {
          addressPrefix: s.prefix
          delegations: empty(s.delegation)
            ? []
            : [
                {
                  name: replace(s.delegation, '/', '.')
                  properties: {
                    serviceName: s.delegation
                  }
                }
              ]
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for s in services: {
    name: 'privatelink.${s}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
  }
]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (s, i) in services: {
    parent: zones[i]
    name: '${name}-${s}'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2024-07-01' = [
  for s in services: {
    name: '${storageAccountName}-${s}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: '${vnet.id}/subnets/private-endpoints'
      }
      privateLinkServiceConnections: [
        {
          name: s
          properties: {
            privateLinkServiceId: storageAccountId
            groupIds: [s]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-07-01' = [
  for (s, i) in services: {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: s
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output containerAppsSubnetId string = '${vnet.id}/subnets/container-apps'
output functionsSubnetId string = '${vnet.id}/subnets/functions'
