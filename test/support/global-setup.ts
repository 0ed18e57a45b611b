// Filled in by the integration harness (database creation and migrations).
export default async function setup(): Promise<void> {}
