import { run } from './audit/step.ts'

await run()
