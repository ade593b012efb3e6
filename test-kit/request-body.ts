import type { IncomingMessage } from 'node:http'

/** A request's whole body as text, and its URL resolved: what each stand-in reads first. */
export async function readRequest(request: IncomingMessage): Promise<{ body: string; url: URL; method: string }> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return {
    body: Buffer.concat(chunks).toString('utf8'),
    url: new URL(request.url ?? '/', 'http://127.0.0.1'),
    method: request.method ?? 'GET',
  }
}
