// Moved to test-kit/ (shared with scripts/); kept here until the unit tests import from there.
export * from '../../test-kit/run-action.ts'
