// The floor for `npm run bench`: a bare Node process making the same single upload with node:http
// and nothing else. Plain CommonJS: no TypeScript handling, and no ES-module namespace for node:http
// (building one runs all of its lazy getters, which costs more than the whole request here).
const { request } = require('node:http')

const body = process.env.BENCH_BODY ?? ''
const outgoing = request(
  process.env.BENCH_URL ?? '',
  {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.BENCH_TOKEN ?? ''}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    },
  },
  (response) => {
    const chunks = []
    response.on('data', (chunk) => chunks.push(chunk))
    response.on('end', () => {
      const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      if (!answer.success) process.exitCode = 1
    })
  },
)
outgoing.on('error', () => {
  process.exitCode = 1
})
outgoing.end(body)
