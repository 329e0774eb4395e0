metadata description = 'App Service authentication (Easy Auth) with Entra ID on a Function App: bearer tokens for the API\'s app registration, 401 without one.'

@description('Name of the existing Function App.')
param functionAppName string

@description('Client id of the API\'s Entra ID app registration (the app that defines the Scoring and Admin app roles).')
param clientId string

@description('Issuer whose OpenID metadata validates the tokens: https://login.microsoftonline.com/{tenant-id}/v2.0.')
param openIdIssuer string

@description('Token audiences accepted: v2.0 access tokens carry the client id in aud; v1.0 ones the application ID URI requested.')
param allowedAudiences array

@description('Paths that skip authentication: anonymous routes, and webhooks that carry their own key.')
param excludedPaths array

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

// Property names: https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2 (tests check
// them against tests/Serverless.Infra.Tests/Reference/authsettingsv2.json). No client secret: the API only validates
// bearer tokens (no login redirects), which the provider does with the client id and the issuer's signing keys.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      // An API has no login page to redirect to: callers without a token get 401.
      unauthenticatedClientAction: 'Return401'
      excludedPaths: excludedPaths
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: openIdIssuer
        }
        validation: {
          allowedAudiences: allowedAudiences
        }
      }
    }
  }
}
