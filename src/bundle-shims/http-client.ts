/**
 * Bundled in place of @actions/http-client (see `paths` in tsconfig.json). Its only importer here is
 * @actions/core's OIDC helper, `core.getIDToken`, which this action never calls; the real client
 * would load all of undici 6 at start-up, about half of a cold start.
 */
const UNAVAILABLE = '@actions/http-client is not bundled in this action: core.getIDToken is unavailable.'

export class HttpClient {
  getJson(): Promise<never> {
    return Promise.reject(new Error(UNAVAILABLE))
  }
}

export class BearerCredentialHandler {
  prepareRequest(): never {
    throw new Error(UNAVAILABLE)
  }
}
