metadata description = 'The image an existing Container App or Container Apps Job runs, so re-provisioning keeps what `azd deploy` put there (azd sets SERVICE_<NAME>_RESOURCE_EXISTS before provisioning: Azure/azure-dev cli/azd/pkg/project/service_target_containerapp.go, addPreProvisionChecks). A separate module because a template cannot read the resource it is redeploying.'

@description('SERVICE_<NAME>_RESOURCE_EXISTS: whether the app or job exists already.')
param exists bool
param name string
@allowed([
  'app'
  'job'
])
param kind string

resource existingApp 'Microsoft.App/containerApps@2025-07-01' existing = if (exists && kind == 'app') {
  name: name
}

resource existingJob 'Microsoft.App/jobs@2025-07-01' existing = if (exists && kind == 'job') {
  name: name
}

@description('The first container\'s image, or empty when the resource does not exist yet.')
output image string = !exists ? '' : kind == 'app' ? existingApp!.properties.template.containers[0].image : existingJob!.properties.template.containers[0].image
