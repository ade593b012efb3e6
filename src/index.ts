import { failStep } from './action/log.ts'
import { run } from './main.ts'

// The last catch: Node would print an uncaught error with the bundle's minified source line.
await run().catch(failStep)
