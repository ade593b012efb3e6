// CI only: see action.yml. As a step, it marks itself for its post step; as the post step, it checks that
// `replaced-id` is gone and one certificate named `name` is left. `node check.mjs present` checks, in a
// regular step, that `replaced-id` is still there (taking the same settings from STAND_IN_* variables).
import { appendFileSync, readFileSync } from 'node:fs'

const fromCli = process.argv[2] === 'present'
const setting = (name) =>
  (fromCli
    ? process.env[`STAND_IN_${name.replace(/-/g, '_').toUpperCase()}`]
    : process.env[`INPUT_${name.toUpperCase()}`]) ?? ''

async function certificatesNamed(name) {
  const url = `${setting('api-base-url')}/accounts/${setting('account-id')}/mtls_certificates`
  const answer = await fetch(url, { headers: { authorization: `Bearer ${setting('api-token')}` } })
  const body = await answer.json()
  if (!body.success) throw new Error(`listing the stand-in's certificates failed: ${JSON.stringify(body.errors)}`)
  return body.result.filter((certificate) => certificate.name === name).map((certificate) => certificate.id)
}

function fail(message) {
  console.log(`::error::${message}`)
  process.exitCode = 1
}

const name = setting('name')
const replacedId = setting('replaced-id')
if (fromCli) {
  const ids = await certificatesNamed(name)
  if (ids.includes(replacedId))
    console.log(`${replacedId} is still there, as it must be before the post steps: ${ids.join(', ')}`)
  else
    fail(`${replacedId} was deleted before the end of the job; certificates named ${name}: ${ids.join(', ') || 'none'}`)
} else if (process.env.STATE_isPost !== 'true') {
  appendFileSync(process.env.GITHUB_STATE ?? '', 'isPost=true\n')
  console.log(`At the end of the job, after the post step of the action under test, ${replacedId} must be gone.`)
} else {
  const log = setting('stand-in-log')
  if (log) console.log(`The stand-in's log:\n${readFileSync(log, 'utf8')}`)
  const ids = await certificatesNamed(name)
  if (ids.includes(replacedId))
    fail(`replace left ${replacedId} at the end of the job; certificates named ${name}: ${ids.join(', ')}`)
  else if (ids.length !== 1)
    fail(`expected one certificate named ${name} at the end of the job, found: ${ids.join(', ') || 'none'}`)
  else
    console.log(`replace deleted ${replacedId} at the end of the job; ${ids[0]} is the one certificate named ${name}.`)
}
