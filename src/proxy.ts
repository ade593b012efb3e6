/** Which proxy a request goes through, by the HTTPS_PROXY / HTTP_PROXY / NO_PROXY conventions. */

type Env = Readonly<Record<string, string | undefined>>

const variable = (env: Env, name: string): string | undefined =>
  env[name.toLowerCase()] || env[name.toUpperCase()] || undefined

/** The proxy URL for `target`, or undefined for a direct connection. Lower-case variables win, as in curl. */
export function proxyFor(target: URL, env: Env): string | undefined {
  const proxy = target.protocol === 'https:' ? variable(env, 'https_proxy') : variable(env, 'http_proxy')
  if (!proxy || bypassesProxy(target, variable(env, 'no_proxy') ?? '')) return undefined
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`
}

/** NO_PROXY: `*`, or host names (a leading `.` or `*.` matches subdomains), each with an optional port. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = target.port || (target.protocol === 'https:' ? '443' : '80')
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase().replace(/^\[|\](?=:|$)/g, ''))
      const name = (match?.[1] ?? '').replace(/^\*?\./, '')
      if (match?.[2] && match[2] !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}
