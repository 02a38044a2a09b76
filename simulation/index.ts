export { createMetorialSimulation } from './metorial-simulation.js'
export type { MetorialSimulation, RecordedRequest, SimulationFault, SimulationOptions, SimulationRoute } from './metorial-simulation.js'
export type { ProviderInfo } from './consent-page.js'
